//! Accreditation pages: the center's application form with its live criteria panel, the queue of
//! what waits on me, the expert's declaration and scoring page, the decision page (snapshot,
//! scores and conflict records side by side), and the public list.

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use chrono::Datelike;
use entities::{applications, centers};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use crate::web::page::{render, see_other};
use crate::{
    auth::{CurrentUser, csrf},
    domain::{
        access,
        accreditation::{self as workflow, AREAS, ApplicationInput, ApplicationView, status},
        metrics,
        review::{self, Subject},
        users::Role,
    },
    error::{AppError, FieldErrors},
    i18n::Lang,
    state::AppState,
    web::extract::FormFields,
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

/// One rubric item on the scoring form.
#[derive(Serialize)]
struct RubricItem {
    key: String,
    weight: u32,
    value: String,
    error: String,
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
    errors: BTreeMap<String, String>,
    has_errors: bool,
}

/// The application page for `user`, with `errors` from a refused form.
pub(super) async fn detail_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    id: i32,
    errors: Option<&FieldErrors>,
) -> Result<HttpResponse, AppError> {
    let lang = Lang::of_request(req);
    let (application, center, must_declare) = match workflow::readable(&state.db, user, id).await {
        Ok((a, c)) => (a, c, false),
        // an expert who has not declared sees the declaration form only
        Err(AppError::ForbiddenBecause(_)) if user.role == Role::Expert => {
            let a = applications::Entity::find_by_id(id)
                .one(&state.db)
                .await?
                .ok_or(AppError::NotFound)?;
            let c = centers::Entity::find_by_id(a.center_id)
                .one(&state.db)
                .await?
                .ok_or(AppError::NotFound)?;
            (a, c, true)
        }
        Err(other) => return Err(other),
    };
    let editable = user.role == Role::Center
        && user.center_id == Some(center.id)
        && matches!(
            application.status.as_str(),
            status::DRAFT | status::RETURNED
        );
    let (criteria, criteria_year, live) = if editable || application.snapshot.is_none() {
        live_criteria(state, &center, lang).await?
    } else {
        frozen_criteria(&application, lang)
    };
    let assignment = if user.role == Role::Expert {
        review::active_assignment(&state.db, Subject::Application(id), user.id).await?
    } else {
        None
    };
    let rules = state
        .rulebook
        .in_force_on(&state.db, state.clock.today())
        .await?
        .rules;
    let mine: BTreeMap<String, i64> = assignment
        .as_ref()
        .and_then(|a| a.scores.as_deref())
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default();
    let view = workflow::view(&state.db, user, application, &center, state.clock.now()).await?;
    let mut field_errors = BTreeMap::new();
    if let Some(errors) = errors {
        for (field, messages) in errors.in_lang(lang) {
            field_errors.insert(field, messages.join("；"));
        }
    }
    for field in ["note", "comment", "reason", "file"] {
        field_errors.entry(field.to_string()).or_default();
    }
    let page = DetailPage {
        areas: AREAS
            .iter()
            .map(|key| Area {
                key,
                text: view.narratives.get(*key).cloned().unwrap_or_default(),
                nothing: view.nothing_to_report.iter().any(|n| n == key),
                error: field_errors
                    .get(&format!("narratives.{key}"))
                    .cloned()
                    .unwrap_or_default(),
            })
            .collect(),
        criteria,
        criteria_year,
        live,
        editable,
        can_recommend: workflow::is_national(&center)
            && user.role == Role::LocalOffice
            && user.region_code.as_deref() == Some(workflow::authority_region(&center).as_str())
            && view.status == status::SUBMITTED,
        decides: workflow::decides(user, &center),
        under_review: view.status == status::UNDER_REVIEW,
        under_notice: view.status == status::ACCREDITED && view.effective_on.is_none(),
        must_declare,
        can_score: !must_declare && assignment.is_some() && view.status == status::UNDER_REVIEW,
        rubric: rules
            .rubric
            .iter()
            .map(|(key, weight)| RubricItem {
                key: key.clone(),
                weight: *weight,
                value: mine.get(key).map(ToString::to_string).unwrap_or_default(),
                error: field_errors
                    .get(&format!("items.{key}"))
                    .cloned()
                    .unwrap_or_default(),
            })
            .collect(),
        has_errors: errors.is_some(),
        errors: field_errors,
        application: view,
    };
    let code = if errors.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(
        state,
        req,
        Some(user),
        "applications/detail",
        "application_title",
        code,
        page,
    )
}

/// The verdicts of the last full year, computed now.
async fn live_criteria(
    state: &AppState,
    center: &centers::Model,
    lang: Lang,
) -> Result<(Vec<Criterion>, i32, bool), AppError> {
    let host = entities::organizations::Entity::find_by_id(center.host_organization_id)
        .one(&state.db)
        .await?;
    let today = state.clock.today();
    let year = today.year() - 1;
    let m = metrics::evaluate(
        &state.db,
        &state.rulebook,
        &state.figures,
        center,
        host.as_ref(),
        year,
        today,
    )
    .await?;
    let criteria = m
        .verdicts
        .into_iter()
        .map(|v| Criterion {
            rule: v.rule.to_string(),
            passed: v.passed,
            detail: v.detail.text(lang).to_string(),
        })
        .collect();
    Ok((criteria, year, true))
}

/// The verdicts frozen into the application.
fn frozen_criteria(application: &applications::Model, lang: Lang) -> (Vec<Criterion>, i32, bool) {
    let snapshot: serde_json::Value = application
        .snapshot
        .as_deref()
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default();
    let detail = if lang == Lang::En {
        "detail_en"
    } else {
        "detail_zh"
    };
    let criteria = snapshot["criteria"]
        .as_array()
        .map(|all| {
            all.iter()
                .map(|c| Criterion {
                    rule: c["rule"].as_str().unwrap_or_default().to_string(),
                    passed: c["passed"].as_bool().unwrap_or(false),
                    detail: c[detail].as_str().unwrap_or_default().to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    (
        criteria,
        application.snapshot_year.unwrap_or_default(),
        false,
    )
}

#[get("/applications/{id}")]
async fn application_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    detail_page(&state, &req, &user, id.into_inner(), None).await
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
    let latest = applications::Entity::find()
        .filter(applications::Column::CenterId.eq(center.id))
        .order_by_desc(applications::Column::Id)
        .one(&state.db)
        .await?;
    match latest {
        Some(application) if application.status != status::REJECTED => {
            Ok(see_other(&format!("/applications/{}", application.id)))
        }
        _ => {
            access::writable_center(&state.db, &user, center.id).await?;
            let lang = Lang::of_request(&req);
            let (criteria, criteria_year, _) = live_criteria(&state, &center, lang).await?;
            #[derive(Serialize)]
            struct StartPage {
                center_id: i32,
                center_name: String,
                criteria: Vec<Criterion>,
                criteria_year: i32,
            }
            render(
                &state,
                &req,
                Some(&user),
                "applications/start",
                "application_title",
                StatusCode::OK,
                StartPage {
                    center_id: center.id,
                    center_name: center.name,
                    criteria,
                    criteria_year,
                },
            )
        }
    }
}

#[post("/centers/{id}/application")]
async fn start_application(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&req, form.get(csrf::CSRF_FIELD))?;
    let center = access::writable_center(&state.db, &user, id.into_inner()).await?;
    let application = workflow::create(
        &state.db,
        &user,
        &center,
        ApplicationInput::default(),
        state.clock.now(),
    )
    .await?;
    Ok(see_other(&format!("/applications/{}", application.id)))
}

/// What waits on me, oldest first.
#[get("/applications")]
async fn queue_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    let items =
        crate::domain::accreditation::waiting_on(&state.db, &user, state.clock.now()).await?;
    #[derive(Serialize)]
    struct QueuePage {
        items: Vec<ApplicationView>,
    }
    render(
        &state,
        &req,
        Some(&user),
        "applications/queue",
        "queue_title",
        StatusCode::OK,
        QueuePage { items },
    )
}

/// Registers the pages.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(queue_page)
        .service(center_application)
        .service(start_application)
        .service(application_page)
        .service(super::forms::upload_attachment)
        .service(super::forms::attachment_page)
        .service(super::forms::application_action);
}
