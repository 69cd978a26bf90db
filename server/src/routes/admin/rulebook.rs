//! `GET /api/v1/rulebook` (logged in), `POST /api/v1/rulebook` (admin).

use actix_web::{HttpResponse, get, post, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    auth::CurrentUser,
    domain::{
        rulebook::{self, RulebookVersion},
        users::Role,
    },
    error::{AppError, ErrorBody},
    state::AppState,
    web::extract::ApiJson,
};

/// Every rulebook version and the one in force today.
#[derive(Serialize, ToSchema)]
pub struct RulebookList {
    pub items: Vec<RulebookVersion>,
    pub in_force: i32,
}

/// The rulebook versions.
#[utoipa::path(get, path = "/api/v1/rulebook", tag = "rulebook", security(("bearer" = [])),
    responses((status = 200, body = RulebookList), (status = 401, body = ErrorBody)))]
#[get("/rulebook")]
pub async fn list_versions(
    state: web::Data<AppState>,
    _user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    let items = rulebook::all_versions(&state.db).await?;
    let today = state.clock.today();
    let in_force = items
        .iter()
        .rev()
        .find(|v| v.effective_from <= today)
        .map(|v| v.version)
        .unwrap_or(1);
    Ok(HttpResponse::Ok().json(RulebookList { items, in_force }))
}

/// Creates a version from `effective_from` and the values that change; the rest is copied from
/// the latest version.
#[utoipa::path(post, path = "/api/v1/rulebook", tag = "rulebook", security(("bearer" = [])),
    request_body(content = Object, description = "`effective_from` (YYYY-MM-DD, not before today) and the rule keys that change",
        example = json!({"effective_from": "2027-01-01", "annual_amount_threshold": "6000000.00"})),
    responses((status = 201, body = RulebookVersion), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/rulebook")]
pub async fn create_version(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: ApiJson<serde_json::Map<String, serde_json::Value>>,
) -> Result<HttpResponse, AppError> {
    user.require(&[Role::Admin])?;
    let created = rulebook::create_version(
        &state.db,
        user.id,
        body.0,
        state.clock.today(),
        state.clock.now(),
    )
    .await?;
    state.rulebook.invalidate();
    Ok(HttpResponse::Created().json(created))
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_versions).service(create_version);
}
