//! The import forms of a center's home: a deals or a members file, every row or none; a rejected
//! file comes back on the home listing every bad row (422).

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, post, web};
use entities::centers;

use super::pages::{Forms, center_page};
use crate::web::{page::see_other, upload::read_page_file};
use crate::{
    auth::CurrentUser,
    domain::access,
    error::AppError,
    i18n::Lang,
    imports::{self, ImportReport, Upload},
    state::AppState,
};

/// Where an import from a center's home lands: the home confirming the rows it recorded, or the
/// home again listing every bad row (422) or why the file is refused whole (409: imported before).
async fn imported(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    center: centers::Model,
    outcome: Result<ImportReport, AppError>,
) -> Result<HttpResponse, AppError> {
    let lang = Lang::of_request(req);
    let rows = match outcome {
        Ok(report) => {
            let (id, rows) = (center.id, report.rows);
            let to = format!("/centers/{id}?notice=imported&rows={rows}");
            return Ok(see_other(&to));
        }
        Err(AppError::ImportRejected(rows)) => rows,
        Err(AppError::Conflict(why)) => {
            let lines = vec![why.text(lang).to_string()];
            let status = StatusCode::CONFLICT;
            return center_page(state, req, user, center, Forms::default(), lines, status).await;
        }
        Err(other) => return Err(other),
    };
    let line = state.templates.label(lang, "import_row_line");
    let mut lines: Vec<String> = (rows.shown.iter())
        .map(|r| {
            line.replace("{row}", &r.row.to_string())
                .replace("{column}", &r.column)
                .replace("{message}", r.message.text(lang))
        })
        .collect();
    if rows.total > rows.shown.len() {
        lines.push(
            AppError::ImportRejected(rows)
                .message()
                .text(lang)
                .to_string(),
        );
    }
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    center_page(state, req, user, center, Forms::default(), lines, status).await
}

/// The file of an import form, with the import limits.
async fn upload(
    state: &AppState,
    req: &HttpRequest,
    multipart: actix_multipart::Multipart,
) -> Result<Upload, AppError> {
    let limits = state.settings.import;
    let (file_name, bytes) = read_page_file(req, multipart, limits.upload_bytes).await?;
    Ok(Upload {
        file_name,
        bytes,
        limits,
    })
}

/// Imports a deals file from a center's home: every row or none.
#[post("/centers/{id}/imports/transactions")]
async fn import_deals(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    multipart: actix_multipart::Multipart,
) -> Result<HttpResponse, AppError> {
    let file = upload(&state, &req, multipart).await?;
    let center = access::writable_center(&state.db, &user, id.into_inner()).await?;
    let (today, now) = (state.clock.today(), state.clock.now());
    let outcome =
        imports::import_transactions(&state.db, center.id, user.id, file, today, now).await;
    imported(&state, &req, &user, center, outcome).await
}

/// Imports a members file from a center's home: every row or none.
#[post("/centers/{id}/imports/members")]
async fn import_members(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    multipart: actix_multipart::Multipart,
) -> Result<HttpResponse, AppError> {
    let file = upload(&state, &req, multipart).await?;
    let center = access::writable_center(&state.db, &user, id.into_inner()).await?;
    let (today, now) = (state.clock.today(), state.clock.now());
    let outcome = imports::import_members(&state.db, center.id, user.id, file, today, now).await;
    imported(&state, &req, &user, center, outcome).await
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[
    ("POST", "/centers/{id}/imports/transactions"),
    ("POST", "/centers/{id}/imports/members"),
];

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(import_deals).service(import_members);
}
