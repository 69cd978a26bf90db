//! `POST /api/v1/centers/{id}/imports/{transactions,members}`: a multipart `file`, .xlsx or .csv.

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::{HttpResponse, post, web};
use futures_util::StreamExt;

use crate::{
    app::AppState,
    auth::CurrentUser,
    domain::access,
    error::{AppError, ErrorBody},
    i18n::{Msg, byte_size},
    imports::{self, ImportReport},
};

/// Largest text field of a multipart form (a CSRF token, a note).
const MAX_TEXT_FIELD_BYTES: usize = 64 << 10;

/// How much of a body over its limit is read (and thrown away) so that the client, still sending,
/// receives the 413 instead of a reset connection; past this the connection is closed.
fn drain_bytes(limit: usize) -> usize {
    limit.saturating_mul(4).max(16 << 20)
}

/// The `file` part of a multipart body of at most `limit` bytes: its name and bytes.
pub async fn read_file(multipart: Multipart, limit: usize) -> Result<(String, Vec<u8>), AppError> {
    read_form(multipart, limit)
        .await
        .map(|(name, bytes, _)| (name, bytes))
}

/// A multipart form: the `file` part's name and bytes (at most `limit`: 413 `too_large` above),
/// and the other (text) fields.
pub async fn read_form(
    mut multipart: Multipart,
    limit: usize,
) -> Result<(String, Vec<u8>, HashMap<String, String>), AppError> {
    let unreadable =
        || AppError::BadRequest(Msg::new("上传内容无法读取", "the upload could not be read"));
    let mut file = None;
    let mut fields = HashMap::new();
    let (mut received, mut over) = (0usize, None);
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(|_| unreadable())?;
        let disposition = field.content_disposition().cloned();
        let field_name = disposition
            .as_ref()
            .and_then(|d| d.get_name())
            .unwrap_or_default()
            .to_string();
        let field_limit = if field_name == "file" {
            limit
        } else {
            MAX_TEXT_FIELD_BYTES
        };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| unreadable())?;
            received = received.saturating_add(chunk.len());
            if over.is_none() && bytes.len() + chunk.len() > field_limit {
                over = Some((field_name.clone(), field_limit));
                bytes = Vec::new();
            }
            if over.is_some() {
                if received > drain_bytes(limit) {
                    break;
                }
                continue;
            }
            bytes.extend_from_slice(&chunk);
        }
        if field_name == "file" {
            let name = disposition
                .as_ref()
                .and_then(|d| d.get_filename())
                .unwrap_or("upload.xlsx")
                .to_string();
            file = Some((name, bytes));
        } else {
            fields.insert(field_name, String::from_utf8_lossy(&bytes).into_owned());
        }
        if received > drain_bytes(limit) {
            break;
        }
    }
    if let Some((name, limit)) = over {
        return Err(AppError::too_large(
            Msg::new(
                format!("上传内容“{name}”"),
                format!("the upload field '{name}'"),
            ),
            Msg::new(byte_size(limit), byte_size(limit)),
        ));
    }
    match file {
        Some((name, bytes)) if !bytes.is_empty() => Ok((name, bytes, fields)),
        _ => Err(AppError::field(
            "file",
            Msg::new(
                "请选择要上传的文件（字段名 file）",
                "a multipart field named `file` is required",
            ),
        )),
    }
}

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
