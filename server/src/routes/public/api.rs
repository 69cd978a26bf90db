//! The public list of accredited centers and those under public notice (no login).

use actix_web::{HttpResponse, get, web};

use crate::{
    domain::public::{PublicListedCenter, public_list},
    error::AppError,
    state::AppState,
};

/// Accredited centers and those under public notice, for everyone (no private fields).
#[utoipa::path(get, path = "/api/v1/public/centers", tag = "accreditation",
    responses((status = 200, body = Vec<PublicListedCenter>)))]
#[get("/public/centers")]
pub async fn public_centers(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(public_list(&state.db).await?))
}

/// Registers the route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(public_centers);
}
