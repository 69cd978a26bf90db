//! Reading the library: one listing, a page of it filtered, and the filtered list for a download
//! (full-text search comes with the search index).

use std::collections::HashMap;

use entities::{organizations, patent_listings as listings};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use serde::Deserialize;
use utoipa::IntoParams;

use super::input::{LegalStatus, OfferedMode};
use super::rows::{ListingView, managed_owners, manages, view};
use crate::{
    auth::CurrentUser,
    domain::{
        identifiers::Uscc,
        paging::{PageQuery, Paged},
    },
    error::AppError,
    i18n::Msg,
};

/// The filters of the library's list.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListingQuery {
    pub industry: Option<String>,
    /// One legal status; lapsed, invalidated and expired listings are listed only when asked for.
    pub legal_status: Option<LegalStatus>,
    /// The owner's USCC.
    pub owner: Option<String>,
    /// An offered mode.
    pub mode: Option<OfferedMode>,
    /// `withdrawn`: the caller's own withdrawn listings (default: the listed ones).
    pub status: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// Listing `id` as `user` reads it: 404 for a withdrawn one it does not manage.
pub async fn get(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: i32,
) -> Result<ListingView, AppError> {
    let row = listings::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let manages = manages(db, user, row.owner_organization_id).await?;
    if row.status != "listed" && !manages {
        return Err(AppError::NotFound);
    }
    let owner = organizations::Entity::find_by_id(row.owner_organization_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    view(row, owner, manages)
}

/// One page of the library: listed patents in force, newest first, filtered; lapsed, invalidated
/// and expired ones only when `legal_status` asks for them; withdrawn ones only the caller's own.
pub async fn list(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    query: ListingQuery,
) -> Result<Paged<ListingView>, AppError> {
    let (page, per_page) = PageQuery {
        page: query.page,
        per_page: query.per_page,
    }
    .resolve()?;
    let paginator = filtered(db, user, &query).await?.paginate(db, per_page);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(page - 1).await?;
    Ok(Paged {
        items: views(db, user, rows).await?,
        total,
        page,
        per_page,
    })
}

/// The first `limit` listings the filters find, in the list's order (a download: the caller's
/// view of each, so no contact it may not see).
pub async fn all(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    query: &ListingQuery,
    limit: u64,
) -> Result<Vec<ListingView>, AppError> {
    let rows = filtered(db, user, query)
        .await?
        .limit(limit)
        .all(db)
        .await?;
    views(db, user, rows).await
}

/// The listings `query` asks for, newest first.
async fn filtered(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    query: &ListingQuery,
) -> Result<Select<listings::Entity>, AppError> {
    let mut select = listings::Entity::find().order_by_desc(listings::Column::Id);
    select = match query.status.as_deref() {
        None | Some("listed") => select.filter(listings::Column::Status.eq("listed")),
        Some("withdrawn") => {
            let own: Vec<i32> = managed_owners(db, user).await?.into_iter().collect();
            select
                .filter(listings::Column::Status.eq("withdrawn"))
                .filter(listings::Column::OwnerOrganizationId.is_in(own))
        }
        Some(other) => {
            let shown = crate::i18n::quote(other);
            return Err(AppError::field(
                "status",
                Msg::new(
                    format!("“{shown}”不是允许的值，可选：listed, withdrawn"),
                    format!("'{shown}' is not allowed; expected listed, withdrawn"),
                ),
            ));
        }
    };
    select = match query.legal_status {
        Some(status) => select.filter(listings::Column::LegalStatus.eq(status.as_str())),
        None => select.filter(listings::Column::LegalStatus.is_in(["pending", "granted"])),
    };
    let trimmed = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    if let Some(industry) = trimmed(&query.industry) {
        select = select.filter(listings::Column::Industry.eq(industry));
    }
    if let Some(mode) = query.mode {
        let mode = serde_json::to_string(&mode).unwrap_or_default();
        select = select.filter(listings::Column::OfferedModes.contains(mode));
    }
    if let Some(owner) = trimmed(&query.owner) {
        let code = Uscc::parse(&owner).map_err(|e| AppError::field("owner", e.message()))?;
        let found = crate::domain::organizations::find_by_uscc(db, &code).await?;
        select = select.filter(listings::Column::OwnerOrganizationId.eq(found.map_or(0, |o| o.id)));
    }
    Ok(select)
}

/// `rows` as `user` sees them, their owners read in one query.
async fn views(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    rows: Vec<listings::Model>,
) -> Result<Vec<ListingView>, AppError> {
    let managed = managed_owners(db, user).await?;
    let owner_ids: Vec<i32> = rows.iter().map(|r| r.owner_organization_id).collect();
    let owners: HashMap<i32, organizations::Model> = organizations::Entity::find()
        .filter(Condition::all().add(organizations::Column::Id.is_in(owner_ids)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    rows.into_iter()
        .map(|row| {
            let owner = owners
                .get(&row.owner_organization_id)
                .cloned()
                .ok_or(AppError::NotFound)?;
            let sees = managed.contains(&owner.id);
            view(row, owner, sees)
        })
        .collect()
}
