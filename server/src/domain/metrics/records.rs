//! Provenance: the exact records behind each figure of a year — the live deals of that kind in
//! that year, the projects counted, the members counted on the evaluation date, the tech SMEs
//! served — read with the same rules the figures are computed by, so their sum is the figure.

use chrono::NaiveDate;
use entities::{
    memberships, organizations, projects, service_event_organizations, service_events, transactions,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

use super::super::{
    identifiers::Yuan,
    ledger::{ORGANIZED_PROJECT_STATUSES, TransactionKind, earliest_ledger_date},
    rulebook::Rules,
};
use crate::{error::AppError, i18n::Msg};

/// The figures whose records can be listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    OperationAmount,
    Transfer,
    License,
    CapitalContribution,
    Financing,
    RelatedPartyAmount,
    TransactionCount,
    ProjectsCumulative,
    AllianceCountingMembers,
    AllianceMembers,
    TechSmesServed,
}

/// The records behind one figure and what they add up to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FigureRecords {
    pub center_id: i32,
    pub year: i32,
    pub as_of: NaiveDate,
    pub figure: Figure,
    /// The records' sum: an amount (`"1234.50"`) for amounts, else their number.
    #[schema(schema_with = amount_or_count)]
    pub sum: serde_json::Value,
    pub count: usize,
    #[schema(value_type = Vec<Object>)]
    pub records: Vec<serde_json::Value>,
}

/// The document's schema of a figure's sum: an amount as a string, or a number of records.
fn amount_or_count() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Schema, Type};
    Schema::OneOf(
        OneOfBuilder::new()
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .description(Some("an amount in yuan, e.g. \"1234.50\"")),
            )
            .item(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .description(Some("a number of records")),
            )
            .build(),
    )
}

/// What the records of a year are read under: the year, its evaluation date, the start of the
/// cycle that holds it (projects count from there), and the rules in force.
pub struct Span<'a> {
    pub center_id: i32,
    pub year: i32,
    pub as_of: NaiveDate,
    pub cycle_start: Option<NaiveDate>,
    pub rules: &'a Rules,
}

/// The records behind `figure` in `span`, in date order.
pub async fn records(
    db: &impl ConnectionTrait,
    span: &Span<'_>,
    figure: Figure,
) -> Result<FigureRecords, AppError> {
    let kind = match figure {
        Figure::Transfer => Some(TransactionKind::Transfer),
        Figure::License => Some(TransactionKind::License),
        Figure::CapitalContribution => Some(TransactionKind::CapitalContribution),
        Figure::Financing => Some(TransactionKind::Financing),
        _ => None,
    };
    let (records, sum) = match figure {
        Figure::OperationAmount
        | Figure::Transfer
        | Figure::License
        | Figure::CapitalContribution
        | Figure::Financing
        | Figure::RelatedPartyAmount
        | Figure::TransactionCount => {
            let deals = deals(db, span, kind, figure == Figure::RelatedPartyAmount).await?;
            let total = deals
                .iter()
                .try_fold(Yuan::default(), |sum, d| {
                    sum.checked_add(Yuan::from_fen(d.amount_fen)?)
                })
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("deal sum overflow")))?;
            let sum = if figure == Figure::TransactionCount {
                json!(deals.len())
            } else {
                json!(total.to_string())
            };
            let records = deals
                .into_iter()
                .map(|d| {
                    json!({"id": d.id, "kind": d.kind, "amount": Yuan::from_fen(d.amount_fen).unwrap_or_default().to_string(),
                           "contract_date": d.contract_date, "contract_no": d.contract_no, "related_party": d.related_party})
                })
                .collect();
            (records, sum)
        }
        Figure::ProjectsCumulative => {
            let records: Vec<_> = counted_projects(db, span)
                .await?
                .into_iter()
                .map(|p| json!({"id": p.id, "kind": p.kind, "name": p.name, "start_date": p.start_date, "status": p.status}))
                .collect();
            let sum = json!(records.len());
            (records, sum)
        }
        Figure::AllianceCountingMembers | Figure::AllianceMembers => {
            let records: Vec<_> = counted_members(db, span, figure == Figure::AllianceCountingMembers)
                .await?
                .into_iter()
                .map(|(m, o)| json!({"id": m.id, "organization_id": m.organization_id, "uscc": o.as_ref().map(|o| o.uscc.clone()),
                                     "name": o.map(|o| o.name), "kind": m.org_kind, "joined_on": m.joined_on, "left_on": m.left_on}))
                .collect();
            let sum = json!(records.len());
            (records, sum)
        }
        Figure::TechSmesServed => {
            let records: Vec<_> = served_smes(db, span)
                .await?
                .into_iter()
                .map(|o| json!({"organization_id": o.id, "uscc": o.uscc, "name": o.name}))
                .collect();
            let sum = json!(records.len());
            (records, sum)
        }
    };
    Ok(FigureRecords {
        center_id: span.center_id,
        year: span.year,
        as_of: span.as_of,
        figure,
        sum,
        count: records.len(),
        records,
    })
}

fn year_bounds(year: i32) -> Result<(NaiveDate, NaiveDate), AppError> {
    let bad = || AppError::field("year", Msg::new("年份无效", "invalid year"));
    Ok((
        NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(bad)?,
        NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(bad)?,
    ))
}

/// Live deals by contract year, as the yearly totals sum them.
async fn deals(
    db: &impl ConnectionTrait,
    span: &Span<'_>,
    kind: Option<TransactionKind>,
    related_only: bool,
) -> Result<Vec<transactions::Model>, AppError> {
    let (first, last) = year_bounds(span.year)?;
    let mut select = transactions::Entity::find()
        .filter(transactions::Column::CenterId.eq(span.center_id))
        .filter(transactions::Column::DeletedAt.is_null())
        .filter(transactions::Column::ContractDate.between(first, last));
    if let Some(kind) = kind {
        select = select.filter(transactions::Column::Kind.eq(kind.as_str()));
    }
    if related_only {
        select = select.filter(transactions::Column::RelatedParty.eq(true));
    }
    Ok(select
        .order_by_asc(transactions::Column::ContractDate)
        .order_by_asc(transactions::Column::Id)
        .all(db)
        .await?)
}

/// Organized projects started from the cycle's start (or ever) up to the evaluation date.
async fn counted_projects(
    db: &impl ConnectionTrait,
    span: &Span<'_>,
) -> Result<Vec<projects::Model>, AppError> {
    Ok(projects::Entity::find()
        .filter(projects::Column::CenterId.eq(span.center_id))
        .filter(projects::Column::DeletedAt.is_null())
        .filter(
            projects::Column::StartDate.gte(span.cycle_start.unwrap_or_else(earliest_ledger_date)),
        )
        .filter(projects::Column::StartDate.lte(span.as_of))
        .filter(projects::Column::Status.is_in(ORGANIZED_PROJECT_STATUSES))
        .order_by_asc(projects::Column::StartDate)
        .order_by_asc(projects::Column::Id)
        .all(db)
        .await?)
}

/// Memberships active on the evaluation date (only the counting kinds when `counting`).
async fn counted_members(
    db: &impl ConnectionTrait,
    span: &Span<'_>,
    counting: bool,
) -> Result<Vec<(memberships::Model, Option<organizations::Model>)>, AppError> {
    let mut select = memberships::Entity::find()
        .filter(memberships::Column::CenterId.eq(span.center_id))
        .filter(memberships::Column::DeletedAt.is_null())
        .filter(memberships::Column::JoinedOn.lte(span.as_of))
        .filter(
            Condition::any()
                .add(memberships::Column::LeftOn.is_null())
                .add(memberships::Column::LeftOn.gt(span.as_of)),
        );
    if counting {
        select = select.filter(
            memberships::Column::OrgKind.is_in(
                span.rules
                    .alliance_counting_kinds
                    .iter()
                    .map(|k| k.as_str()),
            ),
        );
    }
    let members = select
        .order_by_asc(memberships::Column::JoinedOn)
        .order_by_asc(memberships::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i32> = members.iter().map(|m| m.organization_id).collect();
    let mut orgs: std::collections::HashMap<i32, organizations::Model> =
        organizations::Entity::find()
            .filter(organizations::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|o| (o.id, o))
            .collect();
    Ok(members
        .into_iter()
        .map(|m| {
            let org = orgs.remove(&m.organization_id);
            (m, org)
        })
        .collect())
}

/// Distinct tech SMEs served by live events of the year up to the evaluation date.
async fn served_smes(
    db: &impl ConnectionTrait,
    span: &Span<'_>,
) -> Result<Vec<organizations::Model>, AppError> {
    let (first, _) = year_bounds(span.year)?;
    let events = service_events::Entity::find()
        .select_only()
        .column(service_events::Column::Id)
        .filter(service_events::Column::CenterId.eq(span.center_id))
        .filter(service_events::Column::DeletedAt.is_null())
        .filter(service_events::Column::EventDate.between(first, span.as_of))
        .into_query();
    let served = service_event_organizations::Entity::find()
        .select_only()
        .column(service_event_organizations::Column::OrganizationId)
        .filter(service_event_organizations::Column::EventId.in_subquery(events))
        .into_query();
    Ok(organizations::Entity::find()
        .filter(organizations::Column::Id.in_subquery(served))
        .filter(organizations::Column::FlagTechSme.eq(true))
        .order_by_asc(organizations::Column::Id)
        .all(db)
        .await?)
}
