//! Accreditation pages: the center's application form with its live criteria panel, the queue of
//! what waits on me, the expert's declaration and scoring page, the decision page (snapshot,
//! scores and conflict records side by side).

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use serde::Serialize;

use crate::web::extract::ApiQuery;
use crate::web::{
    form::{ExpertChoice, RubricItem},
    page::{render, see_other},
    page_form::{Blank, PageForm, Sent},
};
use crate::{
    auth::CurrentUser,
    domain::{
        access,
        accreditation::{
            self as workflow, AREAS, ApplicationInput, ApplicationView,
            page::{self as application, Criteria},
        },
        users::Role,
    },
    error::{AppError, FieldErrors},
    i18n::Lang,
    state::AppState,
};

/// One achievement area on the form.
#[derive(Serialize)]
struct Area {
    key: &'static str,
    text: String,
    nothing: bool,
    error: String,
}

/// One criterion with its verdict, in the reader's language.
#[derive(Serialize)]
struct Criterion {
    rule: String,
    passed: bool,
    detail: String,
}

/// The criteria in `lang`.
fn criteria_in(criteria: &Criteria, lang: Lang) -> Vec<Criterion> {
    let shown = criteria.items.iter().map(|c| Criterion {
        rule: c.rule.clone(),
        passed: c.passed,
        detail: c.detail.text(lang).to_string(),
    });
    shown.collect()
}

#[derive(Serialize)]
struct DetailPage {
    application: ApplicationView,
    areas: Vec<Area>,
    /// The frozen snapshot's verdicts, or, while editable, the live ones of the last full year.
    criteria: Vec<Criterion>,
    criteria_year: i32,
    live: bool,
    editable: bool,
    can_recommend: bool,
    decides: bool,
    under_review: bool,
    under_notice: bool,
    must_declare: bool,
    can_score: bool,
    rubric: Vec<RubricItem>,
    experts: Vec<ExpertChoice>,
    errors: BTreeMap<String, String>,
    has_errors: bool,
    /// What a refused form sent, to show it again (its free-text fields and choice present).
    sent: BTreeMap<String, String>,
}

/// The errors of a refused form in `lang`, by field (the page's own fields present, empty).
fn errors_in(errors: Option<&FieldErrors>, lang: Lang) -> BTreeMap<String, String> {
    let mut shown = BTreeMap::new();
    for (field, messages) in errors.map(|e| e.in_lang(lang)).into_iter().flatten() {
        shown.insert(field, messages.join(lang.separator()));
    }
    for field in ["note", "comment", "reason", "file"] {
        shown.entry(field.to_string()).or_default();
    }
    shown
}

/// The application page for `user`; after a refused form (then 422) with its errors and what it
/// sent, shown again.
pub(super) async fn detail_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    id: i32,
    refused: Option<(&FieldErrors, &Sent)>,
) -> Result<HttpResponse, AppError> {
    let lang = Lang::of_request(req);
    let page = application::application_page(&state.services(), user, id).await?;
    let errors = refused.map(|(errors, _)| errors);
    let shown = errors_in(errors, lang);
    let error = |field: String| shown.get(&field).cloned().unwrap_or_default();
    let all_sent = refused.map(|(_, sent)| sent.all()).unwrap_or_default();
    let typed = |name: String| all_sent.get(&name).cloned();
    let mut sent = all_sent.clone();
    for field in ["reason", "note", "comment", "outcome"] {
        sent.entry(field.to_string()).or_default();
    }
    let view = &page.view;
    let areas = AREAS.iter().map(|key| Area {
        key,
        text: typed(format!("narrative_{key}"))
            .unwrap_or_else(|| view.narratives.get(*key).cloned().unwrap_or_default()),
        nothing: view.nothing_to_report.iter().any(|n| n == key),
        error: error(format!("narratives.{key}")),
    });
    let label = |key: &str| state.templates.label(lang, key).to_string();
    let rubric = page.rubric.into_iter().map(|line| {
        let error = error(format!("items.{}", line.key));
        let kept = typed(format!("score_{}", line.key));
        RubricItem::of(line, (kept, error), label)
    });
    let active = page.view.assignments.iter().filter(|a| a.active);
    let assigned: Vec<i32> = active.map(|a| a.expert_id).collect();
    let data = DetailPage {
        areas: areas.collect(),
        rubric: rubric.collect(),
        criteria: criteria_in(&page.criteria, lang),
        criteria_year: page.criteria.year,
        live: page.criteria.live,
        editable: page.editable,
        can_recommend: page.can_recommend,
        decides: page.decides,
        under_review: page.under_review,
        under_notice: page.under_notice,
        must_declare: page.must_declare,
        can_score: page.can_score,
        experts: (page.experts.into_iter())
            .map(|c| ExpertChoice::of(c, lang, &assigned))
            .collect(),
        has_errors: errors.is_some(),
        errors: shown.clone(),
        sent,
        application: page.view,
    };
    let status = match errors {
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    render(
        state,
        req,
        Some(user),
        "applications/detail",
        "application_title",
        status,
        data,
    )
    .await
}

/// One application.
#[get("/applications/{id}")]
async fn application_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    detail_page(&state, &req, &user, id.into_inner(), None).await
}

#[derive(Serialize)]
struct StartPage {
    center_id: i32,
    center_name: String,
    criteria: Vec<Criterion>,
    criteria_year: i32,
}

/// The center's application: its latest one, or the form that starts one.
#[get("/centers/{id}/application")]
async fn center_application(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let center = access::readable_center(&state.db, &user, id.into_inner()).await?;
    let services = state.services();
    match application::latest(&services, center.id).await? {
        Some(latest) if latest.status != workflow::status::REJECTED => {
            Ok(see_other(&format!("/applications/{}", latest.id)))
        }
        _ => {
            access::writable_center(&state.db, &user, center.id).await?;
            let criteria = application::live_criteria(&services, &center).await?;
            let page = StartPage {
                center_id: center.id,
                center_name: center.name,
                criteria: criteria_in(&criteria, Lang::of_request(&req)),
                criteria_year: criteria.year,
            };
            let status = StatusCode::OK;
            render(
                &state,
                &req,
                Some(&user),
                "applications/start",
                "application_title",
                status,
                page,
            )
            .await
        }
    }
}

/// Starts the center's application.
#[post("/centers/{id}/application")]
async fn start_application(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    _form: PageForm<Blank>,
) -> Result<HttpResponse, AppError> {
    let center = access::writable_center(&state.db, &user, id.into_inner()).await?;
    let (input, now) = (ApplicationInput::default(), state.clock.now());
    let application = workflow::create(&state.db, &user, &center, input, now).await?;
    Ok(see_other(&format!("/applications/{}", application.id)))
}

#[derive(Serialize)]
struct QueuePage {
    items: Vec<ApplicationView>,
    /// A reviewer's every application, in the state chosen (all when none).
    reviews_all: bool,
    all: Vec<ApplicationView>,
    states: Vec<StateTab>,
    own_center: Option<i32>,
}

/// One state to list the applications in.
#[derive(Serialize)]
struct StateTab {
    value: &'static str,
    chosen: bool,
}

/// The state chosen on the applications page.
#[derive(serde::Deserialize)]
struct StateQuery {
    state: Option<String>,
}

const STATES: [&str; 7] = [
    workflow::status::DRAFT,
    workflow::status::SUBMITTED,
    workflow::status::RETURNED,
    workflow::status::RECOMMENDED,
    workflow::status::UNDER_REVIEW,
    workflow::status::ACCREDITED,
    workflow::status::REJECTED,
];

/// What waits on me, oldest first; for a reviewer, every application in scope by state.
#[get("/applications")]
async fn queue_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    query: ApiQuery<StateQuery>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let chosen = STATES
        .iter()
        .find(|s| query.state.as_deref() == Some(**s))
        .copied();
    let items = workflow::waiting_on(&state.db, &user, now).await?;
    let all = workflow::in_scope(&state.db, &user, chosen, now).await?;
    let tab = |value: &&'static str| StateTab {
        value,
        chosen: chosen == Some(*value),
    };
    let page = QueuePage {
        items,
        all,
        reviews_all: matches!(user.role, Role::Cnipa | Role::LocalOffice | Role::Admin),
        states: STATES.iter().map(tab).collect(),
        own_center: user.center_id,
    };
    let status = StatusCode::OK;
    render(
        &state,
        &req,
        Some(&user),
        "applications/queue",
        "queue_title",
        status,
        page,
    )
    .await
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[
    ("GET", "/applications/{id}"),
    ("GET", "/centers/{id}/application"),
    ("POST", "/centers/{id}/application"),
    ("GET", "/applications"),
];

/// Registers the pages.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(queue_page)
        .service(center_application)
        .service(start_application)
        .service(application_page);
}
