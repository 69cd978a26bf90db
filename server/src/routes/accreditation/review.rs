//! The reviewers' forms on the application page: recommend or return (the provincial office),
//! assign experts, decide, record and resolve an objection (the decider), declare and score (an
//! expert). Each calls the same domain step as its API route; a refused form comes back on the
//! page with its errors (422).

use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::Deserialize;
use serde_html_form::de::empty_as_none;

use super::forms::answered;
use crate::web::{
    form::{ConflictForm, ScoresForm},
    page_form::PageForm,
};
use crate::{
    auth::CurrentUser,
    domain::{
        accreditation::{
            self as workflow, DecideInput, Outcome, ReasonInput, Resolution, ResolveInput,
        },
        review::AssignInput,
        users::Role,
    },
    error::AppError,
    i18n::Msg,
    state::AppState,
};

/// A form with a reason.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ReasonForm {
    reason: String,
}

/// The provincial office recommends the application (`true`) or returns it, with a reason.
async fn recommend_or_return(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
    form: Result<ReasonForm, AppError>,
    recommends: bool,
) -> Result<(), AppError> {
    let (application, center) = workflow::readable(&state.db, user, id).await?;
    let input = ReasonInput {
        reason: form?.reason,
    };
    let services = state.services();
    workflow::recommend_or_return(&services, user, application, &center, &input, recommends)
        .await
        .map(drop)
}

/// Recommends a national center's application to cnipa.
#[post("/applications/{id}/recommend")]
async fn recommend(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<ReasonForm>,
) -> Result<HttpResponse, AppError> {
    let sent = form.sent.clone();
    let id = id.into_inner();
    let outcome = recommend_or_return(&state, &user, id, form.input, true).await;
    answered(
        &state,
        &req,
        &user,
        (id, &sent),
        outcome.map(|_| "recommended"),
    )
    .await
}

/// Returns the application to its center with the reason.
#[post("/applications/{id}/return")]
async fn return_application(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<ReasonForm>,
) -> Result<HttpResponse, AppError> {
    let sent = form.sent.clone();
    let id = id.into_inner();
    let outcome = recommend_or_return(&state, &user, id, form.input, false).await;
    answered(
        &state,
        &req,
        &user,
        (id, &sent),
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

/// Assigns experts to review the application.
#[post("/applications/{id}/assign")]
async fn assign(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<AssignForm>,
) -> Result<HttpResponse, AppError> {
    let sent = form.sent.clone();
    let id = id.into_inner();
    let outcome = async {
        let (application, center) = workflow::readable(&state.db, &user, id).await?;
        let input = AssignInput {
            expert_ids: form.input?.expert_ids,
        };
        let services = state.services();
        workflow::assign(&services, &user, application, &center, &input).await
    };
    answered(
        &state,
        &req,
        &user,
        (id, &sent),
        outcome.await.map(|_| "assigned"),
    )
    .await
}

/// An assigned expert declares a conflict of interest or none.
#[post("/applications/{id}/conflict")]
async fn declare(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<ConflictForm>,
) -> Result<HttpResponse, AppError> {
    let sent = form.sent.clone();
    let id = id.into_inner();
    let outcome = async {
        let input = form.input?.input()?;
        workflow::declare(&state.services(), &user, id, &input).await
    };
    answered(
        &state,
        &req,
        &user,
        (id, &sent),
        outcome.await.map(|_| "declared"),
    )
    .await
}

/// An assigned expert scores the application against the rubric in force.
#[post("/applications/{id}/scores")]
async fn score(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<ScoresForm>,
) -> Result<HttpResponse, AppError> {
    let sent = form.sent.clone();
    let id = id.into_inner();
    let outcome = async {
        user.require(&[Role::Expert])?;
        let (application, center) = workflow::readable(&state.db, &user, id).await?;
        let services = state.services();
        let in_force = services.rulebook.in_force_on(services.db, services.today);
        let input = form.input?.input(in_force.await?.rules.rubric.keys())?;
        workflow::score(&services, &user, application, &center, &input).await
    };
    answered(
        &state,
        &req,
        &user,
        (id, &sent),
        outcome.await.map(|_| "scored"),
    )
    .await
}

/// The decision form.
#[derive(Deserialize, Default)]
#[serde(default)]
struct DecideForm {
    #[serde(deserialize_with = "empty_as_none")]
    outcome: Option<Outcome>,
    reason: String,
}

impl DecideForm {
    fn input(self) -> Result<DecideInput, AppError> {
        let choose = || AppError::field("outcome", Msg::new("请选择结论", "choose an outcome"));
        Ok(DecideInput {
            outcome: self.outcome.ok_or_else(choose)?,
            reason: self.reason,
        })
    }
}

/// Decides the application.
#[post("/applications/{id}/decide")]
async fn decide(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<DecideForm>,
) -> Result<HttpResponse, AppError> {
    let sent = form.sent.clone();
    let id = id.into_inner();
    let outcome = async {
        let (application, center) = workflow::readable(&state.db, &user, id).await?;
        let input = form.input.and_then(DecideForm::input)?;
        workflow::decide(&state.services(), &user, application, &center, &input).await
    };
    answered(
        &state,
        &req,
        &user,
        (id, &sent),
        outcome.await.map(|_| "decided"),
    )
    .await
}

/// Records an objection raised during public notice.
#[post("/applications/{id}/objection")]
async fn object(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<ReasonForm>,
) -> Result<HttpResponse, AppError> {
    let sent = form.sent.clone();
    let id = id.into_inner();
    let outcome = async {
        let (application, center) = workflow::readable(&state.db, &user, id).await?;
        let reason = ReasonInput {
            reason: form.input?.reason,
        };
        workflow::object(&state.services(), &user, application, &center, &reason).await
    };
    answered(
        &state,
        &req,
        &user,
        (id, &sent),
        outcome.await.map(|_| "objection_recorded"),
    )
    .await
}

/// How an objection ends, and why.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ResolveForm {
    #[serde(deserialize_with = "empty_as_none")]
    outcome: Option<Resolution>,
    reason: String,
}

/// Resolves the open objection: the accreditation stands or is revoked.
#[post("/applications/{id}/resolve")]
async fn resolve(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<ResolveForm>,
) -> Result<HttpResponse, AppError> {
    let sent = form.sent.clone();
    let id = id.into_inner();
    let outcome = async {
        let (application, center) = workflow::readable(&state.db, &user, id).await?;
        let form = form.input?;
        let input = ResolveInput {
            outcome: form.outcome.unwrap_or(Resolution::Confirm),
            reason: form.reason,
        };
        let services = state.services();
        workflow::resolve_objection(&services, &user, application, &center, &input).await
    };
    answered(
        &state,
        &req,
        &user,
        (id, &sent),
        outcome.await.map(|_| "decided"),
    )
    .await
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[
    ("POST", "/applications/{id}/recommend"),
    ("POST", "/applications/{id}/return"),
    ("POST", "/applications/{id}/assign"),
    ("POST", "/applications/{id}/conflict"),
    ("POST", "/applications/{id}/scores"),
    ("POST", "/applications/{id}/decide"),
    ("POST", "/applications/{id}/objection"),
    ("POST", "/applications/{id}/resolve"),
];

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(recommend)
        .service(return_application)
        .service(assign)
        .service(declare)
        .service(score)
        .service(decide)
        .service(object)
        .service(resolve);
}
