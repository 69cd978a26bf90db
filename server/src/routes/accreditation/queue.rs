//! What waits on the caller: the applications whose next step is theirs, oldest first.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    auth::CurrentUser,
    domain::accreditation::{self as workflow, ApplicationView},
    error::{AppError, ErrorBody},
    state::AppState,
};

/// What waits on me.
#[derive(Serialize, ToSchema)]
pub struct Queue {
    /// Applications waiting on the caller's step, oldest first, with days waiting.
    pub items: Vec<ApplicationView>,
}

/// The applications waiting on the caller, oldest first: a provincial office's national
/// applications to recommend and local ones to review; cnipa's recommended and under-review
/// national ones; an expert's assignments; a center's drafts and returned applications.
#[utoipa::path(get, path = "/api/v1/applications", tag = "accreditation", security(("bearer" = [])),
    responses((status = 200, body = Queue), (status = 401, body = ErrorBody)))]
#[get("/applications")]
pub async fn queue(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(Queue {
        items: workflow::waiting_on(&state.db, &user, state.clock.now()).await?,
    }))
}

/// Registers the route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(queue);
}
