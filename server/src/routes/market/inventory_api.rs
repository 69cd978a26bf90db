//! `POST /api/v1/patents/imports`: an inventory of patents (盘点入库) from a .xlsx or .csv file;
//! `GET /api/v1/imports/{id}`: its progress, then its result.

use actix_multipart::Multipart;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    auth::CurrentUser,
    domain::market::inventory::jobs::{self, ImportJobView},
    error::{AppError, ErrorBody},
    i18n::Lang,
    imports::{
        self,
        inventory::{Started, import_inventory},
    },
    state::AppState,
    web::upload::read_file,
};

/// The answer to an import that runs in the background.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportStarted {
    pub import_id: i32,
}

/// Reads the caller's upload and starts its import.
pub(super) async fn start(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    (file_name, bytes): (String, Vec<u8>),
) -> Result<Started, AppError> {
    let limits = state.settings.import;
    let upload = imports::Upload {
        file_name,
        bytes,
        limits,
    };
    let context = (state.clock, Lang::of_request(req));
    import_inventory(&state.db, user, upload, context).await
}

/// Imports an inventory of the caller's organization's patents (or, by a center's staff, of its
/// alliance's organizations: `专利权人统一社会信用代码` per row): every row or none; a number the
/// owner lists already is corrected (the rows that change are named); the same file twice is 409.
#[utoipa::path(post, path = "/api/v1/patents/imports", tag = "market", security(("bearer" = [])),
    request_body(content_type = "multipart/form-data", description = "`file`: .xlsx or .csv with the template's columns (申请号, 专利名称, 摘要, IPC分类号, 所属产业, 法律状态, …)"),
    responses((status = 201, description = "imported at once (a small file)", body = ImportJobView), (status = 202, description = "running in the background: follow `GET /api/v1/imports/{import_id}`", body = ImportStarted),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 413, description = "too_large: the file exceeds `IPOC_IMPORT_MAX_MB`", body = ErrorBody),
        (status = 422, description = "import_rejected: the first bad cells in `rows` and `rows_total`", body = ErrorBody)))]
#[post("/patents/imports")]
pub async fn import_patents(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    jobs::scope_of(&user)?;
    let file = read_file(multipart, state.settings.import.upload_bytes).await?;
    Ok(match start(&state, &req, &user, file).await? {
        Started::Finished(done) => HttpResponse::Created().json(done),
        Started::Running(import_id) => HttpResponse::Accepted().json(ImportStarted { import_id }),
    })
}

/// An import's progress (`running`, `rows_done` of `rows_total`), then its result (`done`, with
/// the rows it corrected), the 422 with its bad cells (refused), or why it failed.
#[utoipa::path(get, path = "/api/v1/imports/{id}", tag = "market", security(("bearer" = [])), params(("id" = i32, Path)),
    responses((status = 200, body = ImportJobView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, description = "import_rejected: the first bad cells in `rows` and `rows_total`", body = ErrorBody)))]
#[get("/imports/{id}")]
pub async fn import_status(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let found = jobs::result(&state.db, &user, id.into_inner(), state.clock.now()).await?;
    Ok(HttpResponse::Ok().json(found))
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(import_patents).service(import_status);
}
