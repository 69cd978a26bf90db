//! Deals (运营交易): transfer, license, capital contribution, financing.

use chrono::{DateTime, NaiveDate, Utc};
use entities::transactions;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, sea_query::Expr,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    from_json_list, identifier_list, ledger_date, optional_text, to_json_list, totals::TotalsDelta,
    update_if_current,
};
use crate::{
    domain::{
        audit::AuditEntry,
        identifiers::{PatentNumber, Uscc, Yuan},
        paging::Paged,
    },
    error::{AppError, FieldErrors},
    i18n::Msg,
};

/// The kind of a deal.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TransactionKind {
    /// 转让
    Transfer,
    /// 许可
    License,
    /// 作价入股
    CapitalContribution,
    /// 投融资 (incl. IP pledge financing)
    Financing,
}

impl TransactionKind {
    /// Every kind, in display order.
    pub const ALL: [TransactionKind; 4] = [
        TransactionKind::Transfer,
        TransactionKind::License,
        TransactionKind::CapitalContribution,
        TransactionKind::Financing,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            TransactionKind::Transfer => "transfer",
            TransactionKind::License => "license",
            TransactionKind::CapitalContribution => "capital_contribution",
            TransactionKind::Financing => "financing",
        }
    }

    /// The Chinese name (import and export headers use it).
    pub fn chinese(self) -> &'static str {
        match self {
            TransactionKind::Transfer => "转让",
            TransactionKind::License => "许可",
            TransactionKind::CapitalContribution => "作价入股",
            TransactionKind::Financing => "投融资",
        }
    }

    /// The kind named by its key or its Chinese name.
    pub fn parse_any(raw: &str) -> Option<TransactionKind> {
        let raw = raw.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == raw || k.chinese() == raw)
    }
}

/// A deal as a client sends it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TransactionInput {
    pub kind: TransactionKind,
    /// Yuan with at most two decimals, as a string: `"1234567.89"`.
    pub amount: String,
    /// `YYYY-MM-DD`, not in the future, not before 2000.
    pub contract_date: String,
    #[serde(default)]
    pub patent_numbers: Vec<String>,
    #[serde(default)]
    pub counterparty_uscc: Vec<String>,
    #[serde(default)]
    pub contract_no: Option<String>,
    #[serde(default)]
    pub related_party: bool,
    #[serde(default)]
    pub note: Option<String>,
}

/// A deal whose every field is valid.
#[derive(Debug, Clone)]
pub struct ValidTransaction {
    pub kind: TransactionKind,
    pub amount: Yuan,
    pub contract_date: NaiveDate,
    pub patent_numbers: Vec<PatentNumber>,
    pub counterparty_uscc: Vec<Uscc>,
    pub contract_no: Option<String>,
    pub related_party: bool,
    pub note: Option<String>,
}

/// Amounts must lie below 10^12 yuan.
const AMOUNT_LIMIT_FEN: i64 = 100_000_000_000_000;

/// Validates a deal: amount > 0 with at most two decimals and below 10^12; date not in the future
/// nor before 2000; each patent number and counterparty code valid; at least one counterparty.
pub fn validate(
    input: &TransactionInput,
    today: NaiveDate,
    errors: &mut FieldErrors,
) -> Option<ValidTransaction> {
    let before = errors.0.len();
    let amount = match Yuan::parse(input.amount.trim()) {
        Ok(a) if a.fen() == 0 => {
            errors.add(
                "amount",
                Msg::new("金额须大于 0", "the amount must be greater than 0"),
            );
            None
        }
        Ok(a) if a.fen() >= AMOUNT_LIMIT_FEN => {
            errors.add(
                "amount",
                Msg::new("金额须小于 1 万亿元", "the amount must be below 10^12 yuan"),
            );
            None
        }
        Ok(a) => Some(a),
        Err(e) => {
            errors.add("amount", e.0);
            None
        }
    };
    let contract_date = ledger_date("contract_date", &input.contract_date, today, errors);
    let patent_numbers = identifier_list(
        "patent_numbers",
        &input.patent_numbers,
        PatentNumber::parse,
        errors,
    );
    let counterparty_uscc = identifier_list(
        "counterparty_uscc",
        &input.counterparty_uscc,
        |s| s.parse::<Uscc>(),
        errors,
    );
    if input.counterparty_uscc.is_empty() {
        errors.add(
            "counterparty_uscc",
            Msg::new(
                "请至少填写一个交易对方的统一社会信用代码",
                "at least one counterparty code is required",
            ),
        );
    }
    let contract_no = optional_text("contract_no", input.contract_no.as_deref(), 100, errors);
    let note = optional_text("note", input.note.as_deref(), 2000, errors);
    if errors.0.len() > before {
        return None;
    }
    Some(ValidTransaction {
        kind: input.kind,
        amount: amount?,
        contract_date: contract_date?,
        patent_numbers,
        counterparty_uscc,
        contract_no,
        related_party: input.related_party,
        note,
    })
}

/// A deal as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TransactionView {
    pub id: i64,
    pub center_id: i32,
    pub kind: String,
    /// Yuan, two decimals.
    pub amount: String,
    pub contract_date: NaiveDate,
    pub patent_numbers: Vec<String>,
    pub counterparty_uscc: Vec<String>,
    pub contract_no: Option<String>,
    pub related_party: bool,
    pub note: Option<String>,
    pub import_id: Option<i32>,
    pub deleted: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<transactions::Model> for TransactionView {
    fn from(m: transactions::Model) -> Self {
        TransactionView {
            id: m.id,
            center_id: m.center_id,
            kind: m.kind,
            amount: Yuan::from_fen(m.amount_fen).unwrap_or_default().to_string(),
            contract_date: m.contract_date,
            patent_numbers: from_json_list(&m.patent_numbers),
            counterparty_uscc: from_json_list(&m.counterparty_uscc),
            contract_no: m.contract_no,
            related_party: m.related_party,
            note: m.note,
            import_id: m.import_id,
            deleted: m.deleted_at.is_some(),
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

impl From<&transactions::Model> for TransactionInput {
    fn from(m: &transactions::Model) -> Self {
        let view = TransactionView::from(m.clone());
        TransactionInput {
            kind: super::super::parse_enum(&view.kind).unwrap_or(TransactionKind::Transfer),
            amount: view.amount,
            contract_date: view.contract_date.to_string(),
            patent_numbers: view.patent_numbers,
            counterparty_uscc: view.counterparty_uscc,
            contract_no: view.contract_no,
            related_party: view.related_party,
            note: view.note,
        }
    }
}

fn active_model(
    center_id: i32,
    deal: &ValidTransaction,
    actor_user_id: i32,
    import_id: Option<i32>,
    now: DateTime<Utc>,
) -> transactions::ActiveModel {
    transactions::ActiveModel {
        center_id: Set(center_id),
        kind: Set(deal.kind.as_str().to_string()),
        amount_fen: Set(deal.amount.fen()),
        contract_date: Set(deal.contract_date),
        patent_numbers: Set(to_json_list(&deal.patent_numbers)),
        counterparty_uscc: Set(to_json_list(&deal.counterparty_uscc)),
        contract_no: Set(deal.contract_no.clone()),
        related_party: Set(deal.related_party),
        note: Set(deal.note.clone()),
        import_id: Set(import_id),
        deleted_at: Set(None),
        version: Set(1),
        created_by: Set(Some(actor_user_id)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// Records a deal of `center_id` and audits it.
pub async fn create(
    db: &DatabaseConnection,
    center_id: i32,
    actor_user_id: i32,
    input: TransactionInput,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<transactions::Model, AppError> {
    let mut errors = FieldErrors::default();
    let deal = validate(&input, today, &mut errors);
    let deal = errors
        .into_result(deal)?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("validated deal missing")))?;
    crate::db::write(db, async |txn| {
        let model = active_model(center_id, &deal, actor_user_id, None, now)
            .insert(txn)
            .await?;
        let mut totals = TotalsDelta::default();
        totals.add(
            center_id,
            deal.contract_date,
            deal.kind.as_str(),
            deal.related_party,
            deal.amount.fen(),
            1,
        );
        totals.apply(txn).await?;
        AuditEntry::new(
            Some(actor_user_id),
            "transaction.create",
            "transaction",
            model.id,
        )
        .after(&TransactionView::from(model.clone()))
        .write(txn, now)
        .await?;
        Ok(model)
    })
    .await
}

/// Inserts already validated deals of one import, in batches, inside the caller's transaction.
pub async fn insert_validated(
    db: &impl ConnectionTrait,
    center_id: i32,
    actor_user_id: i32,
    import_id: i32,
    deals: &[ValidTransaction],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    for chunk in deals.chunks(500) {
        let rows = chunk
            .iter()
            .map(|d| active_model(center_id, d, actor_user_id, Some(import_id), now));
        transactions::Entity::insert_many(rows)
            .exec_without_returning(db)
            .await?;
    }
    let mut totals = TotalsDelta::default();
    for d in deals {
        totals.add(
            center_id,
            d.contract_date,
            d.kind.as_str(),
            d.related_party,
            d.amount.fen(),
            1,
        );
    }
    totals.apply(db).await
}

/// Edits a deal: the fields given are laid over the record and validated whole; 409 on a stale
/// `version`.
pub async fn update(
    db: &DatabaseConnection,
    center_id: i32,
    id: i64,
    actor_user_id: i32,
    patch: serde_json::Map<String, serde_json::Value>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<transactions::Model, AppError> {
    let version = super::version_of(&patch)?;
    let before = super::find_live::<transactions::Entity>(db, center_id, id).await?;
    let input = super::merge_patch(&TransactionInput::from(&before), patch)?;
    let mut errors = FieldErrors::default();
    let deal = validate(&input, today, &mut errors);
    let deal = errors
        .into_result(deal)?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("validated deal missing")))?;
    crate::db::write(db, async |txn| {
        use transactions::Column as C;
        let changes = vec![
            (C::Kind, Expr::value(deal.kind.as_str())),
            (C::AmountFen, Expr::value(deal.amount.fen())),
            (C::ContractDate, Expr::value(deal.contract_date)),
            (
                C::PatentNumbers,
                Expr::value(to_json_list(&deal.patent_numbers)),
            ),
            (
                C::CounterpartyUscc,
                Expr::value(to_json_list(&deal.counterparty_uscc)),
            ),
            (C::ContractNo, Expr::value(deal.contract_no.clone())),
            (C::RelatedParty, Expr::value(deal.related_party)),
            (C::Note, Expr::value(deal.note.clone())),
        ];
        update_if_current::<transactions::Entity>(txn, (id, version, before.version), changes, now)
            .await?;
        let after = super::find_live::<transactions::Entity>(txn, center_id, id).await?;
        let mut totals = TotalsDelta::default();
        totals.add(
            center_id,
            before.contract_date,
            &before.kind,
            before.related_party,
            before.amount_fen,
            -1,
        );
        totals.add(
            center_id,
            after.contract_date,
            &after.kind,
            after.related_party,
            after.amount_fen,
            1,
        );
        totals.apply(txn).await?;
        AuditEntry::new(Some(actor_user_id), "transaction.update", "transaction", id)
            .before(&TransactionView::from(before))
            .after(&TransactionView::from(after.clone()))
            .write(txn, now)
            .await?;
        Ok(after)
    })
    .await
}

/// Marks a deal entered by mistake as deleted (it never counts again); 409 on a stale `version`.
pub async fn delete(
    db: &DatabaseConnection,
    center_id: i32,
    id: i64,
    version: i32,
    actor_user_id: i32,
    now: DateTime<Utc>,
) -> Result<transactions::Model, AppError> {
    let before = super::find_live::<transactions::Entity>(db, center_id, id).await?;
    crate::db::write(db, async |txn| {
        use transactions::Column as C;
        let changes = vec![(C::DeletedAt, Expr::value(now))];
        update_if_current::<transactions::Entity>(txn, (id, version, before.version), changes, now)
            .await?;
        let after = transactions::Entity::find_by_id(id)
            .one(txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut totals = TotalsDelta::default();
        totals.add(
            center_id,
            before.contract_date,
            &before.kind,
            before.related_party,
            before.amount_fen,
            -1,
        );
        totals.apply(txn).await?;
        AuditEntry::new(Some(actor_user_id), "transaction.delete", "transaction", id)
            .before(&TransactionView::from(before))
            .write(txn, now)
            .await?;
        Ok(after)
    })
    .await
}

/// Filters of the deals list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct TransactionFilter {
    /// Contract year.
    pub year: Option<i32>,
    pub kind: Option<TransactionKind>,
}

/// The live deals of a center, newest contract first.
pub async fn list(
    db: &impl ConnectionTrait,
    center_id: i32,
    filter: &TransactionFilter,
    page: u64,
    per_page: u64,
) -> Result<Paged<TransactionView>, AppError> {
    let mut query = transactions::Entity::find()
        .filter(transactions::Column::CenterId.eq(center_id))
        .filter(transactions::Column::DeletedAt.is_null())
        .order_by_desc(transactions::Column::ContractDate)
        .order_by_desc(transactions::Column::Id);
    if let Some(year) = filter.year {
        let (start, end) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        );
        if let (Some(start), Some(end)) = (start, end) {
            query = query.filter(transactions::Column::ContractDate.between(start, end));
        }
    }
    if let Some(kind) = filter.kind {
        query = query.filter(transactions::Column::Kind.eq(kind.as_str()));
    }
    let paginator = query.paginate(db, per_page);
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(page - 1).await?;
    Ok(Paged {
        items: items.into_iter().map(TransactionView::from).collect(),
        total,
        page,
        per_page,
    })
}
