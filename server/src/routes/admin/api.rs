//! `POST/GET /api/v1/users`, `PATCH /api/v1/users/{id}` (admin).

use actix_web::{HttpResponse, get, patch, post, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::web::extract::ApiQuery;
use crate::{
    auth::CurrentUser,
    domain::{
        paging::{PageQuery, Paged},
        users::{self, NewUserInput, Role, UserPatch, UserView},
    },
    error::{AppError, ErrorBody},
    state::AppState,
    web::extract::ApiJson,
};

/// Creates an account.
#[utoipa::path(post, path = "/api/v1/users", tag = "users", security(("bearer" = [])), request_body = NewUserInput,
    responses((status = 201, body = UserView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: ApiJson<NewUserInput>,
) -> Result<HttpResponse, AppError> {
    user.require(&[Role::Admin])?;
    let created = users::create(&state.db, Some(user.id), body.0, state.clock.now()).await?;
    Ok(HttpResponse::Created().json(UserView::from(created)))
}

/// Search terms of the accounts list.
#[derive(Deserialize, IntoParams, Default)]
pub struct UserQuery {
    /// Part of the e-mail address or of the name.
    pub q: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

impl UserQuery {
    /// The page and size (422 outside their bounds).
    pub fn paging(&self) -> Result<(u64, u64), AppError> {
        let (page, per_page) = (self.page, self.per_page);
        PageQuery { page, per_page }.resolve()
    }
}

/// Lists accounts, optionally those whose e-mail or name contains `q`.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", security(("bearer" = [])), params(UserQuery),
    responses((status = 200, body = Paged<UserView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: ApiQuery<UserQuery>,
) -> Result<HttpResponse, AppError> {
    user.require(&[Role::Admin])?;
    let (page, per_page) = query.paging()?;
    let q = query.q.as_deref();
    Ok(HttpResponse::Ok().json(users::list(&state.db, q, page, per_page).await?))
}

/// Disables an account, changes its role, center or jurisdiction; disabling or a new role
/// revokes its tokens at once.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", security(("bearer" = [])), request_body = UserPatch,
    params(("id" = i32, Path, description = "user id")),
    responses((status = 200, body = UserView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "stale version", body = ErrorBody),
        (status = 422, body = ErrorBody)))]
#[patch("/users/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<UserPatch>,
) -> Result<HttpResponse, AppError> {
    user.require(&[Role::Admin])?;
    let updated = users::update(
        &state.db,
        user.id,
        id.into_inner(),
        body.0,
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(UserView::from(updated)))
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create_user)
        .service(list_users)
        .service(update_user);
}
