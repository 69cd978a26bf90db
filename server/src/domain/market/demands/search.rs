//! Demands as searched: the words of `q` ranked through this instance's index within the
//! caller's visibility (re-checked against the database, the source of every demand shown).

use std::sync::Arc;

use chrono::NaiveDate;
use entities::demands;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;
use utoipa::ToSchema;

use super::input::DemandStatus;
use super::reads::{DemandQuery, list, office_members, readable};
use super::view::{DemandView, views};
use crate::{
    auth::CurrentUser,
    domain::{market::rows::managed_owners, paging::PageQuery, users::Role},
    error::{AppError, Fault},
    search::{
        Kind, SearchIndex,
        query::{Filter, Request},
        text::{Highlight, highlight, query_words, searched},
    },
};

/// A demand found, with what the query's words marked in it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FoundDemand {
    #[serde(flatten)]
    pub demand: DemandView,
    /// BM25 relevance (none without a query).
    pub score: Option<f32>,
    pub highlights: Vec<Highlight>,
}

/// A page of demands as searched.
#[derive(Debug, Serialize, ToSchema)]
pub struct DemandsPage {
    pub items: Vec<FoundDemand>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    /// The synonyms searched besides the words typed.
    pub also_searched: Vec<String>,
}

/// The organizations whose alliance-only demands `user` reads (`None`: every one).
async fn held_members(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
) -> Result<Option<Vec<u64>>, AppError> {
    let ids: Vec<i32> = match user.role {
        Role::Admin | Role::Cnipa => return Ok(None),
        Role::LocalOffice => office_members(user).into_tuple().all(db).await?,
        _ => managed_owners(db, user).await?.into_iter().collect(),
    };
    Ok(Some(ids.into_iter().map(|id| id as u64).collect()))
}

/// The index's filters of `query` as `user` reads on `today`.
async fn filters(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    query: &DemandQuery,
    today: NaiveDate,
) -> Result<Vec<Filter>, AppError> {
    let mut filters = Vec::new();
    if let Some(orgs) = held_members(db, user).await? {
        filters.push(Filter::Either(vec![
            Filter::Is("visibility", "platform".into()),
            Filter::AnyNumber("org", orgs),
        ]));
    }
    let day = crate::search::documents::epoch_day(today);
    let live = Filter::AnyOf("status", vec!["open".into(), "matched".into()]);
    filters.extend(match query.status {
        None => vec![live, Filter::DayFrom("valid_until", day)],
        Some(DemandStatus::Expired) => vec![live, Filter::DayBefore("valid_until", day)],
        Some(DemandStatus::Closed) => vec![Filter::Is("status", "closed".into())],
        Some(status) => vec![
            Filter::Is("status", crate::json::word(&status)),
            Filter::DayFrom("valid_until", day),
        ],
    });
    if let Some(industry) = query
        .industry
        .as_deref()
        .map(str::trim)
        .filter(|i| !i.is_empty())
    {
        filters.push(Filter::Is("industry", industry.into()));
    }
    if let Some(mode) = query.wanted_mode {
        filters.push(Filter::Is("mode", crate::json::word(&mode)));
    }
    Ok(filters)
}

/// One page of the demands `user` reads: ranked by the index when `query.q` has words, else the
/// database's newest first. 503 while this instance's index is still being built.
pub async fn search(
    db: &impl ConnectionTrait,
    index: &Arc<SearchIndex>,
    user: &CurrentUser,
    query: DemandQuery,
    today: NaiveDate,
) -> Result<DemandsPage, AppError> {
    let words = query.q.as_deref().map(query_words).unwrap_or_default();
    if words.is_empty() {
        let found = list(db, user, query, today).await?;
        let items = found
            .items
            .into_iter()
            .map(|demand| FoundDemand {
                demand,
                score: None,
                highlights: Vec::new(),
            })
            .collect();
        return Ok(DemandsPage {
            items,
            total: found.total,
            page: found.page,
            per_page: found.per_page,
            also_searched: Vec::new(),
        });
    }
    let (page, per_page) = PageQuery {
        page: query.page,
        per_page: query.per_page,
    }
    .resolve()?;
    if !index.wait_ready(std::time::Duration::from_secs(5)).await {
        return Err(AppError::Unavailable(Fault::SearchBuilding));
    }
    let filters = filters(db, user, &query, today).await?;
    let request = Request {
        kind: Kind::Demand,
        words: words.clone(),
        filters,
        offset: ((page - 1) * per_page) as usize,
        limit: per_page as usize,
        facets: Vec::new(),
    };
    let found = index.search(request).await?;
    let mut select = demands::Entity::find().filter(demands::Column::Id.is_in(found.ids()));
    if let Some(condition) = readable(db, user).await? {
        select = select.filter(condition);
    }
    let managed = managed_owners(db, user).await?;
    let shown = views(db, select.all(db).await?, |m| managed.contains(&m), today).await?;
    let all = searched(&words);
    let items = (found.in_rank_order(shown, |d| d.id).into_iter())
        .map(|(demand, score)| {
            let highlights = [
                ("title", demand.title.as_str(), 200),
                ("description", demand.description.as_str(), 80),
            ]
            .into_iter()
            .filter_map(|(field, text, width)| highlight(field, text, &all, width))
            .collect();
            FoundDemand {
                demand,
                score: Some(score),
                highlights,
            }
        })
        .collect();
    let also_searched = words.iter().flat_map(|w| w.synonyms.clone()).collect();
    Ok(DemandsPage {
        items,
        total: found.total as u64,
        page,
        per_page,
        also_searched,
    })
}
