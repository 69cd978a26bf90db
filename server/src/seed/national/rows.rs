//! Random values and batched inserts of the national data set.

use chrono::{Duration, NaiveDate};
use entities::{transaction_patents, transactions};
use rand::{Rng, rngs::StdRng};
use sea_orm::{DatabaseConnection, EntityTrait, Set};

use crate::domain::identifiers::{PROVINCES, PatentNumber};
use crate::error::AppError;

const BATCH: usize = 1_000;

/// A random region code (province, city, district).
pub(super) fn region(rng: &mut StdRng) -> String {
    let province = PROVINCES[rng.random_range(0..31)].0;
    format!(
        "{province}{:02}{:02}",
        rng.random_range(1..20),
        rng.random_range(0..10)
    )
}

/// A random day from `from` to `to`.
pub(super) fn random_date(rng: &mut StdRng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    from + Duration::days(rng.random_range(0..=(to - from).num_days()))
}

/// A random valid application number.
pub(super) fn patent(rng: &mut StdRng) -> String {
    let body = format!(
        "{}{}{:07}",
        rng.random_range(2012..2025),
        [1, 1, 1, 2, 3][rng.random_range(0..5)],
        rng.random_range(0..10_000_000)
    );
    PatentNumber::from_body(&body)
        .map(|p| p.to_string())
        .unwrap_or_default()
}

/// Inserts `rows` in batches.
pub(super) async fn insert_batches<A, E>(
    db: &DatabaseConnection,
    rows: Vec<A>,
) -> Result<(), AppError>
where
    A: sea_orm::ActiveModelTrait<Entity = E> + Send,
    E: EntityTrait,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(BATCH).collect();
        E::insert_many(chunk).exec_without_returning(db).await?;
    }
    Ok(())
}

/// Inserts deals in batches, each with its one patent number.
pub(super) async fn insert_deals(
    db: &DatabaseConnection,
    deals: Vec<transactions::ActiveModel>,
    patents: Vec<String>,
) -> Result<(), AppError> {
    let mut rows = deals.into_iter().zip(patents).peekable();
    while rows.peek().is_some() {
        let (chunk, numbers): (Vec<_>, Vec<_>) = rows.by_ref().take(BATCH).unzip();
        let ids = transactions::Entity::insert_many(chunk)
            .exec_with_returning_keys(db)
            .await?;
        let patent_rows =
            ids.into_iter()
                .zip(numbers)
                .map(|(id, number)| transaction_patents::ActiveModel {
                    transaction_id: Set(id),
                    position: Set(0),
                    patent_number: Set(number),
                });
        transaction_patents::Entity::insert_many(patent_rows)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}
