//! Deals (运营交易): transfer, license, capital contribution, financing.

use chrono::{DateTime, NaiveDate, Utc};
use entities::transactions;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{deal_patents, from_json_list, identifier_list, ledger_date, optional_text};
use crate::{
    domain::{
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
    /// The contract number as compared (unique among the center's live deals).
    pub contract_key: Option<String>,
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
        contract_key: contract_no.as_deref().and_then(transactions::contract_key),
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

impl TransactionView {
    /// The deal `m` with its patent numbers, in their listed order.
    pub fn of(m: transactions::Model, patent_numbers: Vec<String>) -> Self {
        TransactionView {
            id: m.id,
            center_id: m.center_id,
            kind: m.kind,
            amount: Yuan::from_fen(m.amount_fen).unwrap_or_default().to_string(),
            contract_date: m.contract_date,
            patent_numbers,
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

/// The deals `models` as views, their patent numbers read in one query.
pub async fn views(
    db: &impl ConnectionTrait,
    models: Vec<transactions::Model>,
) -> Result<Vec<TransactionView>, AppError> {
    let ids: Vec<i64> = models.iter().map(|m| m.id).collect();
    let mut patents = deal_patents::of_deals(db, &ids).await?;
    Ok(models
        .into_iter()
        .map(|m| {
            let numbers = patents.remove(&m.id).unwrap_or_default();
            TransactionView::of(m, numbers)
        })
        .collect())
}

impl From<&TransactionView> for TransactionInput {
    fn from(view: &TransactionView) -> Self {
        TransactionInput {
            kind: crate::domain::parse_enum(&view.kind).unwrap_or(TransactionKind::Transfer),
            amount: view.amount.clone(),
            contract_date: view.contract_date.to_string(),
            patent_numbers: view.patent_numbers.clone(),
            counterparty_uscc: view.counterparty_uscc.clone(),
            contract_no: view.contract_no.clone(),
            related_party: view.related_party,
            note: view.note.clone(),
        }
    }
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
        items: views(db, items).await?,
        total,
        page,
        per_page,
    })
}
