//! Writing deals: each command runs inside the caller's transaction (`&DatabaseTransaction`)
//! with everything that moves with the deal — its patents, the center's year totals, its audit
//! row — so that one command can be composed inside another; handlers open the transaction.

use chrono::{DateTime, NaiveDate, Utc};
use entities::transactions;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, Set, sea_query::Expr,
};

use super::{
    deal_patents,
    record::LedgerRecord,
    to_json_list,
    totals::TotalsDelta,
    transactions::{TransactionInput, TransactionView, ValidTransaction, validate, views},
};
use crate::error::{AppError, FieldErrors};
use crate::i18n::Msg;

/// `input` validated whole, or every field's error (422).
fn valid(input: &TransactionInput, today: NaiveDate) -> Result<ValidTransaction, AppError> {
    let mut errors = FieldErrors::default();
    let deal = validate(input, today, &mut errors);
    errors
        .into_result(deal)?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("validated deal missing")))
}

/// The year totals a deal moves when it is added (`sign` 1) or taken away (`sign` -1).
fn totals_of(center_id: i32, deal: &transactions::Model, sign: i64, totals: &mut TotalsDelta) {
    totals.add(
        center_id,
        deal.contract_date,
        &deal.kind,
        deal.related_party,
        deal.amount_fen,
        sign,
    );
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
        counterparty_uscc: Set(to_json_list(&deal.counterparty_uscc)),
        contract_no: Set(deal.contract_no.clone()),
        contract_key: Set(deal.contract_key.clone()),
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

/// Refuses (422 on `contract_no`) a deal whose contract number another live deal of the center
/// (other than `except`) uses, naming that deal.
async fn contract_free(
    db: &DatabaseTransaction,
    center_id: i32,
    deal: &ValidTransaction,
    except: Option<i64>,
) -> Result<(), AppError> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let Some(key) = &deal.contract_key else {
        return Ok(());
    };
    let mut same = transactions::Entity::find()
        .filter(transactions::Column::CenterId.eq(center_id))
        .filter(transactions::Column::ContractKey.eq(key.as_str()))
        .filter(transactions::Column::DeletedAt.is_null());
    if let Some(id) = except {
        same = same.filter(transactions::Column::Id.ne(id));
    }
    match same.one(db).await? {
        Some(other) => {
            let number = deal.contract_no.as_deref().unwrap_or_default();
            Err(AppError::field(
                "contract_no",
                contract_used(number, &other),
            ))
        }
        None => Ok(()),
    }
}

/// The contract number `number` is already used by the live deal `other`.
pub fn contract_used(number: &str, other: &transactions::Model) -> Msg {
    let (id, date) = (other.id, other.contract_date);
    Msg::new(
        format!("合同编号“{number}”已用于本中心 {date} 的交易（编号 {id}），同一合同不能登记两次"),
        format!(
            "contract number '{number}' is already used by this center's deal {id} of {date}; one contract is recorded once"
        ),
    )
}

/// A deal written at the same moment as another with its contract number (the unique index
/// refused the second): the same refusal as when it was there first.
fn taken_at_once(err: sea_orm::DbErr, deal: &ValidTransaction) -> AppError {
    match AppError::from(err) {
        AppError::Conflict(_) if deal.contract_key.is_some() => {
            let number = deal.contract_no.as_deref().unwrap_or_default();
            AppError::field(
                "contract_no",
                Msg::new(
                    format!("合同编号“{number}”已被本中心同时登记的另一笔交易使用"),
                    format!(
                        "contract number '{number}' was just recorded by another deal of this center"
                    ),
                ),
            )
        }
        other => other,
    }
}

/// Deals as ledger records: their patents belong to them, and while they count they move their
/// center's year totals.
pub struct Deal;

impl LedgerRecord for Deal {
    type Entity = transactions::Entity;
    type Model = transactions::Model;
    type Input = TransactionInput;
    type Valid = ValidTransaction;
    type View = TransactionView;
    const NAME: &'static str = "transaction";

    fn key(model: &transactions::Model) -> (i64, i32) {
        (model.id, model.version)
    }

    async fn validate(
        _db: &impl ConnectionTrait,
        input: &TransactionInput,
        today: NaiveDate,
    ) -> Result<ValidTransaction, AppError> {
        valid(input, today)
    }

    async fn insert(
        db: &DatabaseTransaction,
        center_id: i32,
        deal: &ValidTransaction,
        actor_user_id: i32,
        now: DateTime<Utc>,
    ) -> Result<transactions::Model, AppError> {
        contract_free(db, center_id, deal, None).await?;
        let model = active_model(center_id, deal, actor_user_id, None, now)
            .insert(db)
            .await
            .map_err(|e| taken_at_once(e, deal))?;
        deal_patents::insert(db, &[(model.id, &deal.patent_numbers)]).await?;
        Ok(model)
    }

    async fn admit(
        db: &DatabaseTransaction,
        id: i64,
        deal: &ValidTransaction,
    ) -> Result<(), AppError> {
        let edited = transactions::Entity::find_by_id(id).one(db).await?;
        let edited = edited.ok_or(AppError::NotFound)?;
        contract_free(db, edited.center_id, deal, Some(id)).await
    }

    fn changes(deal: &ValidTransaction) -> Vec<(transactions::Column, Expr)> {
        use transactions::Column as C;
        vec![
            (C::Kind, Expr::value(deal.kind.as_str())),
            (C::AmountFen, Expr::value(deal.amount.fen())),
            (C::ContractDate, Expr::value(deal.contract_date)),
            (
                C::CounterpartyUscc,
                Expr::value(to_json_list(&deal.counterparty_uscc)),
            ),
            (C::ContractNo, Expr::value(deal.contract_no.clone())),
            (C::ContractKey, Expr::value(deal.contract_key.clone())),
            (C::RelatedParty, Expr::value(deal.related_party)),
            (C::Note, Expr::value(deal.note.clone())),
        ]
    }

    async fn relink(
        db: &DatabaseTransaction,
        id: i64,
        deal: &ValidTransaction,
    ) -> Result<(), AppError> {
        deal_patents::replace(db, id, &deal.patent_numbers).await
    }

    async fn moves(
        db: &DatabaseTransaction,
        deal: &transactions::Model,
        sign: i64,
    ) -> Result<(), AppError> {
        let mut totals = TotalsDelta::default();
        totals_of(deal.center_id, deal, sign, &mut totals);
        totals.apply(db).await
    }

    async fn views(
        db: &impl ConnectionTrait,
        models: Vec<transactions::Model>,
    ) -> Result<Vec<TransactionView>, AppError> {
        views(db, models).await
    }

    fn input_of(view: &TransactionView) -> TransactionInput {
        TransactionInput::from(view)
    }
}

/// Inserts already validated deals of one import, in batches, with their patents and the
/// center's year totals, inside the caller's transaction.
pub async fn insert_validated(
    db: &DatabaseTransaction,
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
        let ids = transactions::Entity::insert_many(rows)
            .exec_with_returning_keys(db)
            .await
            .map_err(|e| match AppError::from(e) {
                AppError::Conflict(_) => AppError::Conflict(Msg::new(
                    "文件中的合同编号刚被本中心另一笔交易使用，请核对后重新导入",
                    "a contract number of the file was just used by another deal of this center; check and import again",
                )),
                other => other,
            })?;
        let with_patents: Vec<_> = ids
            .into_iter()
            .zip(chunk.iter().map(|d| d.patent_numbers.as_slice()))
            .collect();
        deal_patents::insert(db, &with_patents).await?;
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

/// The live deals of `center_id` that have a contract number, by its key (what an import's rows
/// are checked against).
pub async fn live_contracts(
    db: &impl ConnectionTrait,
    center_id: i32,
) -> Result<std::collections::HashMap<String, transactions::Model>, AppError> {
    use sea_orm::{ColumnTrait, QueryFilter};
    let live = transactions::Entity::find()
        .filter(transactions::Column::CenterId.eq(center_id))
        .filter(transactions::Column::ContractKey.is_not_null())
        .filter(transactions::Column::DeletedAt.is_null())
        .all(db)
        .await?;
    let keyed = live
        .into_iter()
        .filter_map(|d| Some((d.contract_key.clone()?, d)));
    Ok(keyed.collect())
}
