//! The library as searched: the filters of `ListingQuery` checked once, the listings a query's
//! words find ranked through this instance's index (the database stays the source of every
//! listing shown), their highlights, and the counts by industry, mode, owner kind and province.

use std::sync::Arc;

use serde::Serialize;
use utoipa::ToSchema;

use super::reads::{ListingQuery, list, views_of};
use super::rows::{ListingView, managed_owners};
use crate::{
    auth::CurrentUser,
    domain::{identifiers::Uscc, organizations::OrgKind, paging::PageQuery},
    error::{AppError, Fault},
    i18n::Msg,
    search::{
        Kind, SearchIndex,
        query::{Filter, Found, Request},
        text::{Highlight, QueryWord, highlight, query_words, searched},
    },
};

/// A listing found, with what the query's words marked in it.
#[derive(Debug, Serialize, ToSchema)]
pub struct FoundListing {
    #[serde(flatten)]
    pub listing: ListingView,
    /// BM25 relevance (none without a query).
    pub score: Option<f32>,
    pub highlights: Vec<Highlight>,
}

/// How many listings of the filtered library carry a value.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// The counts by industry, offered mode, owner kind and owner province (two digits).
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Facets {
    pub industry: Vec<FacetCount>,
    pub mode: Vec<FacetCount>,
    pub owner_kind: Vec<FacetCount>,
    pub province: Vec<FacetCount>,
}

/// A page of the library as searched.
#[derive(Debug, Serialize, ToSchema)]
pub struct LibraryPage {
    pub items: Vec<FoundListing>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub facets: Facets,
    /// The synonyms searched besides the words typed ("also searched").
    pub also_searched: Vec<String>,
}

/// The filters of a query once checked: the IPC prefix, owner code, kind and province as the
/// index holds them.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    pub ipc: Option<String>,
    pub owner: Option<String>,
    pub owner_kind: Option<String>,
    pub province: Option<String>,
}

/// A trimmed, non-empty parameter.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// Checks the filters of `query` that have a form, naming each that does not fit.
pub fn check(query: &ListingQuery) -> Result<Checked, AppError> {
    let mut errors = crate::error::FieldErrors::default();
    let ipc = given(&query.ipc).and_then(|raw| {
        let compact: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        let shaped = compact.starts_with(|c: char| ('A'..='H').contains(&c))
            && compact
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '/');
        if !shaped {
            errors.add(
                "ipc",
                Msg::new(
                    "IPC 分类号应以 A–H 开头，如 H01M 或 H01M 4/36",
                    "an IPC prefix starts with A–H, like H01M or H01M 4/36",
                ),
            );
            return None;
        }
        Some(match compact.len() {
            0..=4 => compact,
            _ => format!("{} {}", &compact[..4], &compact[4..]),
        })
    });
    let owner = given(&query.owner).and_then(|raw| match Uscc::parse(raw) {
        Ok(code) => Some(code.to_string()),
        Err(e) => {
            errors.add("owner", e.message());
            None
        }
    });
    let owner_kind = given(&query.owner_kind).and_then(|raw| {
        let parsed = serde_json::from_value::<OrgKind>(serde_json::Value::String(raw.into()));
        parsed
            .map(|k| k.as_str().to_string())
            .map_err(|_| {
                errors.add(
                    "owner_kind",
                    Msg::new("不是已知的机构类型", "not a known organization kind"),
                )
            })
            .ok()
    });
    let province = given(&query.province).and_then(|raw| {
        let digits = raw
            .get(..2)
            .filter(|d| d.chars().all(|c| c.is_ascii_digit()));
        digits.map(str::to_string).or_else(|| {
            errors.add(
                "province",
                Msg::new(
                    "省份应为两位代码，如 32",
                    "a province is a two-digit code, like 32",
                ),
            );
            None
        })
    });
    if let Some(level) = query.maturity_min.filter(|l| !(1..=9).contains(l)) {
        errors.add(
            "maturity_min",
            Msg::new(
                format!("技术成熟度应为 1 到 9，而不是 {level}"),
                format!("maturity is 1 to 9, not {level}"),
            ),
        );
    }
    errors.into_result(Checked {
        ipc,
        owner,
        owner_kind,
        province,
    })
}

/// The index's filters of `query` as `user` asks it.
async fn filters(
    db: &impl sea_orm::ConnectionTrait,
    user: &CurrentUser,
    query: &ListingQuery,
    checked: &Checked,
) -> Result<Vec<Filter>, AppError> {
    let mut filters = vec![match query.legal_status {
        Some(status) => Filter::Is("legal_status", status.as_str().into()),
        // in force: everything but the few that lapsed, were invalidated or expired
        None => Filter::Not(Box::new(Filter::AnyOf(
            "legal_status",
            vec!["lapsed".into(), "invalidated".into(), "expired".into()],
        ))),
    }];
    if query.status.as_deref() == Some("withdrawn") {
        let own = managed_owners(db, user)
            .await?
            .into_iter()
            .map(|o| o as u64)
            .collect();
        filters.extend([
            Filter::Is("status", "withdrawn".into()),
            Filter::AnyNumber("org", own),
        ]);
    } else {
        filters.push(Filter::Not(Box::new(Filter::Is(
            "status",
            "withdrawn".into(),
        ))));
    }
    let text = [
        ("industry", given(&query.industry).map(str::to_string)),
        ("ipc", checked.ipc.clone()),
        ("owner", checked.owner.clone()),
        ("owner_kind", checked.owner_kind.clone()),
        ("province", checked.province.clone()),
    ];
    filters.extend(
        text.into_iter()
            .filter_map(|(field, value)| value.map(|v| Filter::Is(field, v))),
    );
    if let Some(mode) = query.mode {
        filters.push(Filter::Is("mode", crate::json::word(&mode)));
    }
    if query.open_license == Some(true) {
        filters.push(Filter::Is("mode", "open_license".into()));
    }
    if let Some(level) = query.maturity_min {
        filters.push(Filter::AtLeast("maturity", level as u64));
    }
    Ok(filters)
}

/// The counts of `found` as facets.
fn facets(found: &Found) -> Facets {
    let counts = |name: &str| -> Vec<FacetCount> {
        (found.facets.get(name).into_iter().flatten())
            .map(|(value, count)| FacetCount {
                value: value.clone(),
                count: *count,
            })
            .collect()
    };
    Facets {
        industry: counts("industry"),
        mode: counts("mode"),
        owner_kind: counts("owner_kind"),
        province: counts("province"),
    }
}

/// The highlights of `listing` for `words` (and their synonyms).
fn highlights(listing: &ListingView, words: &[QueryWord]) -> Vec<Highlight> {
    let all = searched(words);
    let claims = listing.claims.as_deref().unwrap_or_default();
    [
        ("title", listing.title.as_str(), 200),
        ("abstract", listing.abstract_text.as_str(), 80),
        ("claims", claims, 80),
    ]
    .into_iter()
    .filter_map(|(field, text, width)| highlight(field, text, &all, width))
    .collect()
}

/// One page of the library for `user`: ranked by the index when `query.q` has words, else the
/// database's newest first; with the facets of everything the filters admit. 503 while this
/// instance's index is still being built.
pub async fn library(
    db: &impl sea_orm::ConnectionTrait,
    index: &Arc<SearchIndex>,
    user: &CurrentUser,
    query: ListingQuery,
) -> Result<LibraryPage, AppError> {
    let checked = check(&query)?;
    let (page, per_page) = PageQuery {
        page: query.page,
        per_page: query.per_page,
    }
    .resolve()?;
    if !index.wait_ready(std::time::Duration::from_secs(5)).await {
        return Err(AppError::Unavailable(Fault::SearchBuilding));
    }
    let words = given(&query.q).map(query_words).unwrap_or_default();
    let facet_names = vec!["industry", "mode", "owner_kind", "province"];
    let mut request = Request {
        kind: Kind::Listing,
        words: words.clone(),
        filters: filters(db, user, &query, &checked).await?,
        offset: ((page - 1) * per_page) as usize,
        limit: per_page as usize,
        facets: facet_names,
    };
    let also_searched = words.iter().flat_map(|w| w.synonyms.clone()).collect();
    if words.is_empty() {
        // the database gives the page and its count (a listing just written is there at once);
        // the index counts the facets
        request.limit = 0;
        let found = index.search(request).await?;
        let listed = list(db, user, query, &checked).await?;
        let items = (listed.items.into_iter())
            .map(|listing| FoundListing {
                listing,
                score: None,
                highlights: Vec::new(),
            })
            .collect();
        return Ok(LibraryPage {
            items,
            total: listed.total,
            page,
            per_page,
            facets: facets(&found),
            also_searched,
        });
    }
    let found = index.search(request).await?;
    let withdrawn = query.status.as_deref() == Some("withdrawn");
    let shown = views_of(db, user, &found.ids(), withdrawn).await?;
    let items = (found.in_rank_order(shown, |l| l.id).into_iter())
        .map(|(listing, score)| {
            let highlights = highlights(&listing, &words);
            FoundListing {
                listing,
                score: Some(score),
                highlights,
            }
        })
        .collect();
    Ok(LibraryPage {
        items,
        total: found.total as u64,
        page,
        per_page,
        facets: facets(&found),
        also_searched,
    })
}

/// The first `limit` listings `query` finds, in its order (a download: the caller's view of
/// each, so no contact it may not see).
pub async fn all_found(
    db: &impl sea_orm::ConnectionTrait,
    index: &Arc<SearchIndex>,
    user: &CurrentUser,
    query: &ListingQuery,
    limit: u64,
) -> Result<Vec<ListingView>, AppError> {
    let checked = check(query)?;
    let words = given(&query.q).map(query_words).unwrap_or_default();
    if words.is_empty() {
        return super::reads::all(db, user, query, limit).await;
    }
    if !index.wait_ready(std::time::Duration::from_secs(5)).await {
        return Err(AppError::Unavailable(Fault::SearchBuilding));
    }
    let filters = filters(db, user, query, &checked).await?;
    let request = Request {
        kind: Kind::Listing,
        words,
        filters,
        offset: 0,
        limit: limit as usize,
        facets: Vec::new(),
    };
    let found = index.search(request).await?;
    let withdrawn = query.status.as_deref() == Some("withdrawn");
    let shown = views_of(db, user, &found.ids(), withdrawn).await?;
    Ok((found.in_rank_order(shown, |l| l.id).into_iter())
        .map(|(listing, _)| listing)
        .collect())
}
