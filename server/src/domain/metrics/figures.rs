//! The figures of one center for one year, computed in one round trip from its records.

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, Statement, Value};

use super::Figures;
use crate::{
    domain::{
        identifiers::Yuan,
        ledger::{ORGANIZED_PROJECT_STATUSES, TransactionKind},
        parse_enum,
        rulebook::Rules,
    },
    error::AppError,
};

pub(super) fn values(items: impl IntoIterator<Item = Value>) -> Vec<Value> {
    items.into_iter().collect()
}

async fn query(
    db: &impl ConnectionTrait,
    sql: &str,
    params: Vec<Value>,
) -> Result<Vec<sea_orm::QueryResult>, AppError> {
    Ok(db
        .query_all_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            sql,
            params,
        ))
        .await?)
}

/// `$first, $first+1, …` placeholders for `count` values.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Computes, in one round trip, the figures of `center_id` for `year` as of `as_of`: deals by
/// contract year (from the maintained yearly totals), organized projects started from the start of
/// the cycle holding `year` (or ever) up to `as_of`, alliance members active on `as_of` (counting
/// only `rules.alliance_counting_kinds`), distinct tech SMEs served and events by kind in the year;
/// and the start of that cycle.
pub async fn figures(
    db: &impl ConnectionTrait,
    center_id: i32,
    year: i32,
    as_of: NaiveDate,
    rules: &Rules,
) -> Result<(Figures, Option<NaiveDate>), AppError> {
    let year_start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(as_of);
    let mut params = values([
        center_id.into(),
        year.into(),
        year_start.into(),
        as_of.into(),
        crate::domain::ledger::earliest_ledger_date().into(),
        true.into(),
    ]);
    let statuses = placeholders(params.len() + 1, ORGANIZED_PROJECT_STATUSES.len());
    params.extend(ORGANIZED_PROJECT_STATUSES.iter().map(|s| Value::from(*s)));
    let kinds = match rules.alliance_counting_kinds.len() {
        0 => "NULL".to_string(),
        n => placeholders(params.len() + 1, n),
    };
    params.extend(
        rules
            .alliance_counting_kinds
            .iter()
            .map(|k| Value::from(k.as_str())),
    );
    let cycle = "SELECT start_date FROM cycles WHERE center_id = $1 AND first_year <= $2 AND last_year >= $2";
    let sql = format!(
        "SELECT 'deal' AS metric, kind AS label, CASE WHEN related_party THEN 1 ELSE 0 END AS flag, amount_fen AS amount, deal_count AS n \
           FROM center_year_totals WHERE center_id = $1 AND year = $2 \
         UNION ALL SELECT 'cycle', CAST(start_date AS TEXT), 0, 0, 0 FROM cycles WHERE center_id = $1 AND first_year <= $2 AND last_year >= $2 \
         UNION ALL SELECT 'projects', '', 0, 0, COUNT(*) FROM projects WHERE center_id = $1 AND deleted_at IS NULL \
           AND start_date >= COALESCE(({cycle}), $5) AND start_date <= $4 AND status IN ({statuses}) \
         UNION ALL SELECT 'members', '', 0, SUM(CASE WHEN org_kind IN ({kinds}) THEN 1 ELSE 0 END), COUNT(*) FROM memberships \
           WHERE center_id = $1 AND deleted_at IS NULL AND joined_on <= $4 AND (left_on IS NULL OR left_on > $4) \
         UNION ALL SELECT 'smes', '', 0, 0, COUNT(DISTINCT seo.organization_id) FROM service_event_organizations seo \
           JOIN service_events e ON e.id = seo.event_id JOIN organizations o ON o.id = seo.organization_id \
           WHERE e.center_id = $1 AND e.deleted_at IS NULL AND e.event_date >= $3 AND e.event_date <= $4 AND o.flag_tech_sme = $6 \
         UNION ALL SELECT 'events', kind, 0, 0, COUNT(*) FROM service_events \
           WHERE center_id = $1 AND deleted_at IS NULL AND event_date >= $3 AND event_date <= $4 GROUP BY kind"
    );
    let mut figures = Figures::default();
    for kind in TransactionKind::ALL {
        figures
            .amount_by_kind
            .insert(kind.as_str(), Yuan::default());
    }
    let mut cycle_start = None;
    for row in query(db, &sql, params).await? {
        let metric: String = row.try_get("", "metric")?;
        let label: String = row
            .try_get::<Option<String>>("", "label")?
            .unwrap_or_default();
        let amount: i64 = row.try_get::<Option<i64>>("", "amount")?.unwrap_or(0);
        let n: i64 = row.try_get("", "n")?;
        match metric.as_str() {
            "deal" => {
                let total = Yuan::from_fen(amount).unwrap_or_default();
                figures.transaction_count += n;
                if let Some(kind) = parse_enum::<TransactionKind>(&label) {
                    let slot = figures.amount_by_kind.entry(kind.as_str()).or_default();
                    *slot = slot.checked_add(total).unwrap_or(*slot);
                }
                figures.operation_amount = figures
                    .operation_amount
                    .checked_add(total)
                    .unwrap_or(figures.operation_amount);
                if row.try_get::<i32>("", "flag")? == 1 {
                    figures.related_party_amount = figures
                        .related_party_amount
                        .checked_add(total)
                        .unwrap_or(figures.related_party_amount);
                }
            }
            "cycle" => cycle_start = NaiveDate::parse_from_str(&label, "%Y-%m-%d").ok(),
            "projects" => figures.projects_cumulative = n,
            "members" => {
                figures.alliance_counting_members = amount;
                figures.alliance_members = n;
            }
            "smes" => figures.tech_smes_served = n,
            "events" => {
                figures.events_by_kind.insert(label, n);
            }
            _ => {}
        }
    }
    Ok((figures, cycle_start))
}
