//! `GET /organizations/search?q=`: the organization search behind the pages' search-as-you-type
//! fields, for a logged-in page session (the API's search takes a bearer token).

use actix_web::{HttpResponse, get, web};

use super::api::OrganizationQuery;
use crate::web::extract::ApiQuery;
use crate::{
    auth::CurrentUser,
    domain::{organizations, paging::PageQuery},
    error::AppError,
    state::AppState,
};

/// Organizations whose name contains `q` or whose USCC starts with it, as JSON.
#[get("/organizations/search")]
async fn search(
    state: web::Data<AppState>,
    _user: CurrentUser,
    query: ApiQuery<OrganizationQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let (page, per_page) = PageQuery {
        page: query.page,
        per_page: query.per_page,
    }
    .resolve()?;
    let found = organizations::search(&state.db, query.q.as_deref(), page, per_page).await?;
    Ok(HttpResponse::Ok().json(found))
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[("GET", "/organizations/search")];

/// Registers the route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(search);
}
