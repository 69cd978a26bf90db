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

/// The center staff's decision on a join request: approve, or decline with a reason.
#[derive(Deserialize, Default)]
#[serde(default)]
struct DecisionForm {
    approve: bool,
    reason: String,
}

/// The center's staff decide a join request from its page, then see the page with a confirmation.
#[post("/join-requests/{rid}")]
async fn decide_request(
    state: web::Data<AppState>,
    user: CurrentUser,
    rid: web::Path<i32>,
    form: PageForm<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.input?;
    let request = alliance::find_request(&state.db, rid.into_inner()).await?;
    let center = access::writable_center(&state.db, &user, request.center_id).await?;
    let (today, now) = (state.clock.today(), state.clock.now());
    let reason = Some(form.reason.as_str());
    alliance::decide_request(
        &state.db,
        request,
        form.approve,
        reason,
        user.id,
        today,
        now,
    )
    .await?;
    let notice = if form.approve {
        "join_approved"
    } else {
        "join_declined"
    };
    Ok(see_other(&format!(
        "/centers/{}?notice={notice}",
        center.id
    )))
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[
    ("GET", "/centers/{id}/downloads/members.{format}"),
    ("POST", "/centers/{id}/join-requests"),
    ("POST", "/join-requests/{rid}"),
];

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(members)
        .service(ask_to_join)
        .service(decide_request);
}
