//! Following listings on the pages: the favourite and subscription buttons on a listing's page,
//! and `/favourites` (我的收藏).

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use serde::Deserialize;

use super::page_data::{labels, row};
use crate::{
    auth::CurrentUser,
    domain::market::follows::{self, Follow},
    error::AppError,
    state::AppState,
    web::{
        page::{render, see_other},
        page_form::PageForm,
    },
};

/// A follow button's form: follow (`1`) or let go (anything else).
#[derive(Deserialize)]
struct Keep {
    #[serde(default)]
    keep: String,
}

/// Follows or lets go of a listing from its page, then back to it with `notice`.
async fn toggle(
    state: &AppState,
    user: &CurrentUser,
    (id, how): (i32, Follow),
    keep: bool,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    crate::db::write(&state.db, async |txn| match keep {
        true => follows::add(txn, user, (id, how), now).await.map(drop),
        false => follows::remove(txn, user, (id, how)).await,
    })
    .await?;
    let notice = format!(
        "{}_{}",
        how.as_str(),
        if keep { "added" } else { "removed" }
    );
    Ok(see_other(&format!("/patents/{id}?notice={notice}")))
}

/// Keeps or lets go of a favourite from a listing's page.
#[post("/patents/{id}/favourite")]
async fn toggle_favourite(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<Keep>,
) -> Result<HttpResponse, AppError> {
    let keep = form.input?.keep == "1";
    toggle(&state, &user, (id.into_inner(), Follow::Favourite), keep).await
}

/// Subscribes or unsubscribes from a listing's page.
#[post("/patents/{id}/subscription")]
async fn toggle_subscription(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<Keep>,
) -> Result<HttpResponse, AppError> {
    let keep = form.input?.keep == "1";
    toggle(&state, &user, (id.into_inner(), Follow::Subscription), keep).await
}

/// 我的收藏: the caller's favourites.
#[get("/favourites")]
async fn page(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    let t = labels(&state, &req);
    let kept = follows::mine(&state.db, &user, Follow::Favourite).await?;
    let rows: Vec<_> = kept.into_iter().map(|l| row(l, &t)).collect();
    render(
        &state,
        &req,
        Some(&user),
        "market/favourites",
        "favourites_title",
        StatusCode::OK,
        rows,
    )
    .await
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[
    ("POST", "/patents/{id}/favourite"),
    ("POST", "/patents/{id}/subscription"),
    ("GET", "/favourites"),
];

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(toggle_favourite)
        .service(toggle_subscription)
        .service(page);
}
