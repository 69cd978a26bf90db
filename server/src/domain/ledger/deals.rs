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
        let model = active_model(center_id, deal, actor_user_id, None, now)
            .insert(db)
            .await?;
        deal_patents::insert(db, &[(model.id, &deal.patent_numbers)]).await?;
        Ok(model)
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
            .await?;
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
