//! The national dashboard (cnipa; a local office sees its region): one row per center with its
//! place in the cycle, this year's figures against the thresholds, the report that waits, the
//! last result, open proposals and a traffic light; and the national series its charts draw.
//!
//! The whole dashboard of a scope is computed once and reused while nothing it shows has changed:
//! every request reads one stamp of the centers (their number and the sums of their versions,
//! figures versions and lifecycle versions — each only ever grows, and database triggers move the
//! figures and lifecycle versions), in the same statement as the caller's account, and is served
//! the cached dashboard only when the stamp, the day and the rulebook version are the ones it was
//! computed under.

mod row;
mod stamp;
pub mod table;
mod waiting;

use std::{collections::HashMap, sync::Arc};

use chrono::{Datelike, NaiveDate};
use entities::{
    annual_reports, center_year_totals, centers, cycles, decisions, rectifications,
    withdrawal_requests,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, sea_query::Expr,
};

pub use row::{DashboardRow, Light};
pub use stamp::{DashboardStamp, caller_with_stamp, stamp};
pub use table::DashboardQuery;
pub use waiting::{Waiting, waiting_on};

use super::{
    access,
    identifiers::Yuan,
    ledger::TransactionKind,
    metrics::{FiguresCache, cache::StampedCache, list_with_indicators},
    rulebook::RulebookCache,
    services::Services,
    users::Role,
};
use crate::{auth::CurrentUser, error::AppError};

/// How many years the national series go back (this year included).
const SERIES_YEARS: i32 = 6;

/// One year of the national operation amount, by kind.
#[derive(Debug, Clone, Default)]
pub struct YearAmounts {
    pub year: i32,
    /// In the order of `TransactionKind::ALL`.
    pub by_kind: Vec<(&'static str, Yuan)>,
}

/// A scope's dashboard as of one day.
#[derive(Debug, Clone)]
pub struct Dashboard {
    pub today: NaiveDate,
    pub rulebook_version: i32,
    pub rows: Vec<DashboardRow>,
    pub amount_by_year: Vec<YearAmounts>,
}

/// Whose centers a dashboard shows: its cache key and its filter (`None`: every center).
pub struct Scope {
    key: String,
    condition: Option<Condition>,
}

/// The key of a cached dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DashboardKey {
    scope: String,
    as_of: NaiveDate,
    rulebook_version: i32,
}

/// Dashboards computed and reused under their stamp; one computation at a time, so that the
/// readers who all miss after a change wait for one result instead of each computing it.
pub struct DashboardCache {
    entries: StampedCache<DashboardKey, DashboardStamp, Arc<Dashboard>>,
    computing: tokio::sync::Mutex<()>,
}

impl DashboardCache {
    /// A cache of at most `capacity` dashboards (0: every request computes its own).
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: StampedCache::new(capacity),
            computing: tokio::sync::Mutex::new(()),
        }
    }
}

/// The dashboard scope of `user`: every center for cnipa and admin, its region for a local
/// office; 403 for everyone else.
pub fn scope_of(user: &CurrentUser) -> Result<Scope, AppError> {
    match user.role {
        Role::Cnipa | Role::Admin => Ok(Scope {
            key: String::new(),
            condition: None,
        }),
        Role::LocalOffice => Ok(Scope {
            key: user.region_code.clone().unwrap_or_default(),
            condition: access::readable_filter(user),
        }),
        _ => Err(AppError::Forbidden),
    }
}

/// The centers of `scope` as a select.
fn scoped(scope: &Scope) -> sea_orm::Select<centers::Entity> {
    let select = centers::Entity::find();
    match &scope.condition {
        Some(condition) => select.filter(condition.clone()),
        None => select,
    }
}

/// The ids of the centers of `scope`, as a subquery.
fn scoped_ids(scope: &Scope) -> sea_orm::sea_query::SelectStatement {
    scoped(scope)
        .select_only()
        .column(centers::Column::Id)
        .into_query()
}

/// The dashboard of `scope` today: the cached one while the centers' stamp (read now) holds,
/// else computed.
pub async fn snapshot(
    services: &Services<'_>,
    cache: &DashboardCache,
    scope: &Scope,
) -> Result<Arc<Dashboard>, AppError> {
    let stamp = stamp(services.db).await?;
    snapshot_at(services, cache, scope, stamp).await
}

/// The dashboard of `scope` today given the centers' `stamp` just read.
pub async fn snapshot_at(
    services: &Services<'_>,
    cache: &DashboardCache,
    scope: &Scope,
    stamp: DashboardStamp,
) -> Result<Arc<Dashboard>, AppError> {
    let (db, today) = (services.db, services.today);
    let in_force = services.rulebook.in_force_on(db, today).await?;
    let key = DashboardKey {
        scope: scope.key.clone(),
        as_of: today,
        rulebook_version: in_force.version,
    };
    if let Some(cached) = cache.entries.get(&key, &stamp) {
        return Ok(cached);
    }
    let _turn = cache.computing.lock().await;
    // another reader may have computed it while this one waited
    if let Some(cached) = cache.entries.get(&key, &stamp) {
        return Ok(cached);
    }
    let dashboard = compute(db, services.rulebook, services.figures, scope, today).await?;
    let dashboard = Arc::new(dashboard);
    cache.entries.keep(key, stamp, dashboard.clone());
    Ok(dashboard)
}

/// Groups `items` by center.
fn by_center<T>(items: Vec<T>, center_of: impl Fn(&T) -> i32) -> HashMap<i32, Vec<T>> {
    let mut grouped: HashMap<i32, Vec<T>> = HashMap::new();
    for item in items {
        grouped.entry(center_of(&item)).or_default().push(item);
    }
    grouped
}

/// Computes the dashboard of `scope`: the listed figures (from the figures cache where current)
/// and one statement each for cycles, reports, decisions, rectifications, withdrawal requests
/// and the national series.
async fn compute(
    db: &impl ConnectionTrait,
    rulebook: &RulebookCache,
    figures: &FiguresCache,
    scope: &Scope,
    today: NaiveDate,
) -> Result<Dashboard, AppError> {
    let in_force = rulebook.in_force_on(db, today).await?;
    let listed = list_with_indicators(
        db,
        rulebook,
        figures,
        scoped(scope).order_by_asc(centers::Column::Id),
        today,
    )
    .await?;
    let ids = || scoped_ids(scope);
    let cycles = by_center(
        cycles::Entity::find()
            .filter(cycles::Column::CenterId.in_subquery(ids()))
            .all(db)
            .await?,
        |c| c.center_id,
    );
    let reports = by_center(
        annual_reports::Entity::find()
            .filter(annual_reports::Column::CenterId.in_subquery(ids()))
            .all(db)
            .await?,
        |r| r.center_id,
    );
    let decisions = by_center(
        decisions::Entity::find()
            .filter(decisions::Column::CenterId.in_subquery(ids()))
            .order_by_asc(decisions::Column::Id)
            .all(db)
            .await?,
        |d| d.center_id,
    );
    let rectifications = by_center(
        rectifications::Entity::find()
            .filter(rectifications::Column::CenterId.in_subquery(ids()))
            .all(db)
            .await?,
        |r| r.center_id,
    );
    let withdrawals = by_center(
        withdrawal_requests::Entity::find()
            .filter(withdrawal_requests::Column::CenterId.in_subquery(ids()))
            .filter(
                withdrawal_requests::Column::Status.eq(super::lifecycle::withdrawal::status::OPEN),
            )
            .all(db)
            .await?,
        |w| w.center_id,
    );
    // each reporting year is read under the rulebook of its year, as the reports calendar does
    let mut year_rules = HashMap::new();
    let years = cycles
        .values()
        .flatten()
        .flat_map(|c| c.first_year..=c.last_year);
    for year in years.collect::<std::collections::BTreeSet<i32>>() {
        year_rules.insert(
            year,
            super::reports::rules_of_year(db, rulebook, year, today).await?,
        );
    }
    let rows = listed
        .iter()
        .map(|l| {
            let id = l.center.id;
            let decided = decisions.get(&id).map(Vec::as_slice).unwrap_or_default();
            let facts = row::Facts {
                cycles: cycles.get(&id).map(Vec::as_slice).unwrap_or_default(),
                reports: reports
                    .get(&id)
                    .map(|rs| rs.iter().map(|r| (r.year, r)).collect())
                    .unwrap_or_default(),
                decisions: decided,
                rectifications: rectifications
                    .get(&id)
                    .map(Vec::as_slice)
                    .unwrap_or_default(),
                year_rules: Some(&year_rules),
                proposals: super::lifecycle::proposals::open_proposals(
                    decided,
                    rectifications
                        .get(&id)
                        .map(Vec::as_slice)
                        .unwrap_or_default(),
                    withdrawals.get(&id).map(Vec::as_slice).unwrap_or_default(),
                    today,
                ),
            };
            row::row(l, facts, &in_force.rules, today)
        })
        .collect();
    Ok(Dashboard {
        today,
        rulebook_version: in_force.version,
        rows,
        amount_by_year: amount_by_year(db, scope, today.year()).await?,
    })
}

/// The operation amount of the scope's centers by year and kind, for the last `SERIES_YEARS`.
async fn amount_by_year(
    db: &impl ConnectionTrait,
    scope: &Scope,
    this_year: i32,
) -> Result<Vec<YearAmounts>, AppError> {
    let first = this_year - SERIES_YEARS + 1;
    let query = center_year_totals::Entity::find()
        .select_only()
        .column(center_year_totals::Column::Year)
        .column(center_year_totals::Column::Kind)
        .expr_as(
            Expr::cust("CAST(COALESCE(SUM(center_year_totals.amount_fen), 0) AS BIGINT)"),
            "amount",
        )
        .filter(center_year_totals::Column::CenterId.in_subquery(scoped_ids(scope)))
        .filter(center_year_totals::Column::Year.between(first, this_year))
        .group_by(center_year_totals::Column::Year)
        .group_by(center_year_totals::Column::Kind);
    let backend = db.get_database_backend();
    let mut sums: HashMap<(i32, String), i64> = HashMap::new();
    for row in db.query_all_raw(query.build(backend)).await? {
        let year: i32 = row.try_get("", "year")?;
        let kind: String = row.try_get("", "kind")?;
        sums.insert((year, kind), row.try_get("", "amount")?);
    }
    Ok((first..=this_year)
        .map(|year| YearAmounts {
            year,
            by_kind: TransactionKind::ALL
                .iter()
                .map(|kind| {
                    let fen = sums
                        .get(&(year, kind.as_str().to_string()))
                        .copied()
                        .unwrap_or(0);
                    (kind.as_str(), Yuan::from_fen(fen).unwrap_or_default())
                })
                .collect(),
        })
        .collect())
}

/// The rows of `dashboard` that `query` keeps, in its order, and how many show each light.
pub fn filtered<'a>(dashboard: &'a Dashboard, query: &DashboardQuery) -> table::Filtered<'a> {
    let mut rows: Vec<&DashboardRow> = dashboard.rows.iter().filter(|r| query.keeps(r)).collect();
    rows.sort_by(|a, b| query.order(a, b));
    table::Filtered::new(rows)
}

/// A center's operation amount by year, for its chart: `(year, amount)` for
/// every year from its first recorded deal (or cycle) to this year.
pub async fn center_amounts(
    db: &impl ConnectionTrait,
    center_id: i32,
    this_year: i32,
) -> Result<Vec<(i32, Yuan)>, AppError> {
    let query = center_year_totals::Entity::find()
        .select_only()
        .column(center_year_totals::Column::Year)
        .expr_as(
            Expr::cust("CAST(COALESCE(SUM(center_year_totals.amount_fen), 0) AS BIGINT)"),
            "amount",
        )
        .filter(center_year_totals::Column::CenterId.eq(center_id))
        .filter(center_year_totals::Column::Year.lte(this_year))
        .group_by(center_year_totals::Column::Year);
    let backend = db.get_database_backend();
    let mut sums: HashMap<i32, i64> = HashMap::new();
    for row in db.query_all_raw(query.build(backend)).await? {
        sums.insert(row.try_get("", "year")?, row.try_get("", "amount")?);
    }
    let first = sums
        .keys()
        .min()
        .copied()
        .unwrap_or(this_year)
        .max(this_year - 9);
    Ok((first..=this_year)
        .map(|y| {
            (
                y,
                Yuan::from_fen(sums.get(&y).copied().unwrap_or(0)).unwrap_or_default(),
            )
        })
        .collect())
}
