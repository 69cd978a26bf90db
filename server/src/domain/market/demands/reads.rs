//! Reading demands within the caller's visibility (`domain.md` "Visibility"): one demand, a page
//! of them filtered, and the filtered list for a download.

use chrono::NaiveDate;
use entities::{demands, memberships};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Select,
};
use serde::Deserialize;
use utoipa::IntoParams;

use super::input::{DemandStatus, WantedMode};
use super::view::{DemandView, views};
use crate::{
    auth::CurrentUser,
    domain::{
        access::readable_filter,
        market::rows::managed_owners,
        paging::{PageQuery, Paged},
        users::Role,
    },
    error::AppError,
};

/// The filters of the demands' list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DemandQuery {
    /// Words to search for in title, description and keywords (ranks by relevance).
    pub q: Option<String>,
    pub industry: Option<String>,
    pub wanted_mode: Option<WantedMode>,
    /// One state (default: the open and matched ones still valid).
    pub status: Option<DemandStatus>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// The organizations in the alliances of the centers of a local office's region today.
pub(super) fn office_members(user: &CurrentUser) -> Select<memberships::Entity> {
    let centers = entities::centers::Entity::find()
        .filter(readable_filter(user).unwrap_or_else(Condition::all))
        .select_only()
        .column(entities::centers::Column::Id)
        .into_query();
    memberships::Entity::find()
        .select_only()
        .column(memberships::Column::OrganizationId)
        .filter(memberships::Column::CenterId.in_subquery(centers))
        .filter(memberships::Column::LeftOn.is_null())
        .filter(memberships::Column::DeletedAt.is_null())
}

/// The demands `user` may read (`None`: all of them): those on the platform, and those of the
/// members of the alliances it sees — its own, a center's, the centers of an office's region.
pub(super) async fn readable(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
) -> Result<Option<Condition>, AppError> {
    let platform = demands::Column::Visibility.eq("platform");
    let held = match user.role {
        Role::Admin | Role::Cnipa => return Ok(None),
        Role::LocalOffice => {
            demands::Column::MemberOrganizationId.in_subquery(office_members(user).into_query())
        }
        _ => {
            let own: Vec<i32> = managed_owners(db, user).await?.into_iter().collect();
            demands::Column::MemberOrganizationId.is_in(own)
        }
    };
    Ok(Some(Condition::any().add(platform).add(held)))
}

/// Demand `id` as `user` reads it: 404 when it may not read it.
pub async fn get(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: i32,
    today: NaiveDate,
) -> Result<DemandView, AppError> {
    let mut select = demands::Entity::find_by_id(id);
    if let Some(condition) = readable(db, user).await? {
        select = select.filter(condition);
    }
    let row = select.one(db).await?.ok_or(AppError::NotFound)?;
    let managed = managed_owners(db, user).await?;
    let mut found = views(db, vec![row], |m| managed.contains(&m), today).await?;
    found.pop().ok_or(AppError::NotFound)
}

/// One page of the demands `user` reads, newest first, filtered.
pub async fn list(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    query: DemandQuery,
    today: NaiveDate,
) -> Result<Paged<DemandView>, AppError> {
    let (page, per_page) = PageQuery {
        page: query.page,
        per_page: query.per_page,
    }
    .resolve()?;
    let paginator = filtered(db, user, &query, today)
        .await?
        .paginate(db, per_page);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(page - 1).await?;
    let managed = managed_owners(db, user).await?;
    Ok(Paged {
        items: views(db, rows, |m| managed.contains(&m), today).await?,
        total,
        page,
        per_page,
    })
}

/// The first `limit` demands the filters find, in the list's order (a download: the caller's
/// view of each, so no contact or name it may not see).
pub async fn all(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    query: &DemandQuery,
    (limit, today): (u64, NaiveDate),
) -> Result<Vec<DemandView>, AppError> {
    let rows = filtered(db, user, query, today)
        .await?
        .limit(limit)
        .all(db)
        .await?;
    let managed = managed_owners(db, user).await?;
    views(db, rows, |m| managed.contains(&m), today).await
}

/// The demands `query` asks for within `user`'s sight, newest first.
async fn filtered(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    query: &DemandQuery,
    today: NaiveDate,
) -> Result<Select<demands::Entity>, AppError> {
    let mut select = demands::Entity::find().order_by_desc(demands::Column::Id);
    if let Some(condition) = readable(db, user).await? {
        select = select.filter(condition);
    }
    let live = ["open", "matched"];
    select = match query.status {
        None => select
            .filter(demands::Column::Status.is_in(live))
            .filter(demands::Column::ValidUntil.gte(today)),
        Some(DemandStatus::Expired) => select
            .filter(demands::Column::Status.is_in(live))
            .filter(demands::Column::ValidUntil.lt(today)),
        Some(DemandStatus::Closed) => select.filter(demands::Column::Status.eq("closed")),
        Some(status) => select
            .filter(demands::Column::Status.eq(crate::json::word(&status)))
            .filter(demands::Column::ValidUntil.gte(today)),
    };
    if let Some(industry) = query
        .industry
        .as_deref()
        .map(str::trim)
        .filter(|i| !i.is_empty())
    {
        select = select.filter(demands::Column::Industry.eq(industry));
    }
    if let Some(mode) = query.wanted_mode {
        select = select.filter(demands::Column::WantedMode.eq(crate::json::word(&mode)));
    }
    Ok(select)
}
