//! Reading the library from the database: one listing, a page of it filtered, the filtered list
//! for a download, and the listings a search found.

use std::collections::HashMap;

use entities::{organizations, patent_listings as listings};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Select,
};
use serde::Deserialize;
use utoipa::IntoParams;

use super::input::{LegalStatus, OfferedMode};
use super::rows::{ListingView, managed_owners, manages, view};
use super::search::Checked;
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
    /// Words to search for in title, abstract and claims (Chinese or English; ranks by relevance).
    pub q: Option<String>,
    pub industry: Option<String>,
    /// An IPC prefix: a class (`H01`), subclass (`H01M`), main group (`H01M 4`) or subgroup.
    pub ipc: Option<String>,
    /// `true`: only listings under an open licence.
    pub open_license: Option<bool>,
    /// The owner's organization kind (`university`, `enterprise`, …).
    pub owner_kind: Option<String>,
    /// The owner's province: its two-digit code (`32`) or any region code in it.
    pub province: Option<String>,
    /// The least technology readiness level, 1 to 9.
    pub maturity_min: Option<i32>,
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
    checked: &Checked,
) -> Result<Paged<ListingView>, AppError> {
    let (page, per_page) = PageQuery {
        page: query.page,
        per_page: query.per_page,
    }
    .resolve()?;
    let paginator = filtered(db, user, &query, checked)
        .await?
        .paginate(db, per_page);
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
    let checked = super::search::check(query)?;
    let rows = filtered(db, user, query, &checked)
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
    checked: &Checked,
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
    if let Some(owner) = &checked.owner {
        let code = Uscc::parse(owner).map_err(|e| AppError::field("owner", e.message()))?;
        let found = crate::domain::organizations::find_by_uscc(db, &code).await?;
        select = select.filter(listings::Column::OwnerOrganizationId.eq(found.map_or(0, |o| o.id)));
    }
    if let Some(prefix) = &checked.ipc {
        select = select.filter(listings::Column::Ipc.contains(format!("\"{prefix}")));
    }
    if query.open_license == Some(true) {
        select = select.filter(listings::Column::OfferedModes.contains("\"open_license\""));
    }
    if let Some(level) = query.maturity_min {
        select = select.filter(listings::Column::Maturity.gte(level));
    }
    if checked.owner_kind.is_some() || checked.province.is_some() {
        let mut owners = organizations::Entity::find()
            .select_only()
            .column(organizations::Column::Id);
        if let Some(kind) = &checked.owner_kind {
            owners = owners.filter(organizations::Column::Kind.eq(kind.as_str()));
        }
        if let Some(province) = &checked.province {
            owners =
                owners.filter(organizations::Column::RegionCode.starts_with(province.as_str()));
        }
        select =
            select.filter(listings::Column::OwnerOrganizationId.in_subquery(owners.into_query()));
    }
    Ok(select)
}

/// The listings `ids` as `user` sees them, if still listed (or withdrawn and managed by it,
/// when `withdrawn`), in no particular order.
pub(super) async fn views_of(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    ids: &[i32],
    withdrawn: bool,
) -> Result<Vec<ListingView>, AppError> {
    let mut select = listings::Entity::find().filter(listings::Column::Id.is_in(ids.to_vec()));
    select = if withdrawn {
        let own: Vec<i32> = managed_owners(db, user).await?.into_iter().collect();
        select
            .filter(listings::Column::Status.eq("withdrawn"))
            .filter(listings::Column::OwnerOrganizationId.is_in(own))
    } else {
        select.filter(listings::Column::Status.eq("listed"))
    };
    let rows = select.all(db).await?;
    views(db, user, rows).await
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
