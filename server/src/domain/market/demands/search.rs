//! Demands as searched: the words of `q` ranked through this instance's index within the
//! caller's visibility (re-checked against the database, the source of every demand shown).

use std::sync::Arc;

use chrono::NaiveDate;
use entities::{demands, memberships};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::input::DemandStatus;
use super::reads::{DemandQuery, list, readable};
use super::view::{DemandView, views};
use crate::{
    auth::CurrentUser,
    domain::{
        access::readable_filter, market::rows::managed_owners, paging::PageQuery, users::Role,
    },
    error::{AppError, Fault},
    search::{
        Kind, SearchIndex,
        query::{Filter, Request},
        text::{Highlight, highlight, query_words},
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
        Role::LocalOffice => {
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
                .into_tuple()
                .all(db)
                .await?
        }
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
    let day = (today - NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()).num_days();
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
    let ids: Vec<i32> = found.hits.iter().map(|(id, _)| *id).collect();
    let mut select = demands::Entity::find().filter(demands::Column::Id.is_in(ids.clone()));
    if let Some(condition) = readable(db, user).await? {
        select = select.filter(condition);
    }
    let managed = managed_owners(db, user).await?;
    let mut shown = views(db, select.all(db).await?, |m| managed.contains(&m), today).await?;
    shown.sort_by_key(|d| ids.iter().position(|id| *id == d.id));
    let all: Vec<String> = words
        .iter()
        .flat_map(|w| std::iter::once(w.word.clone()).chain(w.synonyms.iter().cloned()))
        .collect();
    let items = (shown.into_iter())
        .map(|demand| {
            let score = found
                .hits
                .iter()
                .find(|(id, _)| *id == demand.id)
                .map(|(_, s)| *s);
            let highlights = [
                ("title", demand.title.as_str(), 200),
                ("description", demand.description.as_str(), 80),
            ]
            .into_iter()
            .filter_map(|(field, text, width)| highlight(field, text, &all, width))
            .collect();
            FoundDemand {
                demand,
                score,
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
