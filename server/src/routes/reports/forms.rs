//! The forms of a report's page: the staff's save and submit, the decider's return and expert
//! assignment, an assigned expert's declaration and scores. Each calls the same domain function
//! as its API route; a refused form comes back on the page with its errors and input (422).

use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::Deserialize;

use super::pages::show;
use crate::web::{
    form::{ConflictForm, Kept, NarrativesForm, ScoresForm},
    page::see_other,
    page_form::{PageForm, Sent},
};
use crate::{
    auth::CurrentUser,
    domain::{
        access,
        reports::{self, ReturnInput},
        review::AssignInput,
        users::Role,
    },
    error::AppError,
    i18n::Lang,
    state::AppState,
};

/// Where a form of a report's page lands: the page, with the form's errors and input (422) when
/// it was refused.
async fn answered(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    (id, year, sent): (i32, i32, &Sent),
    outcome: Result<&str, AppError>,
) -> Result<HttpResponse, AppError> {
    match outcome {
        Ok(notice) => Ok(see_other(&format!(
            "/centers/{id}/reports/{year}?notice={notice}"
        ))),
        Err(AppError::Validation(errors)) => {
            let kept = Kept::new(&errors, sent.all(), Lang::of_request(req));
            show(state, req, user, (id, year), kept).await
        }
        Err(other) => Err(other),
    }
}

/// Saves the report's draft; with `and_submit`, submits it as saved.
async fn save(
    state: &AppState,
    user: &CurrentUser,
    (id, year): (i32, i32),
    form: Result<NarrativesForm, AppError>,
    and_submit: bool,
) -> Result<(), AppError> {
    let center = access::writable_center(&state.db, user, id).await?;
    let services = state.services();
    reports::save(&state.db, user, &center, year, form?.input(), services.now).await?;
    if and_submit {
        reports::submit(&services, user, &center, year).await?;
    }
    Ok(())
}

/// Saves the report's draft.
#[post("/centers/{id}/reports/{year}/save")]
async fn save_draft(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
    form: PageForm<NarrativesForm>,
) -> Result<HttpResponse, AppError> {
    let (id, year) = path.into_inner();
    let outcome = save(&state, &user, (id, year), form.input, false).await;
    answered(
        &state,
        &req,
        &user,
        (id, year, &form.sent),
        outcome.map(|_| "saved"),
    )
    .await
}

/// Saves the report's draft and submits it.
#[post("/centers/{id}/reports/{year}/submit")]
async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
    form: PageForm<NarrativesForm>,
) -> Result<HttpResponse, AppError> {
    let (id, year) = path.into_inner();
    let outcome = save(&state, &user, (id, year), form.input, true).await;
    answered(
        &state,
        &req,
        &user,
        (id, year, &form.sent),
        outcome.map(|_| "submitted"),
    )
    .await
}

/// The decider's return form: the reason and the days the center has to correct.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ReturnForm {
    reason: String,
    correction_days: Option<u32>,
}

/// Returns the submitted report to its center for correction.
#[post("/centers/{id}/reports/{year}/return")]
async fn return_report(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
    form: PageForm<ReturnForm>,
) -> Result<HttpResponse, AppError> {
    let (id, year) = path.into_inner();
    let outcome = async {
        let center = access::readable_center(&state.db, &user, id).await?;
        let ReturnForm {
            reason,
            correction_days,
        } = form.input?;
        let input = ReturnInput {
            reason,
            correction_days,
        };
        reports::return_report(&state.services(), &user, &center, year, &input).await
    };
    let outcome = outcome.await.map(drop);
    answered(
        &state,
        &req,
        &user,
        (id, year, &form.sent),
        outcome.map(|_| "returned"),
    )
    .await
}

/// The experts ticked on the assignment form.
#[derive(Deserialize, Default)]
#[serde(default)]
struct AssignForm {
    expert_ids: Vec<i32>,
}

/// Assigns the ticked experts to review the report.
#[post("/centers/{id}/reports/{year}/assign")]
async fn assign(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
    form: PageForm<AssignForm>,
) -> Result<HttpResponse, AppError> {
    let (id, year) = path.into_inner();
    let outcome = async {
        let center = access::readable_center(&state.db, &user, id).await?;
        let expert_ids = form.input?.expert_ids;
        let input = AssignInput { expert_ids };
        reports::review::assign(&state.services(), &user, &center, year, &input).await
    };
    let outcome = outcome.await;
    answered(
        &state,
        &req,
        &user,
        (id, year, &form.sent),
        outcome.map(|_| "assigned"),
    )
    .await
}

/// An assigned expert declares a conflict of interest or none.
#[post("/centers/{id}/reports/{year}/conflict")]
async fn declare(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
    form: PageForm<ConflictForm>,
) -> Result<HttpResponse, AppError> {
    let (id, year) = path.into_inner();
    let outcome = async {
        let input = form.input?.input()?;
        reports::review::declare_as_expert(&state.services(), &user, id, year, &input).await
    };
    let outcome = outcome.await.map(drop);
    answered(
        &state,
        &req,
        &user,
        (id, year, &form.sent),
        outcome.map(|_| "declared"),
    )
    .await
}

/// An assigned expert scores the report against the annual rubric in force.
#[post("/centers/{id}/reports/{year}/scores")]
async fn score(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
    form: PageForm<ScoresForm>,
) -> Result<HttpResponse, AppError> {
    let (id, year) = path.into_inner();
    let outcome = async {
        user.require(&[Role::Expert])?;
        let center = access::readable_center(&state.db, &user, id).await?;
        let services = state.services();
        let in_force = services.rulebook.in_force_on(services.db, services.today);
        let input = form
            .input?
            .input(in_force.await?.rules.annual_rubric().keys())?;
        reports::review::score(&services, &user, &center, year, &input).await
    };
    let outcome = outcome.await;
    answered(
        &state,
        &req,
        &user,
        (id, year, &form.sent),
        outcome.map(|_| "scored"),
    )
    .await
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[
    ("POST", "/centers/{id}/reports/{year}/save"),
    ("POST", "/centers/{id}/reports/{year}/submit"),
    ("POST", "/centers/{id}/reports/{year}/return"),
    ("POST", "/centers/{id}/reports/{year}/assign"),
    ("POST", "/centers/{id}/reports/{year}/conflict"),
    ("POST", "/centers/{id}/reports/{year}/scores"),
];

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(save_draft)
        .service(submit)
        .service(return_report)
        .service(assign)
        .service(declare)
        .service(score);
}
