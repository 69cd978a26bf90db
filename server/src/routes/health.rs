//! `GET /health`.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{app::AppState, db};

/// The health of ipoc and its database.
#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok` or `unavailable`
    pub status: &'static str,
    /// `ok` or `unreachable`
    pub database: &'static str,
}

/// Whether ipoc and its database answer.
#[utoipa::path(get, path = "/health", tag = "health",
    responses((status = 200, body = Health), (status = 503, description = "the database is unreachable", body = Health)))]
#[get("/health")]
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    if db::ping(&state.db).await {
        HttpResponse::Ok().json(Health {
            status: "ok",
            database: "ok",
        })
    } else {
        HttpResponse::ServiceUnavailable().json(Health {
            status: "unavailable",
            database: "unreachable",
        })
    }
}

/// Registers the route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(health);
}
