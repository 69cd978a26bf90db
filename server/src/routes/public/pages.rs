//! The public list of accredited centers and those under notice, and each one's public page
//! (no login; a signed-in reader keeps the menu).

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, web};
use serde::{Deserialize, Serialize};

use crate::auth::MaybeUser;
use crate::domain::public::{self, PublicListedCenter};
use crate::web::extract::ApiQuery;
use crate::web::page::render;
use crate::{error::AppError, state::AppState};

/// `?q=` of the public list.
#[derive(Deserialize)]
struct Search {
    #[serde(default)]
    q: String,
}

/// The public list of accredited centers and those under notice, searchable (no login).
#[get("/public/centers")]
async fn public_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: MaybeUser,
    query: ApiQuery<Search>,
) -> Result<HttpResponse, AppError> {
    #[derive(Serialize)]
    struct PublicPage {
        items: Vec<PublicListedCenter>,
        q: String,
        total: usize,
    }
    let q = query.into_inner().q;
    let items = public::search(public::public_list(&state.db).await?, &q);
    let total = items.len();
    let page = PublicPage { items, q, total };
    let (template, title) = ("applications/public", "acc_public_title");
    render(
        &state,
        &req,
        user.0.as_ref(),
        template,
        title,
        StatusCode::OK,
        page,
    )
    .await
}

/// One center's public record: what the list shows, on a page of its own (404 off the list).
#[get("/public/centers/{id}")]
async fn public_center_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: MaybeUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let center = public::public_center(&state.db, id.into_inner()).await?;
    let (template, title) = ("applications/public_center", "acc_public_center_title");
    render(
        &state,
        &req,
        user.0.as_ref(),
        template,
        title,
        StatusCode::OK,
        center,
    )
    .await
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes =
    &[("GET", "/public/centers"), ("GET", "/public/centers/{id}")];

/// Registers the pages.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(public_page).service(public_center_page);
}
