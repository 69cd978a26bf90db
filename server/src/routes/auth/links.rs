//! Requests to be linked to an organization already registered: listed for those who decide them
//! (`GET /api/v1/organization-links`), approved or declined over the API and from the home page.

use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::web::{page::see_other, page_form::PageForm};
use crate::{
    auth::CurrentUser,
    domain::users::links::{self, LinkView},
    error::{AppError, ErrorBody},
    state::AppState,
    web::extract::ApiJson,
};

/// Why a link is declined.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct DeclineInput {
    pub reason: String,
}

/// The pending link requests the caller decides (staff: its alliance's organizations; admin: all).
#[utoipa::path(get, path = "/api/v1/organization-links", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Vec<LinkView>), (status = 401, body = ErrorBody)))]
#[get("/organization-links")]
pub async fn pending(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    let listed = links::pending_for(&state.db, &user, state.clock.today()).await?;
    Ok(HttpResponse::Ok().json(listed))
}

/// Approves a link: the account then belongs to the organization.
#[utoipa::path(post, path = "/api/v1/organization-links/{lid}/approve", tag = "auth", security(("bearer" = [])),
    params(("lid" = i32, Path)),
    responses((status = 200, body = LinkView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
#[post("/organization-links/{lid}/approve")]
pub async fn approve(
    state: web::Data<AppState>,
    user: CurrentUser,
    lid: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let when = (state.clock.today(), state.clock.now());
    let decided = links::decide(&state.db, &user, lid.into_inner(), (true, None), when).await?;
    Ok(HttpResponse::Ok().json(decided))
}

/// Declines a link, saying why.
#[utoipa::path(post, path = "/api/v1/organization-links/{lid}/decline", tag = "auth", security(("bearer" = [])),
    params(("lid" = i32, Path)), request_body = DeclineInput,
    responses((status = 200, body = LinkView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/organization-links/{lid}/decline")]
pub async fn decline(
    state: web::Data<AppState>,
    user: CurrentUser,
    lid: web::Path<i32>,
    body: ApiJson<DeclineInput>,
) -> Result<HttpResponse, AppError> {
    let when = (state.clock.today(), state.clock.now());
    let why = Some(body.0.reason.as_str());
    let decided = links::decide(&state.db, &user, lid.into_inner(), (false, why), when).await?;
    Ok(HttpResponse::Ok().json(decided))
}

/// The home page's decision on a link: approve, or decline with a reason.
#[derive(Deserialize, Default)]
#[serde(default)]
struct DecisionForm {
    approve: bool,
    reason: String,
}

/// Decides a link from the home page, then shows the home with a confirmation.
#[post("/organization-links/{lid}")]
async fn decide_page(
    state: web::Data<AppState>,
    user: CurrentUser,
    lid: web::Path<i32>,
    form: PageForm<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.input?;
    let when = (state.clock.today(), state.clock.now());
    let decision = (form.approve, Some(form.reason.as_str()));
    links::decide(&state.db, &user, lid.into_inner(), decision, when).await?;
    let notice = if form.approve {
        "link_approved"
    } else {
        "link_declined"
    };
    Ok(see_other(&format!("/home?notice={notice}#links")))
}

/// Registers the API routes.
pub fn configure_api(cfg: &mut web::ServiceConfig) {
    cfg.service(pending).service(approve).service(decline);
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[("POST", "/organization-links/{lid}")];

/// Registers the page route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(decide_page);
}
