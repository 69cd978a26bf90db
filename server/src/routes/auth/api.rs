//! `POST /api/v1/auth/login`, `POST /api/v1/auth/register`, `GET /api/v1/me`.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    auth::{CurrentUser, VerifiedToken, login, ratelimit, session},
    domain::users::{self, Me, RegisterInput, UserView},
    error::{AppError, ErrorBody},
    state::AppState,
    web::extract::ApiJson,
};

/// E-mail and password.
#[derive(Deserialize, ToSchema)]
pub struct LoginBody {
    pub email: String,
    pub password: String,
}

/// A token and the account it belongs to.
#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    pub token: String,
    pub user: UserView,
}

/// A token and the registered account with its organization.
#[derive(Serialize, ToSchema)]
pub struct RegisterResponse {
    pub token: String,
    pub user: Me,
}

/// Logs in; failed attempts are limited per account and per address.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginBody,
    responses(
        (status = 200, body = LoginResponse),
        (status = 400, body = ErrorBody), (status = 401, description = "wrong e-mail or password", body = ErrorBody),
        (status = 422, body = ErrorBody), (status = 429, description = "too many attempts; see Retry-After", body = ErrorBody)))]
#[post("/auth/login")]
pub async fn login_route(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ApiJson<LoginBody>,
) -> Result<HttpResponse, AppError> {
    let ip = ratelimit::client_ip(&req, &state.settings);
    let logged_in = login::login(&state, &body.0.email, &body.0.password, ip).await?;
    Ok(HttpResponse::Ok().json(LoginResponse {
        token: logged_in.token,
        user: UserView::from(logged_in.user),
    }))
}

/// Registers a member user together with its organization.
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "auth", request_body = RegisterInput,
    responses(
        (status = 201, body = RegisterResponse),
        (status = 400, body = ErrorBody), (status = 409, description = "e-mail or USCC already registered", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[post("/auth/register")]
pub async fn register(
    state: web::Data<AppState>,
    body: ApiJson<RegisterInput>,
) -> Result<HttpResponse, AppError> {
    let user = users::register_member(&state.db, body.0, state.clock.now()).await?;
    let token = session::open(&state.db, &state.settings, &user).await?;
    let profile = users::me(&state.db, user.id).await?;
    Ok(HttpResponse::Created().json(RegisterResponse {
        token,
        user: profile,
    }))
}

/// Logs out the token's session: the token opens nothing afterwards (other sessions of the
/// account go on).
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204, description = "the session is revoked"), (status = 401, body = ErrorBody)))]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    token: VerifiedToken,
) -> Result<HttpResponse, AppError> {
    match session::revoke(&state.db, &token.0).await? {
        true => Ok(HttpResponse::NoContent().finish()),
        false => Err(crate::auth::session_ended()),
    }
}

/// The caller: account, role, organization, center.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(users::me(&state.db, user.id).await?))
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(login_route)
        .service(register)
        .service(logout)
        .service(me);
}
