//! The library's search page in the reader's words: the query as the page sends it, each row
//! with its marked title and excerpt, and the facets as links that narrow the search.

use serde::{Deserialize, Serialize};

use super::page_data::{Row, parsed, row};
use crate::{
    auth::CurrentUser,
    domain::{
        centers::province_name,
        market::{
            ListingQuery,
            search::{FacetCount, FoundListing, LibraryPage},
        },
        users::Role,
    },
    search::text::Highlight,
};

/// The library's search and filters as the page sends them.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub(super) struct LibraryQuery {
    q: Option<String>,
    industry: Option<String>,
    mode: Option<String>,
    owner_kind: Option<String>,
    province: Option<String>,
    legal_status: Option<String>,
    ipc: Option<String>,
    maturity_min: Option<String>,
    page: Option<u64>,
    /// `xlsx` or `csv`: what was found as a file.
    pub(super) format: Option<String>,
}

impl LibraryQuery {
    /// The domain's query (a choice the page did not offer is left out).
    pub(super) fn listing_query(&self, per_page: u64) -> ListingQuery {
        let kept = |v: &Option<String>| v.clone().filter(|v| !v.trim().is_empty());
        ListingQuery {
            q: kept(&self.q),
            industry: kept(&self.industry),
            ipc: kept(&self.ipc),
            open_license: None,
            owner_kind: kept(&self.owner_kind),
            province: kept(&self.province),
            maturity_min: self.maturity_min.as_deref().and_then(|m| m.parse().ok()),
            legal_status: parsed(&self.legal_status),
            owner: None,
            mode: parsed(&self.mode),
            status: None,
            page: self.page,
            per_page: Some(per_page),
        }
    }

    /// The query string of this search with `field` set to `value` (a facet's link), or of the
    /// search itself (the pager's and the downloads').
    fn link(&self, change: Option<(&str, &str)>) -> String {
        let mut next = LibraryQuery {
            page: None,
            format: None,
            ..self.clone()
        };
        if let Some((field, value)) = change {
            let slot = match field {
                "industry" => &mut next.industry,
                "mode" => &mut next.mode,
                "owner_kind" => &mut next.owner_kind,
                _ => &mut next.province,
            };
            *slot = Some(value.to_string());
        }
        serde_urlencoded::to_string(&next).unwrap_or_default()
    }
}

/// A text cut into pieces, the found words marked.
type Pieces = Vec<(String, bool)>;

/// `highlight` as pieces.
fn pieces(highlight: &Highlight) -> Pieces {
    let chars: Vec<char> = highlight.fragment.chars().collect();
    let (mut out, mut at) = (Vec::new(), 0);
    for &(start, end) in &highlight.marks {
        if start > at {
            out.push((chars[at..start].iter().collect(), false));
        }
        out.push((chars[start..end].iter().collect(), true));
        at = end;
    }
    if at < chars.len() {
        out.push((chars[at..].iter().collect(), false));
    }
    out
}

/// A found listing's row: its title marked, an excerpt of its abstract or claims.
#[derive(Serialize)]
pub(super) struct FoundRow {
    row: Row,
    title: Pieces,
    excerpt: Pieces,
}

/// One facet: its label and values, each `(label, count, link, chosen)`.
#[derive(Serialize)]
pub(super) struct FacetView {
    label: String,
    values: Vec<(String, u64, String, bool)>,
}

#[derive(Serialize)]
pub(super) struct LibraryView {
    rows: Vec<FoundRow>,
    total: u64,
    page: u64,
    prev_page: Option<u64>,
    next_page: Option<u64>,
    q: String,
    also_searched: String,
    facets: Vec<FacetView>,
    industries: Vec<(String, bool)>,
    ipc: String,
    /// The search as a query string (the pager's and the downloads').
    link: String,
    limit: u64,
    can_list: bool,
    /// The reader keeps favourites (a link to them).
    keeps: bool,
}

/// The library's page of `found`, with `industries` to filter by.
pub(super) fn library_page(
    found: LibraryPage,
    industries: impl Iterator<Item = String>,
    q: &LibraryQuery,
    (t, user, keeps): (impl Fn(&str) -> String, &CurrentUser, bool),
) -> LibraryView {
    let pages = found.total.div_ceil(found.per_page.max(1)).max(1);
    let facet = |field: &str, label: &str, counts: &[FacetCount], name: &dyn Fn(&str) -> String| {
        let chosen = match field {
            "industry" => q.industry.as_deref(),
            "mode" => q.mode.as_deref(),
            "owner_kind" => q.owner_kind.as_deref(),
            _ => q.province.as_deref(),
        };
        FacetView {
            label: t(label),
            values: (counts.iter())
                .map(|c| {
                    (
                        name(&c.value),
                        c.count,
                        q.link(Some((field, &c.value))),
                        chosen == Some(c.value.as_str()),
                    )
                })
                .collect(),
        }
    };
    let f = &found.facets;
    let facets = vec![
        facet("industry", "listing_industry", &f.industry, &|v| {
            v.to_string()
        }),
        facet("mode", "listing_offered_modes", &f.mode, &|v| {
            t(&format!("mode_{v}"))
        }),
        facet("owner_kind", "library_owner_kind", &f.owner_kind, &|v| {
            t(&format!("kind_{v}"))
        }),
        facet("province", "library_province", &f.province, &|v| {
            province_name(&format!("{v}0000"))
        }),
    ];
    let rows = (found.items.into_iter())
        .map(
            |FoundListing {
                 listing,
                 highlights,
                 ..
             }| {
                let marked = |field: &str| highlights.iter().find(|h| h.field == field).map(pieces);
                let title = marked("title").unwrap_or_else(|| vec![(listing.title.clone(), false)]);
                let excerpt = marked("abstract")
                    .or_else(|| marked("claims"))
                    .unwrap_or_default();
                FoundRow {
                    row: row(listing, &t),
                    title,
                    excerpt,
                }
            },
        )
        .collect();
    let chosen = q.industry.clone().unwrap_or_default();
    LibraryView {
        rows,
        total: found.total,
        page: found.page,
        prev_page: (found.page > 1).then(|| found.page - 1),
        next_page: (found.page < pages).then(|| found.page + 1),
        q: q.q.clone().unwrap_or_default(),
        also_searched: found.also_searched.join("、"),
        facets,
        industries: industries
            .map(|name| (name.clone(), name == chosen))
            .collect(),
        ipc: q.ipc.clone().unwrap_or_default(),
        link: q.link(None),
        limit: super::export::LIMIT,
        can_list: matches!(user.role, Role::Member | Role::Center),
        keeps,
    }
}
