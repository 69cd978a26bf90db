//! The centers list for reviewers, filtered, with this year's indicators and downloads.

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, web};
use serde::{Deserialize, Serialize};

use crate::web::extract::ApiQuery;
use crate::web::{
    download::ExportFormat,
    page::{Choice, render, see_other},
};
use crate::{
    auth::CurrentUser,
    domain::{
        centers::{self as center_rules, CenterFilter, CenterSort},
        identifiers::PROVINCES,
        parse_enum,
        users::Role,
        views::centers::{self as listing, CenterListItem},
    },
    error::AppError,
    i18n::Lang,
    state::AppState,
};

/// Centers on one page of the list.
const PER_PAGE: u64 = 50;

#[derive(Deserialize)]
struct ListQuery {
    level: Option<String>,
    province: Option<String>,
    industry: Option<String>,
    status: Option<String>,
    /// Part of the name.
    q: Option<String>,
    /// The column sorted by (`name`, `level`, `province`, `industry`, `status`).
    sort: Option<String>,
    /// `desc`: from the last to the first.
    order: Option<String>,
    page: Option<u64>,
    /// `xlsx` or `csv`: the whole filtered list as a file.
    format: Option<String>,
}

impl ListQuery {
    fn filter(&self) -> CenterFilter {
        CenterFilter {
            level: self.level.as_deref().and_then(parse_enum),
            province: self.province.clone(),
            industry: self.industry.clone(),
            status: self.status.clone(),
            q: self.q.clone().filter(|q| !q.trim().is_empty()),
            sort: self.sort.as_deref().and_then(parse_enum),
            descending: self.order.as_deref() == Some("desc"),
        }
    }

    /// The headers of the sortable columns: each links to the list sorted by it (the other way
    /// round when it is already), the current one marked.
    fn sort_links(&self, label: impl Fn(&str) -> String) -> Vec<SortLink> {
        let filter = self.filter();
        let filters = self.filters_string();
        CenterSort::ALL
            .iter()
            .map(|&(column, name)| {
                let current = filter.sort == Some(column);
                let order = if current && !filter.descending {
                    "desc"
                } else {
                    "asc"
                };
                let mark = match (current, filter.descending) {
                    (false, _) => "",
                    (true, false) => " ▲",
                    (true, true) => " ▼",
                };
                SortLink {
                    label: label(&format!(
                        "field_{}",
                        if name == "name" { "center_name" } else { name }
                    )),
                    href: match filters.as_str() {
                        "" => format!("/centers?sort={name}&order={order}"),
                        _ => format!("/centers?sort={name}&order={order}&{filters}"),
                    },
                    mark,
                }
            })
            .collect()
    }

    /// The filters and the sort as a query string, for the paging links and downloads.
    fn query_string(&self) -> String {
        let sort = [("sort", &self.sort), ("order", &self.order)];
        let sort = sort.iter().filter_map(|(k, v)| {
            let v = v.as_deref().filter(|v| !v.is_empty())?;
            Some(format!("{k}={}", urlencoding(v)))
        });
        let mut parts: Vec<String> = sort.collect();
        parts.push(self.filters_string());
        parts.retain(|p| !p.is_empty());
        parts.join("&")
    }

    /// The filters alone as a query string.
    fn filters_string(&self) -> String {
        let filters = [
            ("level", &self.level),
            ("province", &self.province),
            ("industry", &self.industry),
            ("status", &self.status),
            ("q", &self.q),
        ];
        let set = filters.iter().filter_map(|(k, v)| {
            let v = v.as_deref().filter(|v| !v.is_empty())?;
            Some(format!("{k}={}", urlencoding(v)))
        });
        set.collect::<Vec<_>>().join("&")
    }
}

/// `value` percent-encoded for a query string.
fn urlencoding(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// A sortable column's header.
#[derive(Serialize)]
struct SortLink {
    label: String,
    href: String,
    mark: &'static str,
}

#[derive(Serialize)]
struct CentersPage {
    columns: Vec<SortLink>,
    items: Vec<CenterListItem>,
    total: u64,
    page: u64,
    prev_page: Option<u64>,
    next_page: Option<u64>,
    query: String,
    q: String,
    levels: Vec<Choice>,
    provinces: Vec<Choice>,
    industries: Vec<Choice>,
    statuses: Vec<Choice>,
}

fn choices(
    options: impl IntoIterator<Item = (String, String)>,
    selected: Option<&str>,
) -> Vec<Choice> {
    let choice = |(value, label): (String, String)| Choice {
        selected: Some(value.as_str()) == selected,
        value,
        label,
    };
    options.into_iter().map(choice).collect()
}

/// The list's filters as choices in `lang`, the chosen ones selected.
async fn filters(
    state: &AppState,
    lang: Lang,
    q: &ListQuery,
) -> Result<[Vec<Choice>; 4], AppError> {
    let t = |prefix: &str, key: &str| {
        (
            key.into(),
            state
                .templates
                .label(lang, &format!("{prefix}_{key}"))
                .into(),
        )
    };
    let levels = ["national", "provincial", "municipal"].map(|l| t("level", l));
    let statuses = ["draft", "under_notice", "accredited", "exited"].map(|s| t("status", s));
    let provinces = PROVINCES.iter().map(|(code, zh, en)| {
        let name = if lang == Lang::Zh { zh } else { en };
        (code.to_string(), name.to_string())
    });
    let industries = center_rules::industries(&state.db).await?;
    Ok([
        choices(levels, q.level.as_deref()),
        choices(provinces, q.province.as_deref()),
        choices(
            industries.into_iter().map(|i| (i.name.clone(), i.name)),
            q.industry.as_deref(),
        ),
        choices(statuses, q.status.as_deref()),
    ])
}

/// The centers a reviewer reads, filtered, with this year's indicators.
#[get("/centers")]
async fn centers_list(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    query: ApiQuery<ListQuery>,
) -> Result<HttpResponse, AppError> {
    if user.role == Role::Center {
        return Ok(see_other("/center"));
    }
    user.require(&[Role::Cnipa, Role::Admin, Role::LocalOffice])?;
    let (services, q) = (state.services(), query.into_inner());
    let format = q.format.as_deref().and_then(parse_enum::<ExportFormat>);
    if let Some(format) = format {
        let (items, _) = listing::list(&services, &user, &q.filter(), None).await?;
        return super::export::centers(format, &items, state.clock.today());
    }
    let page = q
        .page
        .unwrap_or(1)
        .clamp(1, crate::domain::paging::MAX_PAGE);
    let shown = Some((page, PER_PAGE));
    let (items, total) = listing::list(&services, &user, &q.filter(), shown).await?;
    let data = page_data(&state, Lang::of_request(&req), &q, (items, total, page)).await?;
    let status = StatusCode::OK;
    render(
        &state,
        &req,
        Some(&user),
        "centers/list",
        "centers_title",
        status,
        data,
    )
    .await
}

/// The list page showing `items`, page `page` of the `total` centers the filters find.
async fn page_data(
    state: &AppState,
    lang: Lang,
    q: &ListQuery,
    (items, total, page): (Vec<CenterListItem>, u64, u64),
) -> Result<CentersPage, AppError> {
    let pages = total.div_ceil(PER_PAGE).max(1);
    let [levels, provinces, industries, statuses] = filters(state, lang, q).await?;
    let label = |key: &str| state.templates.label(lang, key).to_string();
    Ok(CentersPage {
        columns: q.sort_links(label),
        items,
        total,
        page,
        prev_page: (page > 1).then(|| page - 1),
        next_page: (page < pages).then(|| page + 1),
        query: q.query_string(),
        q: q.q.clone().unwrap_or_default(),
        levels,
        provinces,
        industries,
        statuses,
    })
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[("GET", "/centers")];

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(centers_list);
}
