//! `/api/v1/patents/{id}/…`: a listing's rights — the recorded licences, pledges and suspensions,
//! the evaluation report, and the open-licence declaration with what bars it.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};

use crate::{
    auth::CurrentUser,
    domain::{
        accreditation::attachments::Upload,
        market::rights::{
            self, Rights,
            declaration::{self, DeclarationInput, DeclarationView},
            facts::{
                self, EndInput, FactInput, FactView, LicenceInput, PledgeInput, SuspensionInput,
            },
            report,
        },
    },
    error::{AppError, ErrorBody},
    i18n::Lang,
    state::AppState,
    web::extract::ApiJson,
};

/// The open licence in force, the earlier declarations, the recorded facts and what bars a
/// declaration today.
#[utoipa::path(get, path = "/api/v1/patents/{id}/open-licence", tag = "market", security(("bearer" = [])), params(("id" = i32, Path)),
    responses((status = 200, body = Rights), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/patents/{id}/open-licence")]
pub async fn rights_of(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let when = (state.clock.today(), Lang::of_request(&req));
    let found = rights::of_listing(&state.db, &user, id.into_inner(), when).await?;
    Ok(HttpResponse::Ok().json(found))
}

/// Declares an open licence: 409 naming every condition that bars it, or the one in force.
#[utoipa::path(put, path = "/api/v1/patents/{id}/open-licence", tag = "market", security(("bearer" = [])), params(("id" = i32, Path)), request_body = DeclarationInput,
    responses((status = 200, body = DeclarationView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[put("/patents/{id}/open-licence")]
pub async fn declare(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<DeclarationInput>,
) -> Result<HttpResponse, AppError> {
    let (id, when) = (id.into_inner(), (state.clock.today(), state.clock.now()));
    crate::db::write(&state.db, async |txn| {
        let saved = declaration::declare(txn, &user, id, &body.0, when).await?;
        Ok(HttpResponse::Ok().json(saved))
    })
    .await
}

/// Withdraws the open licence in force (the licences granted under it are kept).
#[utoipa::path(delete, path = "/api/v1/patents/{id}/open-licence", tag = "market", security(("bearer" = [])), params(("id" = i32, Path)),
    responses((status = 200, body = DeclarationView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[delete("/patents/{id}/open-licence")]
pub async fn withdraw(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let (id, when) = (id.into_inner(), (state.clock.today(), state.clock.now()));
    crate::db::write(&state.db, async |txn| {
        let ended = declaration::withdraw(txn, &user, id, when).await?;
        Ok(HttpResponse::Ok().json(ended))
    })
    .await
}

/// Records a fact, answering 201 with it.
async fn record(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
    input: FactInput,
) -> Result<HttpResponse, AppError> {
    let when = (state.clock.today(), state.clock.now());
    crate::db::write(&state.db, async |txn| {
        let saved = facts::record(txn, user, id, input, when).await?;
        Ok(HttpResponse::Created().json(saved))
    })
    .await
}

/// The recorded facts of one kind.
async fn listed(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
    fact: &str,
) -> Result<HttpResponse, AppError> {
    let found = facts::of_listing(&state.db, user, id, Some(fact), state.clock.today()).await?;
    Ok(HttpResponse::Ok().json(found))
}

/// Records a licence (an exclusive or sole one is refused while an open licence is in force).
#[utoipa::path(post, path = "/api/v1/patents/{id}/licences", tag = "market", security(("bearer" = [])), params(("id" = i32, Path)), request_body = LicenceInput,
    responses((status = 201, body = FactView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/patents/{id}/licences")]
pub async fn record_licence(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<LicenceInput>,
) -> Result<HttpResponse, AppError> {
    record(&state, &user, id.into_inner(), FactInput::Licence(body.0)).await
}

/// The recorded licences.
#[utoipa::path(get, path = "/api/v1/patents/{id}/licences", tag = "market", security(("bearer" = [])), params(("id" = i32, Path)),
    responses((status = 200, body = Vec<FactView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/patents/{id}/licences")]
pub async fn licences(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    listed(&state, &user, id.into_inner(), "licence").await
}

/// Records a pledge, with or without the pledgee's consent to an open licence.
#[utoipa::path(post, path = "/api/v1/patents/{id}/pledges", tag = "market", security(("bearer" = [])), params(("id" = i32, Path)), request_body = PledgeInput,
    responses((status = 201, body = FactView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/patents/{id}/pledges")]
pub async fn record_pledge(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<PledgeInput>,
) -> Result<HttpResponse, AppError> {
    record(&state, &user, id.into_inner(), FactInput::Pledge(body.0)).await
}

/// The recorded pledges.
#[utoipa::path(get, path = "/api/v1/patents/{id}/pledges", tag = "market", security(("bearer" = [])), params(("id" = i32, Path)),
    responses((status = 200, body = Vec<FactView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/patents/{id}/pledges")]
pub async fn pledges(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    listed(&state, &user, id.into_inner(), "pledge").await
}

/// Records a suspension (an ownership dispute or a court preservation).
#[utoipa::path(post, path = "/api/v1/patents/{id}/suspensions", tag = "market", security(("bearer" = [])), params(("id" = i32, Path)), request_body = SuspensionInput,
    responses((status = 201, body = FactView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/patents/{id}/suspensions")]
pub async fn record_suspension(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<SuspensionInput>,
) -> Result<HttpResponse, AppError> {
    record(
        &state,
        &user,
        id.into_inner(),
        FactInput::Suspension(body.0),
    )
    .await
}

/// The recorded suspensions.
#[utoipa::path(get, path = "/api/v1/patents/{id}/suspensions", tag = "market", security(("bearer" = [])), params(("id" = i32, Path)),
    responses((status = 200, body = Vec<FactView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/patents/{id}/suspensions")]
pub async fn suspensions(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    listed(&state, &user, id.into_inner(), "suspension").await
}

/// Ends a recorded licence, pledge or suspension on its last day (a pledge released, a
/// suspension lifted).
#[utoipa::path(post, path = "/api/v1/patents/{id}/facts/{fact_id}/end", tag = "market", security(("bearer" = [])), params(("id" = i32, Path), ("fact_id" = i32, Path)), request_body = EndInput,
    responses((status = 200, body = FactView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/patents/{id}/facts/{fact_id}/end")]
pub async fn end_fact(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
    body: ApiJson<EndInput>,
) -> Result<HttpResponse, AppError> {
    let when = (state.clock.today(), state.clock.now());
    crate::db::write(&state.db, async |txn| {
        let ended = facts::end(txn, &user, *path, &body.0, when).await?;
        Ok(HttpResponse::Ok().json(ended))
    })
    .await
}

/// Uploads the patent evaluation report of a utility model or design (multipart `file`: PDF,
/// PNG or JPEG, at most `IPOC_ATTACHMENT_MAX_MB`).
#[utoipa::path(post, path = "/api/v1/patents/{id}/evaluation-report", tag = "market", security(("bearer" = [])), params(("id" = i32, Path)),
    request_body(content_type = "multipart/form-data", description = "`file`: a PDF, PNG or JPEG file"),
    responses((status = 201, body = FactView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/patents/{id}/evaluation-report")]
pub async fn upload_report(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    multipart: actix_multipart::Multipart,
) -> Result<HttpResponse, AppError> {
    let (id, limit) = (id.into_inner(), state.settings.attachment_max_mb << 20);
    report::may_attach(&state.db, &user, id).await?;
    let (name, bytes) = crate::web::upload::read_file(multipart, limit).await?;
    let saved = attach_report(&state, &user, id, (&name, &bytes)).await?;
    Ok(HttpResponse::Created().json(saved))
}

/// Records an uploaded evaluation report.
pub(super) async fn attach_report(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
    (name, bytes): (&str, &[u8]),
) -> Result<FactView, AppError> {
    let (dir, limit) = (
        state.settings.data_dir.as_path(),
        state.settings.attachment_max_mb << 20,
    );
    let upload = Upload {
        file_name: name,
        bytes,
    };
    let when = (state.clock.today(), state.clock.now());
    report::attach(&state.db, (dir, limit), user, id, upload, when).await
}

/// Downloads the latest evaluation report (readers of the listing).
#[utoipa::path(get, path = "/api/v1/patents/{id}/evaluation-report", tag = "market", security(("bearer" = [])), params(("id" = i32, Path)),
    responses((status = 200, description = "the file", content((Vec<u8> = "application/pdf"), (Vec<u8> = "image/png"), (Vec<u8> = "image/jpeg"))),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/patents/{id}/evaluation-report")]
pub async fn download_report(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    report_response(&state, &user, id.into_inner()).await
}

/// The latest evaluation report as a download, if `user` reads the listing.
pub(super) async fn report_response(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
) -> Result<HttpResponse, AppError> {
    let (row, bytes) = report::latest(&state.db, &state.settings.data_dir, user, id).await?;
    Ok(HttpResponse::Ok()
        .content_type(row.content_type.unwrap_or_default())
        .insert_header(actix_web::http::header::ContentDisposition::attachment(
            row.file_name.unwrap_or_default(),
        ))
        .body(bytes))
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(rights_of)
        .service(declare)
        .service(withdraw)
        .service(record_licence)
        .service(licences)
        .service(record_pledge)
        .service(pledges)
        .service(record_suspension)
        .service(suspensions)
        .service(end_fact)
        .service(upload_report)
        .service(download_report);
}
