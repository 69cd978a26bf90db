//! The patents of each deal, kept in a table of their own (`transaction_patents`: the deal, the
//! position in its list, the normalized application number) so that a query can join a deal to
//! a patent.

use std::collections::HashMap;

use entities::transaction_patents;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::{domain::identifiers::PatentNumber, error::AppError};

/// Rows written per statement (three values a row: well under both backends' parameter limits).
const BATCH: usize = 2_000;

/// The patent numbers of each of the deals `ids`, in their listed order, in one query.
pub async fn of_deals(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<String>>, AppError> {
    let mut by_deal: HashMap<i64, Vec<String>> = HashMap::new();
    for chunk in ids.chunks(BATCH) {
        let rows = transaction_patents::Entity::find()
            .filter(transaction_patents::Column::TransactionId.is_in(chunk.to_vec()))
            .order_by_asc(transaction_patents::Column::TransactionId)
            .order_by_asc(transaction_patents::Column::Position)
            .all(db)
            .await?;
        for row in rows {
            by_deal
                .entry(row.transaction_id)
                .or_default()
                .push(row.patent_number);
        }
    }
    Ok(by_deal)
}

/// Writes the numbers of the deals `deals` (each a deal's id and its numbers in order).
pub async fn insert(
    db: &impl ConnectionTrait,
    deals: &[(i64, &[PatentNumber])],
) -> Result<(), AppError> {
    let rows: Vec<transaction_patents::ActiveModel> = deals
        .iter()
        .flat_map(|(id, numbers)| {
            numbers.iter().enumerate().map(move |(position, number)| {
                transaction_patents::ActiveModel {
                    transaction_id: Set(*id),
                    position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
                    patent_number: Set(number.to_string()),
                }
            })
        })
        .collect();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(BATCH).collect();
        transaction_patents::Entity::insert_many(chunk)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Replaces the numbers of deal `id` by `numbers`.
pub async fn replace(
    db: &impl ConnectionTrait,
    id: i64,
    numbers: &[PatentNumber],
) -> Result<(), AppError> {
    transaction_patents::Entity::delete_many()
        .filter(transaction_patents::Column::TransactionId.eq(id))
        .exec(db)
        .await?;
    insert(db, &[(id, numbers)]).await
}
