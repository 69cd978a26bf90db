//! The rulebook on pages: every version with its main figures (logged in), its JSON download, and
//! the admin's form creating a version from the figures that change.

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use serde::Serialize;

use crate::web::{
    page::{render, see_other},
    page_form::PageForm,
    rules::{Threshold, thresholds},
};
use crate::{
    auth::CurrentUser,
    domain::{rulebook, users::Role},
    error::AppError,
    i18n::Lang,
    state::AppState,
};

#[derive(Serialize)]
struct RulebookRow {
    version: i32,
    effective_from: String,
    in_force: bool,
    thresholds: Vec<Threshold>,
}

/// The figures the admin's form changes: the rule key and its label key.
const FIGURES: [(&str, &str); 6] = [
    ("annual_amount_threshold", "rule_annual_amount"),
    ("project_threshold", "rule_projects"),
    ("alliance_threshold", "rule_alliance"),
    ("cycle_years", "rule_cycle_years"),
    ("report_due_month_day", "rule_report_due"),
    ("public_notice_working_days", "rule_notice_days"),
];

/// One field of the new version's form.
#[derive(Serialize)]
struct FigureField {
    name: &'static str,
    label_key: &'static str,
    value: String,
    error: String,
}

#[derive(Serialize)]
struct RulebookPage {
    versions: Vec<RulebookRow>,
    can_create: bool,
    effective_from: String,
    effective_from_error: String,
    fields: Vec<FigureField>,
}

/// The rulebook page; `sent` and `errors` are a refused form's.
async fn rulebook_page(
    state: &AppState,
    (req, user): (&HttpRequest, &CurrentUser),
    sent: Option<BTreeMap<String, String>>,
    errors: BTreeMap<String, String>,
) -> Result<HttpResponse, AppError> {
    let versions = rulebook::all_versions(&state.db).await?;
    let (lang, today) = (Lang::of_request(req), state.clock.today());
    let in_force = (versions.iter().rev())
        .find(|v| v.effective_from <= today)
        .map(|v| v.version);
    let row = |v: &rulebook::RulebookVersion| RulebookRow {
        version: v.version,
        effective_from: v.effective_from.to_string(),
        in_force: Some(v.version) == in_force,
        thresholds: thresholds(state, lang, v),
    };
    let latest = serde_json::to_value(versions.last().map(|v| &v.rules)).unwrap_or_default();
    let shown = |name: &str| match &sent {
        Some(sent) => sent.get(name).cloned().unwrap_or_default(),
        None => latest[name]
            .as_str()
            .map_or_else(|| latest[name].to_string(), str::to_string),
    };
    let error = |name: &str| errors.get(name).cloned().unwrap_or_default();
    let field = |(name, label_key): &(&'static str, &'static str)| FigureField {
        name,
        label_key,
        value: shown(name),
        error: error(name),
    };
    let data = RulebookPage {
        versions: versions.iter().rev().map(row).collect(),
        can_create: user.role == Role::Admin,
        effective_from: sent
            .as_ref()
            .map(|_| shown("effective_from"))
            .unwrap_or_default(),
        effective_from_error: error("effective_from"),
        fields: FIGURES.iter().map(field).collect(),
    };
    let status = match errors.is_empty() {
        true => StatusCode::OK,
        false => StatusCode::UNPROCESSABLE_ENTITY,
    };
    render(
        state,
        req,
        Some(user),
        "rulebook",
        "rulebook_title",
        status,
        data,
    )
    .await
}

#[get("/rulebook")]
async fn rulebook_view(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    rulebook_page(&state, (&req, &user), None, BTreeMap::new()).await
}

/// The changes a form sends, as the domain takes them: numbers as numbers, the rest as typed;
/// a figure left as it is or empty is no change.
fn changes(sent: &BTreeMap<String, String>) -> serde_json::Map<String, serde_json::Value> {
    let mut changes = serde_json::Map::new();
    let typed = |name: &str| sent.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
    if let Some(date) = typed("effective_from") {
        changes.insert("effective_from".into(), date.into());
    }
    for (name, _) in FIGURES {
        let Some(value) = typed(name) else { continue };
        let value = match (name, value.parse::<u64>()) {
            ("annual_amount_threshold", _) => value.replace([',', '，'], "").into(),
            (_, Ok(n)) => n.into(),
            (_, Err(_)) => value.into(),
        };
        changes.insert(name.into(), value);
    }
    changes
}

/// Creates a rulebook version from the admin's form, then shows it.
#[post("/rulebook")]
async fn create_version(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    form: PageForm<BTreeMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    user.require(&[Role::Admin])?;
    let sent = form.sent.all();
    let (today, now) = (state.clock.today(), state.clock.now());
    match rulebook::create_version(&state.db, user.id, changes(&sent), today, now).await {
        Ok(_) => {
            state.rulebook.invalidate();
            Ok(see_other("/rulebook?notice=rulebook_created"))
        }
        Err(AppError::Validation(errors)) => {
            let lang = Lang::of_request(&req);
            let shown =
                (errors.in_lang(lang).into_iter()).map(|(k, v)| (k, v.join(lang.separator())));
            rulebook_page(&state, (&req, &user), Some(sent), shown.collect()).await
        }
        Err(other) => Err(other),
    }
}

/// Every rulebook version as JSON, downloaded from the rulebook page with the page's session
/// (the API route takes a bearer token).
#[get("/rulebook.json")]
async fn rulebook_json(
    state: web::Data<AppState>,
    _user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    let versions = rulebook::all_versions(&state.db).await?;
    let disposition = (
        "Content-Disposition",
        "attachment; filename=\"rulebook.json\"",
    );
    Ok(HttpResponse::Ok().insert_header(disposition).json(versions))
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[
    ("GET", "/rulebook"),
    ("POST", "/rulebook"),
    ("GET", "/rulebook.json"),
];

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(rulebook_view)
        .service(create_version)
        .service(rulebook_json);
}
