//! A center's deals, projects and service events: record, list (or download), edit, delete.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use serde::Deserialize;
use utoipa::IntoParams;

use super::export;
use crate::web::extract::ApiQuery;
use crate::web::{
    download::{ExportFormat, download},
    extract::VersionQuery,
    records,
};
use crate::{
    auth::CurrentUser,
    domain::{
        access,
        ledger::{
            self, EventInput, EventView, ProjectInput, ProjectView, TransactionInput,
            TransactionView,
        },
        paging::{PageQuery, Paged},
    },
    error::{AppError, ErrorBody},
    state::AppState,
    web::extract::ApiJson,
};

type Patch = ApiJson<records::Patch>;

/// Paging, filters and download format of a ledger list.
#[derive(Deserialize, IntoParams)]
pub struct LedgerListQuery {
    pub page: Option<u64>,
    pub per_page: Option<u64>,
    /// Contract year (deals only).
    pub year: Option<i32>,
    /// `transfer`, `license`, `capital_contribution`, `financing` (deals only).
    pub kind: Option<crate::domain::ledger::TransactionKind>,
    pub format: Option<ExportFormat>,
}

impl LedgerListQuery {
    fn paging(&self) -> Result<(u64, u64), AppError> {
        match self.format {
            // a download holds the whole filtered list
            Some(_) => Ok((1, u64::MAX / 2)),
            None => PageQuery {
                page: self.page,
                per_page: self.per_page,
            }
            .resolve(),
        }
    }
}

/// Records a deal.
#[utoipa::path(post, path = "/api/v1/centers/{id}/transactions", tag = "ledger", security(("bearer" = [])), params(("id" = i32, Path)),
    request_body = TransactionInput,
    responses((status = 201, body = TransactionView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/centers/{id}/transactions")]
pub async fn create_transaction(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<TransactionInput>,
) -> Result<HttpResponse, AppError> {
    records::create::<ledger::records::Deal>(&state, &user, id.into_inner(), body.0).await
}

/// The live deals of a center (newest first); `?format=xlsx|csv` downloads them all.
#[utoipa::path(get, path = "/api/v1/centers/{id}/transactions", tag = "ledger", security(("bearer" = [])), params(("id" = i32, Path), LedgerListQuery),
    responses((status = 200, description = "the page as JSON; with `?format=csv|xlsx` the whole filtered list as a file", content((Paged<TransactionView> = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/centers/{id}/transactions")]
pub async fn list_transactions(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    query: ApiQuery<LedgerListQuery>,
) -> Result<HttpResponse, AppError> {
    let center = access::readable_center(&state.db, &user, id.into_inner()).await?;
    let (page, per_page) = query.paging()?;
    let filter = ledger::transactions_filter(query.year, query.kind);
    let list =
        ledger::records::list_transactions(&state.db, center.id, &filter, page, per_page).await?;
    match query.format {
        Some(format) => download(format, export::transactions(&list.items)),
        None => Ok(HttpResponse::Ok().json(list)),
    }
}

/// Edits a deal at its `version`.
#[utoipa::path(patch, path = "/api/v1/centers/{id}/transactions/{tid}", tag = "ledger", security(("bearer" = [])),
    params(("id" = i32, Path), ("tid" = i64, Path)), request_body(content = Object, description = "the fields that change, and `version`"),
    responses((status = 200, body = TransactionView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[patch("/centers/{id}/transactions/{tid}")]
pub async fn update_transaction(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, i64)>,
    body: Patch,
) -> Result<HttpResponse, AppError> {
    let (id, record) = path.into_inner();
    records::update::<ledger::records::Deal>(&state, &user, (id, record), body.0).await
}

/// Deletes a deal entered by mistake (soft, audited) at its `version`.
#[utoipa::path(delete, path = "/api/v1/centers/{id}/transactions/{tid}", tag = "ledger", security(("bearer" = [])),
    params(("id" = i32, Path), ("tid" = i64, Path), VersionQuery),
    responses((status = 200, body = TransactionView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[delete("/centers/{id}/transactions/{tid}")]
pub async fn delete_transaction(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, i64)>,
    query: ApiQuery<VersionQuery>,
) -> Result<HttpResponse, AppError> {
    let (id, record) = path.into_inner();
    records::delete::<ledger::records::Deal>(&state, &user, (id, record), query.version).await
}

/// Records a project.
#[utoipa::path(post, path = "/api/v1/centers/{id}/projects", tag = "ledger", security(("bearer" = [])), params(("id" = i32, Path)),
    request_body = ProjectInput,
    responses((status = 201, body = ProjectView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/centers/{id}/projects")]
pub async fn create_project(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<ProjectInput>,
) -> Result<HttpResponse, AppError> {
    records::create::<ledger::records::Project>(&state, &user, id.into_inner(), body.0).await
}

/// The live projects of a center; `?format=xlsx|csv` downloads them all.
#[utoipa::path(get, path = "/api/v1/centers/{id}/projects", tag = "ledger", security(("bearer" = [])), params(("id" = i32, Path), LedgerListQuery),
    responses((status = 200, description = "the page as JSON; with `?format=csv|xlsx` the whole filtered list as a file", content((Paged<ProjectView> = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/centers/{id}/projects")]
pub async fn list_projects(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    query: ApiQuery<LedgerListQuery>,
) -> Result<HttpResponse, AppError> {
    let center = access::readable_center(&state.db, &user, id.into_inner()).await?;
    let (page, per_page) = query.paging()?;
    let list = ledger::records::list_projects(&state.db, center.id, page, per_page).await?;
    match query.format {
        Some(format) => download(format, export::projects(&list.items)),
        None => Ok(HttpResponse::Ok().json(list)),
    }
}

/// Edits a project at its `version`.
#[utoipa::path(patch, path = "/api/v1/centers/{id}/projects/{pid}", tag = "ledger", security(("bearer" = [])),
    params(("id" = i32, Path), ("pid" = i32, Path)), request_body(content = Object, description = "the fields that change, and `version`"),
    responses((status = 200, body = ProjectView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[patch("/centers/{id}/projects/{pid}")]
pub async fn update_project(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
    body: Patch,
) -> Result<HttpResponse, AppError> {
    let (id, record) = path.into_inner();
    records::update::<ledger::records::Project>(&state, &user, (id, i64::from(record)), body.0)
        .await
}

/// Deletes a project entered by mistake (soft, audited) at its `version`.
#[utoipa::path(delete, path = "/api/v1/centers/{id}/projects/{pid}", tag = "ledger", security(("bearer" = [])),
    params(("id" = i32, Path), ("pid" = i32, Path), VersionQuery),
    responses((status = 200, body = ProjectView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[delete("/centers/{id}/projects/{pid}")]
pub async fn delete_project(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
    query: ApiQuery<VersionQuery>,
) -> Result<HttpResponse, AppError> {
    let (id, record) = path.into_inner();
    records::delete::<ledger::records::Project>(
        &state,
        &user,
        (id, i64::from(record)),
        query.version,
    )
    .await
}

/// Records a service event.
#[utoipa::path(post, path = "/api/v1/centers/{id}/events", tag = "ledger", security(("bearer" = [])), params(("id" = i32, Path)),
    request_body = EventInput,
    responses((status = 201, body = EventView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/centers/{id}/events")]
pub async fn create_event(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<EventInput>,
) -> Result<HttpResponse, AppError> {
    records::create::<ledger::records::Event>(&state, &user, id.into_inner(), body.0).await
}

/// The live service events of a center; `?format=xlsx|csv` downloads them all.
#[utoipa::path(get, path = "/api/v1/centers/{id}/events", tag = "ledger", security(("bearer" = [])), params(("id" = i32, Path), LedgerListQuery),
    responses((status = 200, description = "the page as JSON; with `?format=csv|xlsx` the whole filtered list as a file", content((Paged<EventView> = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/centers/{id}/events")]
pub async fn list_events(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    query: ApiQuery<LedgerListQuery>,
) -> Result<HttpResponse, AppError> {
    let center = access::readable_center(&state.db, &user, id.into_inner()).await?;
    let (page, per_page) = query.paging()?;
    let list = ledger::records::list_events(&state.db, center.id, page, per_page).await?;
    match query.format {
        Some(format) => download(format, export::events(&list.items)),
        None => Ok(HttpResponse::Ok().json(list)),
    }
}

/// Edits a service event at its `version`.
#[utoipa::path(patch, path = "/api/v1/centers/{id}/events/{eid}", tag = "ledger", security(("bearer" = [])),
    params(("id" = i32, Path), ("eid" = i32, Path)), request_body(content = Object, description = "the fields that change, and `version`"),
    responses((status = 200, body = EventView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[patch("/centers/{id}/events/{eid}")]
pub async fn update_event(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
    body: Patch,
) -> Result<HttpResponse, AppError> {
    let (id, record) = path.into_inner();
    records::update::<ledger::records::Event>(&state, &user, (id, i64::from(record)), body.0).await
}

/// Deletes a service event entered by mistake (soft, audited) at its `version`.
#[utoipa::path(delete, path = "/api/v1/centers/{id}/events/{eid}", tag = "ledger", security(("bearer" = [])),
    params(("id" = i32, Path), ("eid" = i32, Path), VersionQuery),
    responses((status = 200, body = EventView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[delete("/centers/{id}/events/{eid}")]
pub async fn delete_event(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
    query: ApiQuery<VersionQuery>,
) -> Result<HttpResponse, AppError> {
    let (id, record) = path.into_inner();
    records::delete::<ledger::records::Event>(&state, &user, (id, i64::from(record)), query.version)
        .await
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create_transaction)
        .service(list_transactions)
        .service(update_transaction)
        .service(delete_transaction)
        .service(create_project)
        .service(list_projects)
        .service(update_project)
        .service(delete_project)
        .service(create_event)
        .service(list_events)
        .service(update_event)
        .service(delete_event);
}
