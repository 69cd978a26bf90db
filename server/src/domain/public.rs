//! What anyone may read without logging in: the accredited centers and those under notice.

use entities::{applications, centers, cycles};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    domain::{
        accreditation::status,
        centers::{province_name, status as center_status},
    },
    error::AppError,
};

/// A center on the public list.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicListedCenter {
    pub id: i32,
    pub name: String,
    pub level: String,
    pub industry: String,
    pub province: String,
    pub host_name: String,
    /// `accredited`, or `under_notice` (公示中).
    pub status: String,
    /// Last day of the public notice, while under notice.
    pub notice_ends_on: Option<chrono::NaiveDate>,
    /// Last day of the public notice of an exit cnipa decided (the center leaves the list after
    /// it); none while no exit is under notice.
    pub exit_notice_ends_on: Option<chrono::NaiveDate>,
    /// The current cycle: its number, start and reporting years.
    pub cycle_number: Option<i32>,
    pub cycle_start: Option<chrono::NaiveDate>,
    pub cycle_first_year: Option<i32>,
    pub cycle_last_year: Option<i32>,
}

/// The public list, by id: accredited centers and those under public notice, with their
/// current cycle and the last day of their notice (no private fields).
pub async fn public_list(db: &impl ConnectionTrait) -> Result<Vec<PublicListedCenter>, AppError> {
    listed(db, None).await
}

/// The centers of the public list whose name, industry, province or host contains `q` (case
/// and surrounding spaces ignored); all of them for a blank `q`.
pub fn search(items: Vec<PublicListedCenter>, q: &str) -> Vec<PublicListedCenter> {
    let q = q.trim().to_lowercase();
    if q.is_empty() {
        return items;
    }
    items
        .into_iter()
        .filter(|c| {
            [&c.name, &c.industry, &c.province, &c.host_name]
                .iter()
                .any(|field| field.to_lowercase().contains(&q))
        })
        .collect()
}

/// One center of the public list; 404 for a center not on it (a draft, an exited one).
pub async fn public_center(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<PublicListedCenter, AppError> {
    listed(db, Some(id)).await?.pop().ok_or(AppError::NotFound)
}

async fn listed(
    db: &impl ConnectionTrait,
    only: Option<i32>,
) -> Result<Vec<PublicListedCenter>, AppError> {
    let mut query = centers::Entity::find();
    if let Some(id) = only {
        query = query.filter(centers::Column::Id.eq(id));
    }
    let listed = query
        .filter(
            centers::Column::Status.is_in([center_status::ACCREDITED, center_status::UNDER_NOTICE]),
        )
        .find_also_related(entities::organizations::Entity)
        .order_by_asc(centers::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i32> = listed.iter().map(|(c, _)| c.id).collect();
    let mut latest_cycle = std::collections::HashMap::new();
    for cycle in cycles::Entity::find()
        .filter(cycles::Column::CenterId.is_in(ids.clone()))
        .order_by_asc(cycles::Column::Number)
        .all(db)
        .await?
    {
        latest_cycle.insert(cycle.center_id, cycle);
    }
    let mut exit_notices = std::collections::HashMap::new();
    for exit in entities::decisions::Entity::find()
        .filter(entities::decisions::Column::CenterId.is_in(ids.clone()))
        .filter(
            entities::decisions::Column::Kind
                .eq(crate::domain::states::DecisionKind::Exit.as_str()),
        )
        .filter(entities::decisions::Column::EffectiveOn.is_null())
        .all(db)
        .await?
    {
        exit_notices.insert(exit.center_id, exit.notice_ends_on);
    }
    let mut notice_ends = std::collections::HashMap::new();
    for application in applications::Entity::find()
        .filter(applications::Column::CenterId.is_in(ids))
        .filter(applications::Column::Status.eq(status::ACCREDITED))
        .filter(applications::Column::EffectiveOn.is_null())
        .all(db)
        .await?
    {
        notice_ends.insert(application.center_id, application.notice_ends_on);
    }
    Ok(listed
        .into_iter()
        .map(|(center, host)| {
            let cycle = latest_cycle.get(&center.id);
            PublicListedCenter {
                id: center.id,
                province: province_name(&center.region_code),
                host_name: host.map(|h| h.name).unwrap_or_default(),
                notice_ends_on: notice_ends.get(&center.id).copied().flatten(),
                exit_notice_ends_on: exit_notices.get(&center.id).copied().flatten(),
                cycle_number: cycle.map(|c| c.number),
                cycle_start: cycle.map(|c| c.start_date),
                cycle_first_year: cycle.map(|c| c.first_year),
                cycle_last_year: cycle.map(|c| c.last_year),
                name: center.name,
                level: center.level,
                industry: center.industry,
                status: center.status,
            }
        })
        .collect())
}
