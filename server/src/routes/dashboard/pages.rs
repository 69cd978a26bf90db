//! The national dashboard page (`/dashboard`, with `?format=xlsx|csv` downloads).

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, web};
use serde::Serialize;

use crate::web::page::{Choice, render};
use crate::{
    auth::CurrentUser,
    domain::{
        dashboard::{self, DashboardQuery, DashboardRow},
        identifiers::PROVINCES,
        paging::PageQuery,
    },
    error::AppError,
    i18n::Lang,
    json::parse_query,
    state::AppState,
};

/// A `<select>` of the filter form.
#[derive(Serialize)]
struct Select {
    name: &'static str,
    label: String,
    options: Vec<Choice>,
}

/// A sortable column header.
#[derive(Serialize)]
struct Header {
    label: String,
    href: String,
    arrow: &'static str,
}

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

/// The query string without empty values (a form's "all"), re-encoded.
fn normalized(raw: &str, without: &[&str]) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(raw.as_bytes()) {
        if !v.trim().is_empty() && !without.contains(&k.as_ref()) {
            out.append_pair(&k, &v);
        }
    }
    out.finish()
}

fn percent(value: i64, threshold: i64) -> i64 {
    if threshold <= 0 {
        100
    } else {
        (value.saturating_mul(100) / threshold).clamp(0, 100)
    }
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
    let snapshot = dashboard::snapshot(
        &state.db,
        &state.rulebook,
        &state.figures,
        &state.dashboards,
        &scope,
        state.clock.today(),
    )
    .await?;
    let rows = dashboard::filtered(&snapshot, &query);
    if let Some(format) = query.format {
        return super::export::dashboard(format, &rows);
    }
    let (page, per_page) = PageQuery {
        page: query.page,
        per_page: query.per_page,
    }
    .resolve()?;
    let cycle_years = state
        .rulebook
        .in_force_on(&state.db, state.clock.today())
        .await?
        .rules
        .cycle_years;
    let industries: Vec<String> = crate::domain::centers::industries(&state.db)
        .await?
        .into_iter()
        .map(|i| i.name)
        .collect();
    let lang = Lang::of_request(&req);
    let t = |key: &str| state.templates.label(lang, key).to_string();
    let base = normalized(&query_string, &["page", "format"]);
    let link = |extra: &str| {
        let mut parts: Vec<&str> = vec![];
        if !base.is_empty() {
            parts.push(&base);
        }
        if !extra.is_empty() {
            parts.push(extra);
        }
        format!("/dashboard?{}", parts.join("&"))
    };
    let mut lights = Vec::new();
    for light in ["red", "amber", "green", "grey"] {
        let count = rows.iter().filter(|r| r.light.as_str() == light).count();
        if count > 0 {
            lights.push(LightCount {
                label: t(&format!("light_{light}")),
                light,
                count,
                href: format!(
                    "/dashboard?{}",
                    normalized(&base, &["light"]) + &format!("&light={light}")
                ),
            });
        }
    }
    let views = rows
        .iter()
        .skip(usize::try_from((page - 1) * per_page).unwrap_or(usize::MAX))
        .take(usize::try_from(per_page).unwrap_or(usize::MAX))
        .map(|r| row_view(r, &t))
        .collect();
    let pages = (rows.len() as u64).div_ceil(per_page).max(1);
    let data = DashboardPage {
        as_of: snapshot.today.to_string(),
        rulebook_version: snapshot.rulebook_version,
        total: rows.len(),
        lights,
        filters: filters(&query_string, industries, cycle_years, lang, &t),
        q: query.q.clone().unwrap_or_default(),
        headers: headers(&query, &query_string, &t),
        rows: views,
        query: base.clone(),
        page,
        prev_href: (page > 1).then(|| link(&format!("page={}", page - 1))),
        next_href: (page < pages).then(|| link(&format!("page={}", page + 1))),
        lang: lang.tag(),
    };
    render(
        &state,
        &req,
        Some(&user),
        "dashboard",
        "dash_title",
        StatusCode::OK,
        data,
    )
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
            .join("；"),
        level_label: t(&format!("level_{}", r.level)),
        status_label: t(&format!("status_{}", r.status)),
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
            .map(|p| format!("{}（{}）", t(&format!("proposal_{}", p.kind)), p.since))
            .collect::<Vec<_>>()
            .join("；"),
        row: r,
    }
}

fn headers(query: &DashboardQuery, query_string: &str, t: &dyn Fn(&str) -> String) -> Vec<Header> {
    let current = serde_json::to_value(query.sort.unwrap_or_default()).unwrap_or_default();
    let descending = query.dir == Some(dashboard::table::SortDirection::Desc);
    let base = normalized(query_string, &["sort", "dir", "page", "format"]);
    [
        ("light", "dash_light"),
        ("name", "field_center_name"),
        ("level", "field_level"),
        ("province", "field_province"),
        ("industry", "field_industry"),
        ("cycle", "dash_cycle"),
        ("amount", "dash_amount"),
        ("projects", "dash_projects"),
        ("alliance", "dash_alliance"),
        ("report_status", "dash_report"),
        ("report_due", "dash_due"),
        ("last_result", "dash_last_result"),
        ("proposals", "dash_proposals"),
    ]
    .into_iter()
    .map(|(column, label)| {
        let active = current == column;
        let dir = if active && !descending { "desc" } else { "asc" };
        let sep = if base.is_empty() { "" } else { "&" };
        Header {
            label: t(label),
            href: format!("/dashboard?{base}{sep}sort={column}&dir={dir}"),
            arrow: match (active, descending) {
                (false, _) => "",
                (true, false) => "▲",
                (true, true) => "▼",
            },
        }
    })
    .collect()
}

fn filters(
    query_string: &str,
    industries: Vec<String>,
    cycle_years: u32,
    lang: Lang,
    t: &dyn Fn(&str) -> String,
) -> Vec<Select> {
    let chosen: std::collections::HashMap<String, String> =
        form_urlencoded::parse(query_string.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
    let select = |name: &'static str, label: &str, options: Vec<(String, String)>| Select {
        name,
        label: t(label),
        options: options
            .into_iter()
            .map(|(value, label)| Choice {
                selected: chosen.get(name) == Some(&value),
                value,
                label,
            })
            .collect(),
    };
    let coded = |prefix: &str, codes: &[&str]| -> Vec<(String, String)> {
        codes
            .iter()
            .map(|c| (c.to_string(), t(&format!("{prefix}{c}"))))
            .collect()
    };
    let passing = || {
        vec![
            ("passed".to_string(), t("dash_passed")),
            ("failed".to_string(), t("dash_failed")),
        ]
    };
    vec![
        select(
            "light",
            "dash_light",
            coded("light_", &["red", "amber", "green", "grey"]),
        ),
        select(
            "level",
            "field_level",
            coded("level_", &["national", "provincial", "municipal"]),
        ),
        select(
            "province",
            "field_province",
            PROVINCES
                .iter()
                .map(|(code, zh, en)| {
                    (
                        code.to_string(),
                        if lang == Lang::Zh { zh } else { en }.to_string(),
                    )
                })
                .collect(),
        ),
        select(
            "industry",
            "field_industry",
            industries.into_iter().map(|i| (i.clone(), i)).collect(),
        ),
        select(
            "cycle_year",
            "dash_cycle",
            (1..=cycle_years)
                .map(|y| {
                    let label = t("dash_cycle_nth_year").replace("{year}", &y.to_string());
                    (y.to_string(), label)
                })
                .chain([("0".to_string(), t("dash_cycle_outside_years"))])
                .collect(),
        ),
        select(
            "status",
            "field_status",
            coded(
                "status_",
                &["draft", "under_notice", "accredited", "exited"],
            ),
        ),
        select("operation", "dash_amount", passing()),
        select("projects", "dash_projects", passing()),
        select("alliance", "dash_alliance", passing()),
        select(
            "report_status",
            "dash_report",
            coded(
                "report_status_",
                &[
                    "not_due",
                    "draft",
                    "submitted",
                    "returned",
                    "overdue",
                    "decided",
                ],
            ),
        ),
        select("last_result", "dash_last_result", {
            let mut o = coded(
                "result_",
                &["qualified", "basically_qualified", "unqualified"],
            );
            o.push(("none".to_string(), t("dash_none")));
            o
        }),
        select("proposal", "dash_proposals", {
            let mut o = vec![
                ("any".to_string(), t("dash_any")),
                ("none".to_string(), t("dash_none")),
            ];
            o.extend(coded("proposal_", &["exit", "withdrawal"]));
            o
        }),
    ]
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(dashboard_page);
}
