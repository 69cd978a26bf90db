//! The page frame shared by every HTML route, the landing page, each role's home, the rulebook
//! page and error pages.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, web};
use serde::Serialize;

use crate::{
    app::AppState,
    auth::{CurrentUser, MaybeUser, csrf},
    domain::{
        rulebook::{self, RulebookVersion},
        users::{self, Role},
    },
    error::AppError,
    i18n::Lang,
};

/// One option of a `<select>`.
#[derive(Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// Who is logged in, as the page header shows it.
#[derive(Serialize)]
pub struct Badge {
    pub email: String,
    pub role: &'static str,
    pub role_label: String,
    pub is_admin: bool,
}

/// What every page's layout reads.
#[derive(Serialize)]
pub struct Layout<'a> {
    pub lang: &'static str,
    pub switch_lang: &'static str,
    pub t: &'a HashMap<String, String>,
    pub user: Option<Badge>,
    pub csrf: String,
    pub title: String,
}

#[derive(Serialize)]
struct Page<'a, T: Serialize> {
    #[serde(flatten)]
    layout: Layout<'a>,
    page: T,
}

/// The layout for `req` in its language.
pub fn layout<'a>(
    state: &'a AppState,
    req: &HttpRequest,
    user: Option<&CurrentUser>,
    title_key: &str,
) -> Layout<'a> {
    let lang = Lang::of_request(req);
    let templates = &state.templates;
    Layout {
        lang: lang.tag(),
        switch_lang: if lang == Lang::Zh { "en" } else { "zh" },
        t: templates.labels(lang),
        user: user.map(|u| Badge {
            email: u.email.clone(),
            role: u.role.as_str(),
            role_label: templates
                .label(lang, &format!("role_{}", u.role.as_str()))
                .to_string(),
            is_admin: u.role == Role::Admin,
        }),
        csrf: csrf::token_for(req),
        title: templates.label(lang, title_key).to_string(),
    }
}

/// Renders `template` inside the layout with `status`.
pub fn render(
    state: &AppState,
    req: &HttpRequest,
    user: Option<&CurrentUser>,
    template: &str,
    title_key: &str,
    status: StatusCode,
    page: impl Serialize,
) -> Result<HttpResponse, AppError> {
    let body = state.templates.render(
        template,
        &Page {
            layout: layout(state, req, user, title_key),
            page,
        },
    )?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}

/// A redirect after a form (303 See Other).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", location))
        .finish()
}

#[derive(Serialize)]
struct ErrorPage {
    status: u16,
    message: String,
    fields: Vec<String>,
    /// For a service that is temporarily unavailable: seconds to wait, and the page to reload.
    retry_after: Option<u64>,
    reload: Option<String>,
}

/// An error as a page; a page that needs a login sends the visitor to the login form instead.
/// `reload` is the address to try again (the page asked for, when it was a read); a service that
/// is temporarily unavailable gets a page of its own saying so.
pub fn error_page(
    state: Option<&AppState>,
    err: &AppError,
    lang: Lang,
    path: &str,
    reload: Option<&str>,
) -> HttpResponse {
    use actix_web::ResponseError;
    if let AppError::Unauthorized(_) = err {
        let next: String = url_escape(path);
        return see_other(&format!("/login?next={next}"));
    }
    let status = err.status_code();
    let page = ErrorPage {
        status: status.as_u16(),
        message: err.message().text(lang).to_string(),
        fields: match err {
            AppError::Validation(fields) => fields
                .in_lang(lang)
                .into_iter()
                .map(|(k, v)| format!("{k}: {}", v.join("; ")))
                .collect(),
            _ => Vec::new(),
        },
        retry_after: err.retry_after_secs(),
        reload: reload.map(str::to_string),
    };
    let (template, title) = match err {
        AppError::Unavailable(_) => ("errors/unavailable", "unavailable_title"),
        _ => ("errors/error", "error_title"),
    };
    let rendered = state.and_then(|state| {
        let templates = &state.templates;
        let data = Page {
            layout: Layout {
                lang: lang.tag(),
                switch_lang: if lang == Lang::Zh { "en" } else { "zh" },
                t: templates.labels(lang),
                user: None,
                csrf: String::new(),
                title: templates.label(lang, title).to_string(),
            },
            page,
        };
        templates.render(template, &data).ok()
    });
    let mut builder = HttpResponse::build(status);
    if let Some(seconds) = err.retry_after_secs() {
        builder.insert_header(("Retry-After", seconds.to_string()));
    }
    match rendered {
        Some(body) => builder.content_type("text/html; charset=utf-8").body(body),
        None => builder
            .content_type("text/plain; charset=utf-8")
            .body(err.message().text(lang).to_string()),
    }
}

/// Percent-encodes a path for a query parameter.
fn url_escape(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[get("/")]
async fn index(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: MaybeUser,
) -> Result<HttpResponse, AppError> {
    if user.0.is_some() {
        return Ok(see_other("/home"));
    }
    let page = rules_in_force(&state, Lang::of_request(&req)).await?;
    render(
        &state,
        &req,
        None,
        "index",
        "app_name",
        StatusCode::OK,
        page,
    )
}

/// The figures of the rulebook version in force today.
async fn rules_in_force(state: &AppState, lang: Lang) -> Result<RulesInForce, AppError> {
    let in_force = rulebook::in_force_on(&state.db, state.clock.today()).await?;
    Ok(RulesInForce {
        rulebook_version: in_force.version,
        effective_from: in_force.effective_from.to_string(),
        thresholds: thresholds(state, lang, &in_force),
    })
}

/// The rulebook version in force and its main figures.
#[derive(Serialize)]
struct RulesInForce {
    rulebook_version: i32,
    effective_from: String,
    thresholds: Vec<Threshold>,
}

/// One rule figure as the home page shows it.
#[derive(Serialize)]
struct Threshold {
    label_key: &'static str,
    value: String,
}

#[derive(Serialize)]
struct HomePage {
    role: &'static str,
    duties_key: String,
    /// The applications whose next step is the caller's, oldest first.
    waiting: Vec<crate::domain::accreditation::ApplicationView>,
    /// The reviews (proposals, reports, rectifications) waiting on a decider, oldest first.
    reviews: Vec<ReviewWaiting>,
    is_admin: bool,
    organization: Option<String>,
    #[serde(flatten)]
    rules: RulesInForce,
}

fn thresholds(state: &AppState, lang: Lang, version: &RulebookVersion) -> Vec<Threshold> {
    let rules = &version.rules;
    let amount = rules.annual_amount_threshold;
    vec![
        Threshold {
            label_key: "rule_annual_amount",
            value: format!(
                "{} {} ({} {})",
                amount.format_grouped(),
                state.templates.label(lang, "unit_yuan"),
                amount.format_wan(),
                state.templates.label(lang, "unit_wan")
            ),
        },
        Threshold {
            label_key: "rule_projects",
            value: rules.project_threshold.to_string(),
        },
        Threshold {
            label_key: "rule_alliance",
            value: rules.alliance_threshold.to_string(),
        },
        Threshold {
            label_key: "rule_cycle_years",
            value: rules.cycle_years.to_string(),
        },
        Threshold {
            label_key: "rule_report_due",
            value: rules.report_due_month_day.clone(),
        },
        Threshold {
            label_key: "rule_notice_days",
            value: rules.public_notice_working_days.to_string(),
        },
    ]
}

/// A review that waits on the caller, worded.
#[derive(Serialize)]
struct ReviewWaiting {
    #[serde(flatten)]
    item: crate::domain::dashboard::Waiting,
    what_label: String,
    days_waiting: i64,
}

/// What waits on a decider (cnipa, a local office) among the centers' reviews.
async fn reviews_waiting(
    state: &AppState,
    user: &CurrentUser,
    lang: Lang,
) -> Result<Vec<ReviewWaiting>, AppError> {
    use crate::domain::dashboard;
    if !matches!(user.role, Role::Cnipa | Role::LocalOffice) {
        return Ok(Vec::new());
    }
    let today = state.clock.today();
    let scope = dashboard::scope_of(user)?;
    let snapshot = dashboard::snapshot(
        &state.db,
        &state.rulebook,
        &state.figures,
        &state.dashboards,
        &scope,
        today,
    )
    .await?;
    Ok(dashboard::waiting_on(&snapshot, user)
        .into_iter()
        .map(|item| ReviewWaiting {
            what_label: state
                .templates
                .label(lang, &format!("waiting_{}", item.what))
                .to_string(),
            days_waiting: (today - item.since).num_days(),
            item,
        })
        .collect())
}

#[get("/home")]
async fn home(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    let me = users::me(&state.db, user.id).await?;
    let page = HomePage {
        waiting: super::api_queue::waiting_on(&state, &user).await?,
        reviews: reviews_waiting(&state, &user, Lang::of_request(&req)).await?,
        role: user.role.as_str(),
        duties_key: format!("home_duties_{}", user.role.as_str()),
        is_admin: user.role == Role::Admin,
        organization: me.organization.map(|o| format!("{}（{}）", o.name, o.uscc)),
        rules: rules_in_force(&state, Lang::of_request(&req)).await?,
    };
    render(
        &state,
        &req,
        Some(&user),
        "home",
        "home_title",
        StatusCode::OK,
        page,
    )
}

#[derive(Serialize)]
struct RulebookRow {
    version: i32,
    effective_from: String,
    in_force: bool,
    thresholds: Vec<Threshold>,
}

#[get("/rulebook")]
async fn rulebook_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    let versions = rulebook::all_versions(&state.db).await?;
    let lang = Lang::of_request(&req);
    let today = state.clock.today();
    let in_force = versions
        .iter()
        .rev()
        .find(|v| v.effective_from <= today)
        .map(|v| v.version);
    let rows: Vec<RulebookRow> = versions
        .iter()
        .rev()
        .map(|v| RulebookRow {
            version: v.version,
            effective_from: v.effective_from.to_string(),
            in_force: Some(v.version) == in_force,
            thresholds: thresholds(&state, lang, v),
        })
        .collect();
    render(
        &state,
        &req,
        Some(&user),
        "rulebook",
        "rulebook_title",
        StatusCode::OK,
        rows,
    )
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(index).service(home).service(rulebook_page);
}
