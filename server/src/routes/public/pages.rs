//! The public list of accredited centers and those under notice, as a page (no login).

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, web};
use serde::Serialize;

use crate::domain::public::{PublicListedCenter, public_list};
use crate::web::page::render;
use crate::{error::AppError, state::AppState};

/// The public list of accredited centers and those under notice (no login).
#[get("/public/centers")]
async fn public_page(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    #[derive(Serialize)]
    struct PublicPage {
        items: Vec<PublicListedCenter>,
    }
    let items = public_list(&state.db).await?;
    render(
        &state,
        &req,
        None,
        "applications/public",
        "public_title",
        StatusCode::OK,
        PublicPage { items },
    )
}

/// Registers the page.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(public_page);
}
