//! The center staff's forms on the application page: save or submit the draft, attach a file;
//! and the attachment download. A refused form comes back on the page with its errors (422).

use actix_web::{HttpRequest, HttpResponse, get, post, web};

use super::pages::detail_page;
use crate::web::{
    form::NarrativesForm,
    page::see_other,
    page_form::{PageForm, Sent},
    upload::read_page_file,
};
use crate::{
    auth::CurrentUser,
    domain::accreditation::{self as workflow, attachments},
    error::AppError,
    state::AppState,
};

/// Where a form of the application page lands: the page again, with the form's errors (422)
/// when it was refused.
pub(super) async fn answered(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    (id, sent): (i32, &Sent),
    outcome: Result<&str, AppError>,
) -> Result<HttpResponse, AppError> {
    match outcome {
        Ok(notice) => Ok(see_other(&format!("/applications/{id}?notice={notice}"))),
        Err(AppError::Validation(errors)) => {
            detail_page(state, req, user, id, Some((&errors, sent))).await
        }
        Err(other) => Err(other),
    }
}

/// Saves the draft; with `submit`, submits it as saved.
async fn save(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
    form: Result<NarrativesForm, AppError>,
    and_submit: bool,
) -> Result<(), AppError> {
    let (application, center) = workflow::writable(&state.db, user, id).await?;
    let services = state.services();
    let input = form?.input();
    let saved = workflow::save_draft(&state.db, user, application, input, services.now).await?;
    if and_submit {
        workflow::submit(&services, user, saved, &center).await?;
    }
    Ok(())
}

/// Saves the application's draft.
#[post("/applications/{id}/save")]
async fn save_draft(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<NarrativesForm>,
) -> Result<HttpResponse, AppError> {
    let sent = form.sent.clone();
    let id = id.into_inner();
    let outcome = save(&state, &user, id, form.input, false).await;
    answered(&state, &req, &user, (id, &sent), outcome.map(|_| "saved")).await
}

/// Saves the application's draft and submits it.
#[post("/applications/{id}/submit")]
async fn submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<NarrativesForm>,
) -> Result<HttpResponse, AppError> {
    let sent = form.sent.clone();
    let id = id.into_inner();
    let outcome = save(&state, &user, id, form.input, true).await;
    answered(
        &state,
        &req,
        &user,
        (id, &sent),
        outcome.map(|_| "submitted"),
    )
    .await
}

/// Uploads an attachment from the application page.
#[post("/applications/{id}/attachments")]
async fn upload_attachment(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    multipart: actix_multipart::Multipart,
) -> Result<HttpResponse, AppError> {
    let (id, max) = (id.into_inner(), state.settings.attachment_max_mb << 20);
    let (file_name, bytes) = read_page_file(&req, multipart, max).await?;
    let (application, _) = workflow::writable(&state.db, &user, id).await?;
    let upload = attachments::Upload {
        file_name: &file_name,
        bytes: &bytes,
    };
    let (dir, now) = (&state.settings.data_dir, state.clock.now());
    let outcome = attachments::attach(&state.db, dir, &user, &application, upload, max, now).await;
    answered(
        &state,
        &req,
        &user,
        (id, &Sent::default()),
        outcome.map(|_| "attached"),
    )
    .await
}

/// Downloads an attachment from the application page.
#[get("/applications/{id}/attachments/{attachment_id}")]
async fn attachment(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
) -> Result<HttpResponse, AppError> {
    let (id, attachment_id) = path.into_inner();
    super::api::attachment_response(&state, &user, id, attachment_id).await
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[
    ("POST", "/applications/{id}/save"),
    ("POST", "/applications/{id}/submit"),
    ("POST", "/applications/{id}/attachments"),
    ("GET", "/applications/{id}/attachments/{attachment_id}"),
];

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(save_draft)
        .service(submit)
        .service(upload_attachment)
        .service(attachment);
}
