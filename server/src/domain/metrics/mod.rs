//! The indicators of a center, computed from its records alone, and the verdict of each criterion
//! under the rulebook version in force on the evaluated date.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use entities::{centers, organizations};
use sea_orm::ConnectionTrait;

use super::{
    identifiers::Yuan,
    rulebook::{self, RulebookVersion},
};
use crate::{error::AppError, i18n::Msg};

pub mod cache;
mod figures;
mod frozen;
mod list;
pub mod records;
mod verdicts;
pub use cache::{FiguresCache, FiguresKey, ItemStamp};
pub use figures::figures;
use figures::values;
pub use frozen::frozen_figures;
pub use list::{IndicatorSummary, ListedCenter, list_with_indicators, page_stamps, stamp_of};
pub use verdicts::{alliance_size, host_eligible, operation_scale};

/// The day a year is evaluated on: 31 December, or today for the current year; a future year is
/// refused (422).
pub fn evaluation_date(year: i32, today: NaiveDate) -> Result<NaiveDate, AppError> {
    if year > today.year() {
        return Err(AppError::field(
            "year",
            Msg::new(
                format!("{year} 年尚未到来"),
                format!("{year} lies in the future"),
            ),
        ));
    }
    if year < 2000 {
        return Err(AppError::field(
            "year",
            Msg::new("年份不得早于 2000 年", "the year may not lie before 2000"),
        ));
    }
    if year == today.year() {
        Ok(today)
    } else {
        NaiveDate::from_ymd_opt(year, 12, 31)
            .ok_or_else(|| AppError::field("year", Msg::new("年份无效", "invalid year")))
    }
}

/// The figures of one center for one year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub amount_by_kind: BTreeMap<&'static str, Yuan>,
    pub operation_amount: Yuan,
    pub related_party_amount: Yuan,
    pub transaction_count: i64,
    pub projects_cumulative: i64,
    pub alliance_counting_members: i64,
    pub alliance_members: i64,
    pub tech_smes_served: i64,
    pub events_by_kind: BTreeMap<String, i64>,
}

/// One criterion's verdict, with the figures and threshold it compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub rule: &'static str,
    pub passed: bool,
    pub detail: Msg,
}

/// Everything the metrics route shows for one center and year.
pub struct Metrics {
    pub year: i32,
    pub as_of: NaiveDate,
    pub rulebook: RulebookVersion,
    pub cycle_start: Option<NaiveDate>,
    pub figures: Figures,
    pub verdicts: Vec<Verdict>,
}

/// Evaluates `center` for `year` as of its evaluation date under the rulebook in force then;
/// the figures come from `cache` while the center's records are unchanged.
#[tracing::instrument(skip_all, fields(center = center.id, year))]
pub async fn evaluate(
    db: &impl ConnectionTrait,
    rulebook: &rulebook::RulebookCache,
    cache: &FiguresCache,
    center: &centers::Model,
    host: Option<&organizations::Model>,
    year: i32,
    today: NaiveDate,
) -> Result<Metrics, AppError> {
    let as_of = evaluation_date(year, today)?;
    let rulebook = rulebook.in_force_on(db, as_of).await?;
    let key = FiguresKey {
        center_id: center.id,
        year,
        as_of,
        rulebook_version: rulebook.version,
    };
    let computed = match cache.full.get(&key, &center.figures_version) {
        Some(hit) => hit,
        None => {
            let fresh =
                std::sync::Arc::new(figures(db, center.id, year, as_of, &rulebook.rules).await?);
            cache.full.keep(key, center.figures_version, fresh.clone());
            fresh
        }
    };
    let (figures, cycle_start) = (computed.0.clone(), computed.1);
    let verdicts = vec![
        operation_scale(&rulebook.rules, &figures),
        alliance_size(&rulebook.rules, &figures),
        host_eligible(&rulebook.rules, &center.level, host),
    ];
    Ok(Metrics {
        year,
        as_of,
        rulebook,
        cycle_start,
        figures,
        verdicts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn future_years_are_refused() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        assert_eq!(evaluation_date(2026, today).unwrap(), today);
        assert_eq!(
            evaluation_date(2025, today).unwrap(),
            NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()
        );
        assert!(evaluation_date(2027, today).is_err());
    }
}
