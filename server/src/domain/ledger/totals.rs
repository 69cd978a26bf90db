//! The yearly deal totals of each center (`center_year_totals`), moved in the same transaction as
//! every write of a deal so that they always equal the sums of the live deals.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use sea_orm::{ConnectionTrait, Statement};

use crate::error::AppError;

/// Changes to the totals, by center, contract year, kind and related-party flag.
#[derive(Debug, Default)]
pub struct TotalsDelta(HashMap<(i32, i32, String, bool), (i64, i64)>);

impl TotalsDelta {
    /// Counts a deal in (`sign` = 1) or out (`sign` = -1).
    pub fn add(
        &mut self,
        center_id: i32,
        contract_date: NaiveDate,
        kind: &str,
        related_party: bool,
        amount_fen: i64,
        sign: i64,
    ) {
        let slot = self
            .0
            .entry((
                center_id,
                contract_date.year(),
                kind.to_string(),
                related_party,
            ))
            .or_default();
        slot.0 += sign * amount_fen;
        slot.1 += sign;
    }

    /// Writes the changes (upserts), inside the caller's transaction.
    pub async fn apply(self, db: &impl ConnectionTrait) -> Result<(), AppError> {
        for ((center_id, year, kind, related_party), (amount_fen, count)) in self.0 {
            if amount_fen == 0 && count == 0 {
                continue;
            }
            let statement = Statement::from_sql_and_values(
                db.get_database_backend(),
                "INSERT INTO center_year_totals (center_id, year, kind, related_party, amount_fen, deal_count) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (center_id, year, kind, related_party) DO UPDATE SET \
                 amount_fen = center_year_totals.amount_fen + excluded.amount_fen, deal_count = center_year_totals.deal_count + excluded.deal_count",
                [
                    center_id.into(),
                    year.into(),
                    kind.into(),
                    related_party.into(),
                    amount_fen.into(),
                    count.into(),
                ],
            );
            db.execute_raw(statement).await?;
        }
        Ok(())
    }
}
