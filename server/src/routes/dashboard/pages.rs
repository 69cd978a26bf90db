//! The national dashboard page (`/dashboard`, with `?format=xlsx|csv` downloads).

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, web};
use serde::Serialize;

use super::filters::{Header, Select, filters, headers, normalized};
use crate::web::page::render;
use crate::{
    auth::CurrentUser,
    domain::{
        dashboard::{self, Dashboard, DashboardQuery, DashboardRow, table::Filtered},
        paging::PageQuery,
    },
    error::AppError,
    i18n::Lang,
    json::parse_query,
    state::AppState,
};

/// A row as the page shows it.
#[derive(Serialize)]
struct RowView<'a> {
    row: &'a DashboardRow,
    light_label: String,
    reasons: String,
    level_label: String,
    status_label: String,
    cycle_label: String,
    amount_wan: String,
    threshold_wan: String,
    amount_percent: i64,
    projects_percent: i64,
    alliance_percent: i64,
    report_label: String,
    result_label: String,
    proposals: String,
}

#[derive(Serialize)]
struct LightCount {
    label: String,
    light: &'static str,
    count: usize,
    href: String,
}

#[derive(Serialize)]
struct DashboardPage<'a> {
    /// Whose centers: the whole country, or a local office's jurisdiction by name.
    heading: String,
    as_of: String,
    rulebook_version: i32,
    total: usize,
    lights: Vec<LightCount>,
    filters: Vec<Select>,
    q: String,
    headers: Vec<Header>,
    rows: Vec<RowView<'a>>,
    query: String,
    page: u64,
    prev_href: Option<String>,
    next_href: Option<String>,
    lang: &'static str,
}

fn percent(value: i64, threshold: i64) -> i64 {
    if threshold <= 0 {
        100
    } else {
        (value.saturating_mul(100) / threshold).clamp(0, 100)
    }
}

/// The lights the filtered rows show, each with its count and a link keeping the other filters.
fn light_counts(table: &Filtered, base: &str, t: &dyn Fn(&str) -> String) -> Vec<LightCount> {
    let others = normalized(base, &["light"]);
    let shown = ["red", "amber", "green", "grey"]
        .into_iter()
        .filter_map(|light| {
            let count = usize::try_from(*table.lights.get(light)?).unwrap_or(usize::MAX);
            Some(LightCount {
                label: t(&format!("light_{light}")),
                light,
                count,
                href: format!("/dashboard?{others}&light={light}"),
            })
        });
    shown.collect()
}

/// The link to page `page`, keeping the filters `base`.
fn page_link(base: &str, page: u64) -> String {
    match base {
        "" => format!("/dashboard?page={page}"),
        base => format!("/dashboard?{base}&page={page}"),
    }
}

/// The page of `table`, the rows `query` (sent as `query_string`) keeps of `snapshot`.
async fn page_data<'a>(
    state: &AppState,
    lang: Lang,
    (snapshot, table): (&Dashboard, &Filtered<'a>),
    query: &DashboardQuery,
    query_string: &str,
) -> Result<DashboardPage<'a>, AppError> {
    let paging = PageQuery {
        page: query.page,
        per_page: query.per_page,
    };
    let (page, per_page) = paging.resolve()?;
    let t = |key: &str| state.templates.label(lang, key).to_string();
    let base = normalized(query_string, &["page", "format"]);
    let rows = table.page(page, per_page).into_iter();
    Ok(DashboardPage {
        heading: t("dash_title"),
        as_of: snapshot.today.to_string(),
        rulebook_version: snapshot.rulebook_version,
        total: table.rows.len(),
        lights: light_counts(table, &base, &t),
        filters: filters(state, query_string, lang, &t).await?,
        q: query.q.clone().unwrap_or_default(),
        headers: headers(query, query_string, &t),
        rows: rows.map(|r| row_view(r, &t)).collect(),
        page,
        prev_href: (page > 1).then(|| page_link(&base, page - 1)),
        next_href: (page < table.pages(per_page)).then(|| page_link(&base, page + 1)),
        query: base,
        lang: lang.tag(),
    })
}

/// The national dashboard for reviewers: red first, every column filters and sorts, charts below.
#[get("/dashboard")]
async fn dashboard_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    let scope = dashboard::scope_of(&user)?;
    let query_string = normalized(req.query_string(), &[]);
    let query: DashboardQuery = parse_query(&query_string)?;
    let snapshot = dashboard::snapshot(&state.services(), &state.dashboards, &scope).await?;
    let table = dashboard::filtered(&snapshot, &query);
    if let Some(format) = query.format {
        return super::export::dashboard(format, &table.rows, snapshot.today);
    }
    let lang = Lang::of_request(&req);
    let shown = (&*snapshot, &table);
    let mut data = page_data(&state, lang, shown, &query, &query_string).await?;
    if let Some(region) = crate::domain::access::jurisdiction(&user) {
        let (zh, en) = region.province_names();
        let name = if lang == Lang::Zh { zh } else { en };
        let title = state.templates.label(lang, "dash_title_region");
        data.heading = format!("{name} · {title} ({region})", region = region.as_str());
    }
    render(
        &state,
        &req,
        Some(&user),
        "dashboard",
        "dash_title",
        StatusCode::OK,
        data,
    )
    .await
}

fn row_view<'a>(r: &'a DashboardRow, t: &dyn Fn(&str) -> String) -> RowView<'a> {
    let cycle_label = match (r.cycle, r.cycle_year) {
        (Some(c), Some(y)) => t("dash_cycle_year")
            .replace("{cycle}", &c.to_string())
            .replace("{year}", &y.to_string()),
        (Some(c), None) => t("dash_cycle_outside").replace("{cycle}", &c.to_string()),
        _ => String::new(),
    };
    let report_label = match (r.report_year, r.report_status.as_deref()) {
        (Some(year), Some(status)) => format!("{year} · {}", t(&format!("report_status_{status}"))),
        _ => String::new(),
    };
    RowView {
        light_label: t(&format!("light_{}", r.light.as_str())),
        reasons: r
            .light_reasons
            .iter()
            .map(|code| t(&format!("reason_{code}")))
            .collect::<Vec<_>>()
            .join(&t("p_semicolon")),
        level_label: t(&format!("level_{}", r.level)),
        status_label: match r.exit_notice_ends_on {
            Some(end) => format!("{} · {} {end}", t("acc_exit_notice"), t("acc_notice_until")),
            None => t(&format!("status_{}", r.status)),
        },
        cycle_label,
        amount_wan: r.operation_amount.format_wan(),
        threshold_wan: r.operation_threshold.format_wan(),
        amount_percent: percent(r.operation_amount.fen(), r.operation_threshold.fen()),
        projects_percent: percent(r.projects_cumulative, i64::from(r.projects_threshold)),
        alliance_percent: percent(r.alliance_counting_members, i64::from(r.alliance_threshold)),
        report_label,
        result_label: r
            .last_result
            .as_deref()
            .map(|res| {
                format!(
                    "{} {}",
                    r.last_result_year.unwrap_or_default(),
                    t(&format!("result_{res}"))
                )
            })
            .unwrap_or_default(),
        proposals: r
            .proposals
            .iter()
            .map(|p| {
                let kind = t(&format!("proposal_{}", p.kind));
                format!("{kind}{}{}{}", t("p_open"), p.since, t("p_close"))
            })
            .collect::<Vec<_>>()
            .join(&t("p_semicolon")),
        row: r,
    }
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[("GET", "/dashboard")];

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(dashboard_page);
}
