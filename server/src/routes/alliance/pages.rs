//! The alliance's members downloaded from the center's page, with the page's own session:
//! `/centers/{id}/downloads/members.{xlsx|csv}` (readers of the center); a member's request to
//! join, from its home.

use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;

use super::export;
use crate::{
    auth::CurrentUser,
    domain::{access, alliance},
    error::AppError,
    state::AppState,
    web::download::{ExportFormat, download_named},
    web::{page::see_other, page_form::PageForm},
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
    let stem = format!("{}-联盟成员-{}", center.name, state.clock.today());
    download_named(format, export::members(&list.items), &stem)
}

/// The join-request form of a member's home.
#[derive(Deserialize, Default)]
#[serde(default)]
struct JoinForm {
    message: String,
}

/// A member asks to join the center's alliance; back to its home, which confirms it and lists
/// the request with its state.
#[post("/centers/{id}/join-requests")]
async fn ask_to_join(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<JoinForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.input?;
    let now = state.clock.now();
    alliance::ask_to_join(&state.db, &user, id.into_inner(), &form.message, now).await?;
    Ok(see_other("/home?notice=join_requested"))
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(members).service(ask_to_join);
}
