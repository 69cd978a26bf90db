//! Downloads of a center's records from its page, with the page's own session (`/api` takes only
//! Bearer tokens): `/centers/{id}/downloads/{transactions|projects|events}.{xlsx|csv}`, the same
//! files the API's `?format=` gives (readers of the center).

use actix_web::{HttpResponse, get, web};

use super::export;
use crate::{
    auth::CurrentUser,
    domain::{access, ledger::records},
    error::AppError,
    state::AppState,
    web::download::{ExportFormat, download_named},
};

/// Every row of a list.
const ALL: u64 = u64::MAX / 2;

/// The center's deals.
#[get("/centers/{id}/downloads/transactions.{format}")]
async fn transactions(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, ExportFormat)>,
) -> Result<HttpResponse, AppError> {
    let (id, format) = path.into_inner();
    let center = access::readable_center(&state.db, &user, id).await?;
    let filter = crate::domain::ledger::transactions_filter(None, None);
    let list = records::list_transactions(&state.db, center.id, &filter, 1, ALL).await?;
    let stem = format!("{}-运营交易-{}", center.name, state.clock.today());
    download_named(format, export::transactions(&list.items), &stem)
}

/// The center's projects.
#[get("/centers/{id}/downloads/projects.{format}")]
async fn projects(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, ExportFormat)>,
) -> Result<HttpResponse, AppError> {
    let (id, format) = path.into_inner();
    let center = access::readable_center(&state.db, &user, id).await?;
    let list = records::list_projects(&state.db, center.id, 1, ALL).await?;
    let stem = format!("{}-转化与产业化项目-{}", center.name, state.clock.today());
    download_named(format, export::projects(&list.items), &stem)
}

/// The center's service events.
#[get("/centers/{id}/downloads/events.{format}")]
async fn events(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, ExportFormat)>,
) -> Result<HttpResponse, AppError> {
    let (id, format) = path.into_inner();
    let center = access::readable_center(&state.db, &user, id).await?;
    let list = records::list_events(&state.db, center.id, 1, ALL).await?;
    let stem = format!("{}-服务活动-{}", center.name, state.clock.today());
    download_named(format, export::events(&list.items), &stem)
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[
    ("GET", "/centers/{id}/downloads/transactions.{format}"),
    ("GET", "/centers/{id}/downloads/projects.{format}"),
    ("GET", "/centers/{id}/downloads/events.{format}"),
];

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(transactions).service(projects).service(events);
}
