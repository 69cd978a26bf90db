//! `GET /health`.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    db::{self, Storage},
    error::Fault,
    state::AppState,
};

/// The health of ipoc and its database.
#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok` or `unavailable`
    pub status: &'static str,
    /// `ok`, `unreachable`, `storage_full` or `storage_unavailable`
    pub database: &'static str,
}

/// Whether ipoc and its database answer, within about a second: the database is `unreachable`
/// when it cannot be connected to or pinged; `storage_full` or `storage_unavailable` while writes
/// have failed within the last 10 seconds (after that, checked with a write of its own).
#[utoipa::path(get, path = "/health", tag = "health",
    responses((status = 200, body = Health), (status = 503, description = "the database is unreachable or its storage refuses writes", body = Health)))]
#[get("/health")]
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    let health = &state.db_health;
    let fault = if health.is_unreachable() {
        Some(Fault::Unreachable)
    } else {
        match health.storage() {
            Storage::Healthy => None,
            Storage::Failing(fault) => Some(fault),
            Storage::Unconfirmed(_) => match db::probe_write(&state.db, state.clock.now()).await {
                Ok(()) => {
                    health.wrote();
                    None
                }
                Err(fault) => {
                    health.saw(fault);
                    Some(fault)
                }
            },
        }
    };
    let fault = match fault {
        None if !db::ping(&state.db, std::time::Duration::from_secs(1)).await => {
            Some(Fault::Unreachable)
        }
        other => other,
    };
    match fault {
        None => HttpResponse::Ok().json(Health {
            status: "ok",
            database: "ok",
        }),
        Some(fault) => HttpResponse::ServiceUnavailable()
            .insert_header(("Retry-After", fault.retry_after_secs().to_string()))
            .json(Health {
                status: "unavailable",
                database: fault.label(),
            }),
    }
}

/// Registers the route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(health);
}
