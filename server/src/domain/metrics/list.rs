//! The centers of a list with their hosts and current-year indicators.

use chrono::{Datelike, NaiveDate};
use entities::{centers, organizations};
use sea_orm::{ConnectionTrait, Value};
use serde::Serialize;
use utoipa::ToSchema;

use super::{
    Figures, FiguresCache, FiguresKey, ItemStamp, alliance_size, host_eligible, operation_scale,
    values,
};
use crate::{
    domain::{
        identifiers::Yuan,
        ledger::{ORGANIZED_PROJECT_STATUSES, earliest_ledger_date},
        rulebook::{self, Rules},
    },
    error::AppError,
};

/// The current-year indicators the centers list shows for each center.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorSummary {
    pub year: i32,
    #[schema(value_type = String)]
    pub operation_amount: Yuan,
    pub projects_cumulative: i64,
    pub alliance_counting_members: i64,
    pub operation_scale_passed: bool,
    pub alliance_size_passed: bool,
    pub host_eligible_passed: bool,
}

/// Columns of an organization, read as `host_<column>`.
const HOST_COLUMNS: [organizations::Column; 15] = [
    organizations::Column::Id,
    organizations::Column::Uscc,
    organizations::Column::Name,
    organizations::Column::Kind,
    organizations::Column::RegionCode,
    organizations::Column::FlagLeading,
    organizations::Column::FlagTechSme,
    organizations::Column::FlagHighTech,
    organizations::Column::FlagSpecialized,
    organizations::Column::FlagStateOwned,
    organizations::Column::FlagNationalLevel,
    organizations::Column::UsccCheckOverrideReason,
    organizations::Column::Version,
    organizations::Column::CreatedAt,
    organizations::Column::UpdatedAt,
];

/// Placeholders `from..from+count` of a custom expression: numbered on PostgreSQL (`$1`), in
/// order on SQLite (`?`); every placeholder is used once, in the order of its values.
fn marks(backend: sea_orm::DatabaseBackend, from: usize, count: usize) -> String {
    (from..from + count)
        .map(|i| {
            if backend == sea_orm::DatabaseBackend::Postgres {
                format!("${i}")
            } else {
                "?".to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A center of a list with its host and current-year indicators.
pub struct ListedCenter {
    pub center: centers::Model,
    pub host: Option<organizations::Model>,
    pub indicators: IndicatorSummary,
}

/// The centers of `page` (a select already filtered, ordered and limited) with their hosts, in
/// one statement, each with its current-year indicators: from `cache` while the center's records
/// are unchanged, the others in one more statement.
pub async fn list_with_indicators(
    db: &impl ConnectionTrait,
    rulebook: &rulebook::RulebookCache,
    cache: &FiguresCache,
    page: sea_orm::Select<centers::Entity>,
    today: NaiveDate,
) -> Result<Vec<ListedCenter>, AppError> {
    use sea_orm::{FromQueryResult, QuerySelect, QueryTrait};
    let year = today.year();
    let rulebook = rulebook.in_force_on(db, today).await?;
    let rules = &rulebook.rules;
    let key = |center_id: i32| FiguresKey {
        center_id,
        year,
        as_of: today,
        rulebook_version: rulebook.version,
    };
    let mut query = page.left_join(organizations::Entity);
    for column in HOST_COLUMNS {
        query = query.column_as(
            column,
            format!("host_{}", sea_orm::IdenStatic::as_str(&column)),
        );
    }
    let backend = db.get_database_backend();
    let mut centers = Vec::new();
    for row in db.query_all_raw(query.build(backend)).await? {
        let center = centers::Model::from_query_result(&row, "")?;
        let host = organizations::Model::from_query_result(&row, "host_").ok();
        centers.push((center, host));
    }
    let mut summaries: std::collections::HashMap<i32, std::sync::Arc<Figures>> = centers
        .iter()
        .filter_map(|(c, _)| Some((c.id, cache.summaries.get(&key(c.id), &c.figures_version)?)))
        .collect();
    let missed: Vec<&centers::Model> = centers
        .iter()
        .map(|(c, _)| c)
        .filter(|c| !summaries.contains_key(&c.id))
        .collect();
    for chunk in missed.chunks(500) {
        let ids: Vec<i32> = chunk.iter().map(|c| c.id).collect();
        let mut computed = summaries_of(db, &ids, rules, today).await?;
        for center in chunk {
            let figures = std::sync::Arc::new(computed.remove(&center.id).unwrap_or_default());
            cache
                .summaries
                .keep(key(center.id), center.figures_version, figures.clone());
            summaries.insert(center.id, figures);
        }
    }
    Ok(centers
        .into_iter()
        .map(|(center, host)| {
            let figures = summaries.remove(&center.id).unwrap_or_default();
            let indicators = IndicatorSummary {
                year,
                operation_amount: figures.operation_amount,
                projects_cumulative: figures.projects_cumulative,
                alliance_counting_members: figures.alliance_counting_members,
                operation_scale_passed: operation_scale(rules, &figures).passed,
                alliance_size_passed: alliance_size(rules, &figures).passed,
                host_eligible_passed: host_eligible(rules, &center.level, host.as_ref()).passed,
            };
            ListedCenter {
                center,
                host,
                indicators,
            }
        })
        .collect())
}

/// The list figures (operation amount of the year, projects of the current cycle, counting
/// members today) of the centers `ids` as of `today`, in one statement over the maintained
/// tables (yearly deal totals, active-member counts) and the projects.
async fn summaries_of(
    db: &impl ConnectionTrait,
    ids: &[i32],
    rules: &Rules,
    today: NaiveDate,
) -> Result<std::collections::HashMap<i32, Figures>, AppError> {
    use sea_orm::{
        ColumnTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait, sea_query::Expr,
    };
    let year = today.year();
    let kinds: Vec<Value> = rules
        .alliance_counting_kinds
        .iter()
        .map(|k| Value::from(k.as_str()))
        .collect();
    let backend = db.get_database_backend();
    let mark = |i: usize| marks(backend, i, 1);
    let kinds_sql = if kinds.is_empty() {
        "NULL".to_string()
    } else {
        marks(backend, 1, kinds.len())
    };
    let statuses = ORGANIZED_PROJECT_STATUSES.len();
    let mut project_values = values([today.into()]);
    project_values.extend(ORGANIZED_PROJECT_STATUSES.iter().map(|s| Value::from(*s)));
    project_values.extend(values([
        year.into(),
        year.into(),
        earliest_ledger_date().into(),
    ]));
    let query = centers::Entity::find()
        .select_only()
        .column(centers::Column::Id)
        .column_as(
            Expr::cust_with_values(
                format!("(SELECT CAST(COALESCE(SUM(t.amount_fen), 0) AS BIGINT) FROM center_year_totals t WHERE t.center_id = centers.id AND t.year = {})", mark(1)),
                [Value::from(year)],
            ),
            "amount",
        )
        .column_as(
            Expr::cust_with_values(
                format!("(SELECT CAST(COALESCE(SUM(m.active_count), 0) AS BIGINT) FROM center_member_counts m WHERE m.center_id = centers.id AND m.org_kind IN ({kinds_sql}))"),
                kinds,
            ),
            "counting",
        )
        .column_as(
            Expr::cust_with_values(
                format!(
                    "(SELECT COUNT(*) FROM projects p WHERE p.center_id = centers.id AND p.deleted_at IS NULL AND p.start_date <= {} AND p.status IN ({}) \
                     AND p.start_date >= COALESCE((SELECT cy.start_date FROM cycles cy WHERE cy.center_id = centers.id AND cy.first_year <= {} AND cy.last_year >= {}), {}))",
                    mark(1),
                    marks(backend, 2, statuses),
                    mark(2 + statuses),
                    mark(3 + statuses),
                    mark(4 + statuses)
                ),
                project_values,
            ),
            "projects",
        )
        .filter(centers::Column::Id.is_in(ids.iter().copied()));
    let mut summaries = std::collections::HashMap::with_capacity(ids.len());
    for row in db.query_all_raw(query.build(backend)).await? {
        let id: i32 = row.try_get("", "id")?;
        summaries.insert(
            id,
            Figures {
                operation_amount: Yuan::from_fen(row.try_get("", "amount")?).unwrap_or_default(),
                projects_cumulative: row.try_get("", "projects")?,
                alliance_counting_members: row.try_get("", "counting")?,
                ..Default::default()
            },
        );
    }
    Ok(summaries)
}

/// How many centers `select` finds and, for one page of them (`per_page` from `offset` in
/// `select`'s order, which `order_sql` repeats as SQL), each center's id with what its list item
/// is made from, in that order — in one single-row statement, so a page whose items are all
/// cached costs one round trip.
pub async fn page_stamps(
    db: &impl ConnectionTrait,
    select: sea_orm::Select<centers::Entity>,
    order_sql: &str,
    (offset, per_page): (u64, u64),
) -> Result<(u64, Vec<(i32, ItemStamp)>), AppError> {
    use sea_orm::{
        QuerySelect, QueryTrait,
        sea_query::{Alias, Expr, JoinType, Query, SimpleExpr, SubQueryStatement},
    };
    let mut count = select.clone().select_only().into_query();
    count.clear_order_by().expr(Expr::cust("COUNT(*)"));
    let page = select
        .select_only()
        .columns([
            centers::Column::Id,
            centers::Column::Version,
            centers::Column::FiguresVersion,
            centers::Column::LifecycleVersion,
            centers::Column::HostOrganizationId,
        ])
        .expr_as(
            Expr::cust(format!("ROW_NUMBER() OVER (ORDER BY {order_sql})")),
            "rn",
        )
        .limit(per_page)
        .offset(offset)
        .into_query();
    let stamps = Query::select()
        .expr(Expr::cust(
            "string_agg(CAST(p.id AS TEXT) || ':' || CAST(p.version AS TEXT) || ':' || \
             CAST(p.figures_version AS TEXT) || ':' || CAST(p.lifecycle_version AS TEXT) || ':' || CAST(COALESCE(o.version, 0) AS TEXT), ',' ORDER BY p.rn)",
        ))
        .from_subquery(page, Alias::new("p"))
        .join_as(
            JoinType::LeftJoin,
            organizations::Entity,
            Alias::new("o"),
            Expr::cust("o.id = p.host_organization_id"),
        )
        .to_owned();
    let subquery = |q: sea_orm::sea_query::SelectStatement| {
        SimpleExpr::SubQuery(None, Box::new(SubQueryStatement::SelectStatement(q)))
    };
    let statement = Query::select()
        .expr_as(subquery(count), Alias::new("total"))
        .expr_as(subquery(stamps), Alias::new("stamps"))
        .to_owned();
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(backend.build(&statement))
        .await?
        .ok_or(AppError::NotFound)?;
    let total: i64 = row.try_get("", "total")?;
    let stamps: Option<String> = row.try_get("", "stamps")?;
    let parsed = stamps
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .filter(|s| !s.is_empty())
        .map(parse_stamp)
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("malformed list stamps")))?;
    Ok((u64::try_from(total).unwrap_or_default(), parsed))
}

/// `id:version:figures_version:lifecycle_version:host_version`.
fn parse_stamp(text: &str) -> Option<(i32, ItemStamp)> {
    let mut parts = text.split(':');
    let id = parts.next()?.parse().ok()?;
    let stamp = ItemStamp {
        version: parts.next()?.parse().ok()?,
        figures_version: parts.next()?.parse().ok()?,
        lifecycle_version: parts.next()?.parse().ok()?,
        host_version: parts.next()?.parse().ok()?,
    };
    Some((id, stamp))
}

/// The stamp of a center read in full.
pub fn stamp_of(center: &centers::Model, host: Option<&organizations::Model>) -> ItemStamp {
    ItemStamp {
        version: center.version,
        figures_version: center.figures_version,
        lifecycle_version: center.lifecycle_version,
        host_version: host.map_or(0, |h| h.version),
    }
}
