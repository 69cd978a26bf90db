//! The alliance's members downloaded from the center's page, with the page's own session:
//! `/centers/{id}/downloads/members.{xlsx|csv}` (readers of the center).

use actix_web::{HttpResponse, get, web};

use super::export;
use crate::{
    auth::CurrentUser,
    domain::{access, alliance},
    error::AppError,
    state::AppState,
    web::download::{ExportFormat, download},
};

/// The center's memberships, present and past.
#[get("/centers/{id}/downloads/members.{format}")]
async fn members(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, ExportFormat)>,
) -> Result<HttpResponse, AppError> {
    let (id, format) = path.into_inner();
    let center = access::readable_center(&state.db, &user, id).await?;
    let list = alliance::list(&state.db, center.id, Default::default(), 1, u64::MAX / 2).await?;
    download(format, export::members(&list.items))
}

/// Registers the route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(members);
}
