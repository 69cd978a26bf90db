//! `POST /api/v1/centers/{id}/imports/{transactions,members}`: a multipart `file`, .xlsx or .csv.

use actix_multipart::Multipart;
use actix_web::{HttpResponse, post, web};

use crate::{
    auth::CurrentUser,
    domain::access,
    error::{AppError, ErrorBody},
    imports::{self, ImportReport},
    state::AppState,
    web::upload::read_file,
};

/// Imports deals from a .xlsx or .csv file: every row or none, with a row-by-row report.
#[utoipa::path(post, path = "/api/v1/centers/{id}/imports/transactions", tag = "ledger", security(("bearer" = [])), params(("id" = i32, Path)),
    request_body(content_type = "multipart/form-data", description = "`file`: .xlsx or .csv with the columns 类型, 金额(元), 合同日期, 专利号, 交易对方统一社会信用代码, 合同编号, 是否关联交易, 备注 (or their API names)"),
    responses((status = 201, body = ImportReport), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 413, description = "too_large: the file exceeds `IPOC_IMPORT_MAX_MB`", body = ErrorBody),
        (status = 422, description = "import_rejected: the first bad cells in `rows` (at most `IPOC_IMPORT_ERRORS_SHOWN`) and `rows_total`, or the one limit the file is past", body = ErrorBody),
        (status = 503, description = "unavailable: the database cannot take the write now (with `Retry-After`)", body = ErrorBody)))]
#[post("/centers/{id}/imports/transactions")]
pub async fn import_transactions(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    let center = access::writable_center(&state.db, &user, id.into_inner()).await?;
    let limits = state.settings.import;
    let (name, bytes) = read_file(multipart, limits.upload_bytes).await?;
    let report = imports::import_transactions(
        &state.db,
        center.id,
        user.id,
        imports::Upload {
            file_name: name,
            bytes,
            limits,
        },
        state.clock.today(),
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::Created().json(report))
}

/// Imports alliance members from a .xlsx or .csv file: every row or none.
#[utoipa::path(post, path = "/api/v1/centers/{id}/imports/members", tag = "alliance", security(("bearer" = [])), params(("id" = i32, Path)),
    request_body(content_type = "multipart/form-data", description = "`file`: .xlsx or .csv with the columns 统一社会信用代码, 机构名称, 机构类型, 行政区划代码, 机构标识, 加入日期"),
    responses((status = 201, body = ImportReport), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 413, description = "too_large: the file exceeds `IPOC_IMPORT_MAX_MB`", body = ErrorBody),
        (status = 422, description = "import_rejected: the first bad cells in `rows` (at most `IPOC_IMPORT_ERRORS_SHOWN`) and `rows_total`, or the one limit the file is past", body = ErrorBody),
        (status = 503, description = "unavailable: the database cannot take the write now (with `Retry-After`)", body = ErrorBody)))]
#[post("/centers/{id}/imports/members")]
pub async fn import_members(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    let center = access::writable_center(&state.db, &user, id.into_inner()).await?;
    let limits = state.settings.import;
    let (name, bytes) = read_file(multipart, limits.upload_bytes).await?;
    let report = imports::import_members(
        &state.db,
        center.id,
        user.id,
        imports::Upload {
            file_name: name,
            bytes,
            limits,
        },
        state.clock.today(),
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::Created().json(report))
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(import_transactions).service(import_members);
}
