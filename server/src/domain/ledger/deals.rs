//! Writing deals: each command runs inside the caller's transaction (`&DatabaseTransaction`)
//! with everything that moves with the deal — its patents, the center's year totals, its audit
//! row — so that one command can be composed inside another; handlers open the transaction.

use chrono::{DateTime, NaiveDate, Utc};
use entities::transactions;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, Set, sea_query::Expr,
};

use super::{
    deal_patents, to_json_list,
    totals::TotalsDelta,
    transactions::{TransactionInput, TransactionView, ValidTransaction, validate, views},
    update_if_current,
};
use crate::{
    domain::audit::AuditEntry,
    error::{AppError, FieldErrors},
};

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

/// The live deal `id` of `center_id` as it is shown, with its patents (404 otherwise).
async fn live_view(
    db: &impl ConnectionTrait,
    center_id: i32,
    id: i64,
) -> Result<(transactions::Model, TransactionView), AppError> {
    let model = super::find_live::<transactions::Entity>(db, center_id, id).await?;
    let view = views(db, vec![model.clone()])
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    Ok((model, view))
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

/// Records a deal of `center_id` with its patents, the center's year totals and its audit row,
/// inside the caller's transaction.
pub async fn create(
    db: &DatabaseTransaction,
    center_id: i32,
    actor_user_id: i32,
    input: TransactionInput,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<TransactionView, AppError> {
    let deal = valid(&input, today)?;
    let model = active_model(center_id, &deal, actor_user_id, None, now)
        .insert(db)
        .await?;
    deal_patents::insert(db, &[(model.id, &deal.patent_numbers)]).await?;
    let mut totals = TotalsDelta::default();
    totals_of(center_id, &model, 1, &mut totals);
    totals.apply(db).await?;
    let numbers = deal
        .patent_numbers
        .iter()
        .map(ToString::to_string)
        .collect();
    let view = TransactionView::of(model, numbers);
    AuditEntry::new(
        Some(actor_user_id),
        "transaction.create",
        "transaction",
        view.id,
    )
    .after(&view)
    .write(db, now)
    .await?;
    Ok(view)
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

/// Edits a deal inside the caller's transaction: the fields given are laid over the record and
/// validated whole; 409 on a stale `version`; its patents, the year totals and the audit row
/// move with it.
pub async fn update(
    db: &DatabaseTransaction,
    center_id: i32,
    id: i64,
    actor_user_id: i32,
    patch: serde_json::Map<String, serde_json::Value>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<TransactionView, AppError> {
    let version = super::version_of(&patch)?;
    let (before, before_view) = live_view(db, center_id, id).await?;
    let input = super::merge_patch(&TransactionInput::from(&before_view), patch)?;
    let deal = valid(&input, today)?;
    use transactions::Column as C;
    let changes = vec![
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
    ];
    update_if_current::<transactions::Entity>(db, (id, version, before.version), changes, now)
        .await?;
    deal_patents::replace(db, id, &deal.patent_numbers).await?;
    let (after, after_view) = live_view(db, center_id, id).await?;
    let mut totals = TotalsDelta::default();
    totals_of(center_id, &before, -1, &mut totals);
    totals_of(center_id, &after, 1, &mut totals);
    totals.apply(db).await?;
    AuditEntry::new(Some(actor_user_id), "transaction.update", "transaction", id)
        .before(&before_view)
        .after(&after_view)
        .write(db, now)
        .await?;
    Ok(after_view)
}

/// Marks a deal entered by mistake as deleted (it never counts again) inside the caller's
/// transaction; 409 on a stale `version`.
pub async fn delete(
    db: &DatabaseTransaction,
    center_id: i32,
    id: i64,
    version: i32,
    actor_user_id: i32,
    now: DateTime<Utc>,
) -> Result<TransactionView, AppError> {
    let (before, before_view) = live_view(db, center_id, id).await?;
    use transactions::Column as C;
    let changes = vec![(C::DeletedAt, Expr::value(now))];
    update_if_current::<transactions::Entity>(db, (id, version, before.version), changes, now)
        .await?;
    let after = transactions::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut totals = TotalsDelta::default();
    totals_of(center_id, &before, -1, &mut totals);
    totals.apply(db).await?;
    AuditEntry::new(Some(actor_user_id), "transaction.delete", "transaction", id)
        .before(&before_view)
        .write(db, now)
        .await?;
    Ok(TransactionView::of(after, before_view.patent_numbers))
}
