//! The public list of accredited centers and those under public notice (no login).

use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::web::extract::ApiQuery;
use crate::{
    domain::public::{self, PublicListedCenter},
    error::{AppError, ErrorBody},
    state::AppState,
};

/// `?q=`: the centers whose name, industry, province or host contains it.
#[derive(Deserialize, IntoParams)]
pub struct PublicSearch {
    pub q: Option<String>,
}

/// Accredited centers and those under public notice, for everyone (no private fields).
#[utoipa::path(get, path = "/api/v1/public/centers", tag = "accreditation", params(PublicSearch),
    responses((status = 200, body = Vec<PublicListedCenter>)))]
#[get("/public/centers")]
pub async fn public_centers(
    state: web::Data<AppState>,
    query: ApiQuery<PublicSearch>,
) -> Result<HttpResponse, AppError> {
    let all = public::public_list(&state.db).await?;
    let q = query.into_inner().q.unwrap_or_default();
    Ok(HttpResponse::Ok().json(public::search(all, &q)))
}

/// One center of the public list (404 for a center not on it).
#[utoipa::path(get, path = "/api/v1/public/centers/{id}", tag = "accreditation", params(("id" = i32, Path)),
    responses((status = 200, body = PublicListedCenter), (status = 404, body = ErrorBody)))]
#[get("/public/centers/{id}")]
pub async fn public_center(
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let center = public::public_center(&state.db, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(center))
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(public_centers).service(public_center);
}
