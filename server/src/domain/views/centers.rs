//! The centers list and one center as their readers see them: profile, this year's indicators
//! and open proposals; members see the public fields of every center that has not exited.

use std::sync::Arc;

use chrono::Datelike;
use entities::centers;
use sea_orm::{
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    auth::CurrentUser,
    domain::{
        access,
        centers::{self as center_rules, CenterFilter, CenterView, PublicCenterView, status},
        lifecycle::proposals::{self, Proposal},
        metrics::{self, FiguresKey, IndicatorSummary},
        paging::Paged,
        services::Services,
        users::Role,
    },
    error::AppError,
};

/// A center in the list: its profile, current-year indicators and open proposals.
#[derive(Serialize, ToSchema)]
pub struct CenterListItem {
    #[serde(flatten)]
    pub center: CenterView,
    pub indicators: IndicatorSummary,
    /// Open proposals: `[{"kind":"exit","reason","since"}]`.
    pub proposals: Vec<Proposal>,
}

/// A center with its open proposals.
#[derive(Serialize, ToSchema)]
pub struct CenterDetail {
    #[serde(flatten)]
    pub center: CenterView,
    /// Open proposals: `[{"kind":"exit","reason","since"}]`.
    pub proposals: Vec<Proposal>,
}

/// One center as its caller reads it.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum CenterRead {
    /// Its readers: in full, with its open proposals.
    Full(CenterDetail),
    /// Members: its public fields, while it has not exited.
    Public(PublicCenterView),
}

/// Center `id` as `user` reads it (404 outside the caller's scope).
pub async fn center(
    services: &Services<'_>,
    user: &CurrentUser,
    id: i32,
) -> Result<CenterRead, AppError> {
    if user.role == Role::Member {
        let center = centers::Entity::find_by_id(id)
            .one(services.db)
            .await?
            .filter(|c| c.status != status::EXITED)
            .ok_or(AppError::NotFound)?;
        return Ok(CenterRead::Public(PublicCenterView::from(center)));
    }
    let center = access::readable_center(services.db, user, id).await?;
    let proposals = proposals::of_center(services.db, center.id, services.today).await?;
    Ok(CenterRead::Full(CenterDetail {
        center: center_rules::view(services.db, center).await?,
        proposals,
    }))
}

/// The centers `user` reads in full that `filter` finds, by id.
fn readable(user: &CurrentUser, filter: &CenterFilter) -> Select<centers::Entity> {
    let select = filter.ordered(centers::Entity::find().filter(filter.condition()));
    match access::readable_filter(user) {
        Some(scope) => select.filter(scope),
        None => select,
    }
}

/// One page (`(page, per_page)`; `None`: all) of the centers `user` reads in full that `filter`
/// finds, with hosts, current-year indicators and open proposals, and how many it finds.
pub async fn list(
    services: &Services<'_>,
    user: &CurrentUser,
    filter: &CenterFilter,
    page: Option<(u64, u64)>,
) -> Result<(Vec<CenterListItem>, u64), AppError> {
    let select = readable(user, filter);
    let total = select.clone().count(services.db).await?;
    let page_select = match page {
        Some((page, per_page)) => select.limit(per_page).offset((page - 1) * per_page),
        None => select,
    };
    let items = items(services, page_select).await?;
    Ok((items.into_iter().map(|(item, _)| item).collect(), total))
}

/// The centers `select` finds with hosts, current-year indicators and open proposals, each with
/// the stamp of what it was made from.
async fn items(
    services: &Services<'_>,
    select: Select<centers::Entity>,
) -> Result<Vec<(CenterListItem, metrics::ItemStamp)>, AppError> {
    let (db, today) = (services.db, services.today);
    let listed =
        metrics::list_with_indicators(db, services.rulebook, services.figures, select, today)
            .await?;
    let ids: Vec<i32> = listed.iter().map(|l| l.center.id).collect();
    let mut proposals = proposals::of_centers(db, &ids, today).await?;
    Ok(listed
        .into_iter()
        .map(|l| {
            let stamp = metrics::stamp_of(&l.center, l.host.as_ref());
            let item = CenterListItem {
                proposals: proposals.remove(&l.center.id).unwrap_or_default(),
                center: CenterView::new(l.center, l.host),
                indicators: l.indicators,
            };
            (item, stamp)
        })
        .collect())
}

/// A page of the centers list as its caller reads it (what [`list_json`] writes).
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum CenterListPage {
    /// Its readers: each center in full, with its indicators and open proposals.
    Full(Paged<CenterListItem>),
    /// Members: the public fields of every center that has not exited.
    Public(Paged<PublicCenterView>),
}

/// One page of the centers list as JSON: `Paged<CenterListItem>` of the centers `user` reads in
/// full that `filter` finds, or for members `Paged<PublicCenterView>` of every one that has not
/// exited. Each item is rendered once and reused while the center, its host and its records are
/// unchanged (the page's stamps are read fresh on every request).
pub async fn list_json(
    services: &Services<'_>,
    user: &CurrentUser,
    filter: &CenterFilter,
    page: u64,
    per_page: u64,
) -> Result<String, AppError> {
    if user.role == Role::Member {
        let select = centers::Entity::find()
            .filter(filter.condition())
            .filter(centers::Column::Status.ne(status::EXITED));
        let select = filter.ordered(select);
        let paginator = select.paginate(services.db, per_page);
        let total = paginator.num_items().await?;
        let items = paginator.fetch_page(page - 1).await?;
        let items: Vec<PublicCenterView> = items.into_iter().map(Into::into).collect();
        let paged = Paged {
            items,
            total,
            page,
            per_page,
        };
        return Ok(serde_json::to_string(&paged).map_err(anyhow::Error::from)?);
    }
    let select = readable(user, filter);
    let (total, stamps) = metrics::page_stamps(
        services.db,
        select,
        &filter.order_sql(),
        ((page - 1) * per_page, per_page),
    )
    .await?;
    let items = cached_items(services, &stamps).await?;
    let items: Vec<&str> = items.iter().map(|item| &**item).collect();
    Ok(format!(
        r#"{{"items":[{}],"total":{total},"page":{page},"per_page":{per_page}}}"#,
        items.join(",")
    ))
}

/// The JSON of the list items of the centers `stamps` names, in that order: cached while their
/// stamps hold, rendered afresh for the others.
async fn cached_items(
    services: &Services<'_>,
    stamps: &[(i32, metrics::ItemStamp)],
) -> Result<Vec<Arc<str>>, AppError> {
    let today = services.today;
    let in_force = services.rulebook.in_force_on(services.db, today).await?;
    let key = |center_id: i32| FiguresKey {
        center_id,
        year: today.year(),
        as_of: today,
        rulebook_version: in_force.version,
    };
    let cache = &services.figures.list_items;
    let mut rendered: Vec<Option<Arc<str>>> = stamps
        .iter()
        .map(|(id, stamp)| cache.get(&key(*id), stamp))
        .collect();
    let missed: Vec<i32> = stamps
        .iter()
        .zip(&rendered)
        .filter(|(_, item)| item.is_none())
        .map(|((id, _), _)| *id)
        .collect();
    if missed.is_empty() {
        return Ok(rendered.into_iter().flatten().collect());
    }
    let select = centers::Entity::find()
        .filter(centers::Column::Id.is_in(missed))
        .order_by_asc(centers::Column::Id);
    for (item, stamp) in items(services, select).await? {
        let id = item.center.id;
        let json: Arc<str> = serde_json::to_string(&item)
            .map_err(anyhow::Error::from)?
            .into();
        cache.keep(key(id), stamp, json.clone());
        if let Some(slot) = stamps.iter().position(|(s, _)| *s == id) {
            rendered[slot] = Some(json);
        }
    }
    Ok(rendered.into_iter().flatten().collect())
}
