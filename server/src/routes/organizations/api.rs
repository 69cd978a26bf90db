//! `POST /api/v1/organizations`, `GET /api/v1/organizations?q=` (logged in).

use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::web::extract::ApiQuery;
use crate::{
    auth::CurrentUser,
    domain::{
        organizations::{self, OrganizationInput, OrganizationView},
        paging::{PageQuery, Paged},
        users::Role,
    },
    error::{AppError, ErrorBody, FieldErrors},
    state::AppState,
    web::extract::ApiJson,
};

/// Search terms.
#[derive(Deserialize, IntoParams)]
pub struct OrganizationQuery {
    /// Part of the name, or the start of the USCC.
    pub q: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// Registers an organization; an admin may override a failing check character with a reason.
#[utoipa::path(post, path = "/api/v1/organizations", tag = "organizations", security(("bearer" = [])), request_body = OrganizationInput,
    responses((status = 201, body = OrganizationView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/organizations")]
pub async fn create_organization(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: ApiJson<OrganizationInput>,
) -> Result<HttpResponse, AppError> {
    let mut errors = FieldErrors::default();
    let org = body.0.validate("", user.role == Role::Admin, &mut errors);
    let org = errors
        .into_result(org)?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("validated organization missing")))?;
    crate::db::write(&state.db, async |txn| {
        let created = organizations::create(txn, Some(user.id), org, state.clock.now()).await?;
        Ok(HttpResponse::Created().json(OrganizationView::from(created)))
    })
    .await
}

/// Searches organizations.
#[utoipa::path(get, path = "/api/v1/organizations", tag = "organizations", security(("bearer" = [])), params(OrganizationQuery),
    responses((status = 200, body = Paged<OrganizationView>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/organizations")]
pub async fn search_organizations(
    state: web::Data<AppState>,
    _user: CurrentUser,
    query: ApiQuery<OrganizationQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let (page, per_page) = PageQuery {
        page: query.page,
        per_page: query.per_page,
    }
    .resolve()?;
    Ok(HttpResponse::Ok()
        .json(organizations::search(&state.db, query.q.as_deref(), page, per_page).await?))
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create_organization)
        .service(search_organizations);
}
