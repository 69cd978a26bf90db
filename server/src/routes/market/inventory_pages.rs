//! Inventories on the pages: `/patents/imports` (the template, the upload form, the latest
//! imports; a refused file's bad cells shown there) and `/patents/imports/{id}` (its progress,
//! refreshed while it runs, then what it changed or why it was refused).

use actix_multipart::Multipart;
use actix_web::{HttpRequest, HttpResponse, ResponseError, get, http::StatusCode, post, web};
use serde::Serialize;

use crate::{
    auth::CurrentUser,
    domain::market::inventory::jobs::{self, BadCell, ImportJobView},
    error::AppError,
    i18n::Lang,
    imports::{
        inventory::Started,
        patents::{FIELDS, example_row},
    },
    state::AppState,
    web::{
        download::{ExportFormat, Table, download},
        page::{render, see_other},
        upload::read_page_file,
    },
};

/// An import in the list of the latest, in words.
#[derive(Serialize)]
struct Recent {
    id: i32,
    file_name: String,
    state: String,
    rows_total: i32,
    created: i32,
    updated: i32,
    started: String,
}

#[derive(Serialize)]
struct ImportsPage {
    recent: Vec<Recent>,
    /// A refused file: why, and its first bad cells.
    refused: Option<String>,
    rows: Vec<BadCell>,
    rows_total: usize,
    headers: Vec<&'static str>,
}

/// The inventory page, with a refused file's reasons.
async fn imports_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    refused: Option<AppError>,
) -> Result<HttpResponse, AppError> {
    let (t, lang) = (super::page_data::labels(state, req), Lang::of_request(req));
    let recent = (jobs::recent(&state.db, user, (state.clock.now(), lang))
        .await?
        .into_iter())
    .map(|j| Recent {
        state: t(&format!("inventory_state_{}", j.state)),
        started: crate::clock::china_minute(j.created_at),
        id: j.id,
        file_name: j.file_name,
        rows_total: j.rows_total,
        created: j.created,
        updated: j.updated,
    })
    .collect();
    let status = refused
        .as_ref()
        .map_or(StatusCode::OK, AppError::status_code);
    let (rows, rows_total) = match &refused {
        Some(AppError::ImportRejected(bad)) => {
            let cells = (bad.shown.iter())
                .map(|e| BadCell {
                    row: e.row,
                    column: e.column.clone(),
                    message: e.message.text(lang).to_string(),
                })
                .collect();
            (cells, bad.total)
        }
        _ => (Vec::new(), 0),
    };
    let refused = refused.map(|e| e.message().text(lang).to_string());
    let headers = FIELDS.iter().map(|(_, labels)| labels[0]).collect();
    let page = ImportsPage {
        recent,
        refused,
        rows,
        rows_total,
        headers,
    };
    render(
        state,
        req,
        Some(user),
        "market/imports",
        "inventory_title",
        status,
        page,
    )
    .await
}

/// The inventory page.
#[get("/patents/imports")]
async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    jobs::scope_of(&user)?;
    imports_page(&state, &req, &user, None).await
}

/// Imports an inventory from the page: to its import's page, or back with what was refused.
#[post("/patents/imports")]
async fn upload(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    jobs::scope_of(&user)?;
    let file = read_page_file(&req, multipart, state.settings.import.upload_bytes).await?;
    match super::inventory_api::start(&state, &req, &user, file).await {
        Ok(Started::Finished(done)) => Ok(see_other(&format!(
            "/patents/imports/{}?notice=inventory_imported",
            done.id
        ))),
        Ok(Started::Running(id)) => Ok(see_other(&format!("/patents/imports/{id}"))),
        Err(
            refused @ (AppError::ImportRejected(_)
            | AppError::Conflict(_)
            | AppError::Validation(_)),
        ) => imports_page(&state, &req, &user, Some(refused)).await,
        Err(other) => Err(other),
    }
}

#[derive(Serialize)]
struct ImportPage {
    job: ImportJobView,
    running: bool,
    state: String,
    started: String,
    /// `(row, application number, the fields changed in words)`.
    changes: Vec<(usize, String, String)>,
}

/// One import: its progress while it runs (the page refreshes itself), then its outcome.
#[get("/patents/imports/{id}")]
async fn import_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let (t, lang) = (
        super::page_data::labels(&state, &req),
        Lang::of_request(&req),
    );
    let job = jobs::get(&state.db, &user, id.into_inner(), (state.clock.now(), lang)).await?;
    let words = |fields: &[String]| {
        fields
            .iter()
            .map(|f| t(&format!("listing_{f}")))
            .collect::<Vec<_>>()
            .join("、")
    };
    let changes = (job.changes.iter())
        .map(|c| (c.row, c.application_number.clone(), words(&c.fields)))
        .collect();
    let page = ImportPage {
        running: job.state == "running",
        state: t(&format!("inventory_state_{}", job.state)),
        started: crate::clock::china_minute(job.created_at),
        job,
        changes,
    };
    render(
        &state,
        &req,
        Some(&user),
        "market/import",
        "inventory_title",
        StatusCode::OK,
        page,
    )
    .await
}

/// The inventory template: the headers and a row that imports as it is.
#[get("/import-templates/patents.xlsx")]
async fn template() -> Result<HttpResponse, AppError> {
    let table = Table {
        name: "patents-template",
        headers: FIELDS.iter().map(|(_, labels)| labels[0]).collect(),
        rows: vec![example_row().into_iter().map(Into::into).collect()],
    };
    download(ExportFormat::Xlsx, table)
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[
    ("GET", "/patents/imports"),
    ("POST", "/patents/imports"),
    ("GET", "/patents/imports/{id}"),
    ("GET", "/import-templates/patents.xlsx"),
];

/// Registers the routes (before a listing's, so `imports` is not taken for an id).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(show)
        .service(upload)
        .service(import_page)
        .service(template);
}
