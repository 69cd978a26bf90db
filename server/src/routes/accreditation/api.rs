//! The accreditation workflow: applications, their review and decision, public notice, and the
//! public list of accredited centers.

use actix_web::{HttpResponse, get, post, put, web};
use entities::{applications, centers};

use crate::{
    auth::CurrentUser,
    domain::{
        access,
        accreditation::{
            self as workflow, ApplicationInput, ApplicationView, DecideInput, Declaration,
            ReasonInput, ResolveInput,
            attachments::{self, AttachmentView},
        },
        review::{AssignInput, ConflictInput, ScoresInput},
        users::Role,
    },
    error::{AppError, ErrorBody},
    state::AppState,
    web::extract::ApiJson,
};

/// The application's view for the caller, answered with `code`.
async fn respond(
    state: &AppState,
    user: &CurrentUser,
    application: applications::Model,
    center: &centers::Model,
    created: bool,
) -> Result<HttpResponse, AppError> {
    let view = workflow::view(&state.db, user, application, center, state.clock.now()).await?;
    Ok(if created {
        HttpResponse::Created().json(view)
    } else {
        HttpResponse::Ok().json(view)
    })
}

/// Starts the center's application for accreditation (its staff).
#[utoipa::path(post, path = "/api/v1/centers/{id}/applications", tag = "accreditation", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = ApplicationInput,
    responses((status = 201, body = ApplicationView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/centers/{id}/applications")]
pub async fn create_application(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<ApplicationInput>,
) -> Result<HttpResponse, AppError> {
    let center = access::writable_center(&state.db, &user, id.into_inner()).await?;
    let application =
        workflow::create(&state.db, &user, &center, body.0, state.clock.now()).await?;
    respond(&state, &user, application, &center, true).await
}

/// The center's applications, latest first (readers of the center).
#[utoipa::path(get, path = "/api/v1/centers/{id}/applications", tag = "accreditation", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = Vec<ApplicationView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/centers/{id}/applications")]
pub async fn list_center_applications(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let center = access::readable_center(&state.db, &user, id.into_inner()).await?;
    let views = workflow::of_center(&state.db, &user, &center, state.clock.now()).await?;
    Ok(HttpResponse::Ok().json(views))
}

/// One application (readers of its center; assigned experts after declaring no conflict).
#[utoipa::path(get, path = "/api/v1/applications/{id}", tag = "accreditation", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = ApplicationView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/applications/{id}")]
pub async fn get_application(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let (application, center) = workflow::readable(&state.db, &user, id.into_inner()).await?;
    respond(&state, &user, application, &center, false).await
}

/// The application (and its center) for a step by the center's own staff.
async fn own(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
) -> Result<(applications::Model, centers::Model), AppError> {
    workflow::writable(&state.db, user, id).await
}

/// Saves a draft or returned application (its staff), with the `version` last read.
#[utoipa::path(put, path = "/api/v1/applications/{id}", tag = "accreditation", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = ApplicationInput,
    responses((status = 200, body = ApplicationView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[put("/applications/{id}")]
pub async fn save_application(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<ApplicationInput>,
) -> Result<HttpResponse, AppError> {
    let (application, center) = own(&state, &user, id.into_inner()).await?;
    let saved =
        workflow::save_draft(&state.db, &user, application, body.0, state.clock.now()).await?;
    respond(&state, &user, saved, &center, false).await
}

/// Submits the application (its staff): the last full year's indicators are frozen into it.
#[utoipa::path(post, path = "/api/v1/applications/{id}/submit", tag = "accreditation", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = ApplicationView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/applications/{id}/submit")]
pub async fn submit(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let (application, center) = own(&state, &user, id.into_inner()).await?;
    let saved = workflow::submit(&state.services(), &user, application, &center).await?;
    respond(&state, &user, saved, &center, false).await
}

/// Recommends a national application to cnipa (the provincial office of the center's province).
#[utoipa::path(post, path = "/api/v1/applications/{id}/recommend", tag = "accreditation", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = ReasonInput,
    responses((status = 200, body = ApplicationView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/applications/{id}/recommend")]
pub async fn recommend(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<ReasonInput>,
) -> Result<HttpResponse, AppError> {
    let (application, center) = workflow::readable(&state.db, &user, id.into_inner()).await?;
    let saved = workflow::recommend_or_return(
        &state.services(),
        &user,
        application,
        &center,
        &body.0,
        true,
    )
    .await?;
    respond(&state, &user, saved, &center, false).await
}

/// Returns a submitted national application to the center with the reason (the provincial office).
#[utoipa::path(post, path = "/api/v1/applications/{id}/return", tag = "accreditation", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = ReasonInput,
    responses((status = 200, body = ApplicationView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/applications/{id}/return")]
pub async fn return_application(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<ReasonInput>,
) -> Result<HttpResponse, AppError> {
    let (application, center) = workflow::readable(&state.db, &user, id.into_inner()).await?;
    let saved = workflow::recommend_or_return(
        &state.services(),
        &user,
        application,
        &center,
        &body.0,
        false,
    )
    .await?;
    respond(&state, &user, saved, &center, false).await
}

/// Adds experts to the review (cnipa; the deciding local office for a local center); refused
/// with the reason when an expert's organization is the host, a member or a counterparty.
#[utoipa::path(post, path = "/api/v1/applications/{id}/assign", tag = "accreditation", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = AssignInput,
    responses((status = 200, body = ApplicationView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/applications/{id}/assign")]
pub async fn assign(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<AssignInput>,
) -> Result<HttpResponse, AppError> {
    let (application, center) = workflow::readable(&state.db, &user, id.into_inner()).await?;
    let saved = workflow::assign(&state.services(), &user, application, &center, &body.0).await?;
    respond(&state, &user, saved, &center, false).await
}

/// The assigned expert declares no conflict of interest (then reads and scores) or a conflict
/// (and leaves the assignment).
#[utoipa::path(post, path = "/api/v1/applications/{id}/conflict", tag = "accreditation", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = ConflictInput,
    responses((status = 200, body = Declaration), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/applications/{id}/conflict")]
pub async fn conflict(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<ConflictInput>,
) -> Result<HttpResponse, AppError> {
    let services = state.services();
    let declared = workflow::declare(&services, &user, id.into_inner(), &body.0).await?;
    Ok(HttpResponse::Ok().json(declared))
}

/// The expert's scores against the rubric (changeable until the decision).
#[utoipa::path(post, path = "/api/v1/applications/{id}/scores", tag = "accreditation", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = ScoresInput,
    responses((status = 200, body = ApplicationView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/applications/{id}/scores")]
pub async fn scores(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<ScoresInput>,
) -> Result<HttpResponse, AppError> {
    user.require(&[Role::Expert])?;
    let (application, center) = workflow::readable(&state.db, &user, id.into_inner()).await?;
    let saved = workflow::score(&state.services(), &user, application, &center, &body.0).await?;
    respond(&state, &user, saved, &center, false).await
}

/// Decides the application: accredited (opens public notice) or rejected, with a reason.
#[utoipa::path(post, path = "/api/v1/applications/{id}/decide", tag = "accreditation", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = DecideInput,
    responses((status = 200, body = ApplicationView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/applications/{id}/decide")]
pub async fn decide(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<DecideInput>,
) -> Result<HttpResponse, AppError> {
    let (application, center) = workflow::readable(&state.db, &user, id.into_inner()).await?;
    let saved = workflow::decide(&state.services(), &user, application, &center, &body.0).await?;
    respond(&state, &user, saved, &center, false).await
}

/// Records an objection during public notice (`{"reason"}`): the start waits for its resolution.
#[utoipa::path(post, path = "/api/v1/applications/{id}/objection", tag = "accreditation", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = ReasonInput,
    responses((status = 200, body = ApplicationView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/applications/{id}/objection")]
pub async fn raise_objection(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<ReasonInput>,
) -> Result<HttpResponse, AppError> {
    let (application, center) = workflow::readable(&state.db, &user, id.into_inner()).await?;
    let saved = workflow::object(&state.services(), &user, application, &center, &body.0).await?;
    respond(&state, &user, saved, &center, false).await
}

/// Resolves the open objection: `confirm` (takes effect at the notice's end, or now if it has
/// passed) or `revoke` (the application ends rejected).
#[utoipa::path(post, path = "/api/v1/applications/{id}/objection/resolve", tag = "accreditation", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = ResolveInput,
    responses((status = 200, body = ApplicationView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/applications/{id}/objection/resolve")]
pub async fn resolve_objection(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<ResolveInput>,
) -> Result<HttpResponse, AppError> {
    let (application, center) = workflow::readable(&state.db, &user, id.into_inner()).await?;
    let saved =
        workflow::resolve_objection(&state.services(), &user, application, &center, &body.0)
            .await?;
    respond(&state, &user, saved, &center, false).await
}

/// Attaches a PDF, PNG or JPEG file to a draft or returned application (its staff): multipart
/// `file`, at most `IPOC_ATTACHMENT_MAX_MB`; the type is read from the bytes.
#[utoipa::path(post, path = "/api/v1/applications/{id}/attachments", tag = "accreditation", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body(content_type = "multipart/form-data", description = "`file`: a PDF, PNG or JPEG file"),
    responses((status = 201, body = AttachmentView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/applications/{id}/attachments")]
pub async fn attach(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    multipart: actix_multipart::Multipart,
) -> Result<HttpResponse, AppError> {
    let (application, _) = own(&state, &user, id.into_inner()).await?;
    let limit = state.settings.attachment_max_mb << 20;
    let (name, bytes) = crate::web::upload::read_file(multipart, limit).await?;
    let saved = attachments::attach(
        &state.db,
        &state.settings.data_dir,
        &user,
        &application,
        attachments::Upload {
            file_name: &name,
            bytes: &bytes,
        },
        state.settings.attachment_max_mb << 20,
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::Created().json(AttachmentView::from(saved)))
}

/// Downloads an attachment (readers of the application).
#[utoipa::path(get, path = "/api/v1/applications/{id}/attachments/{attachment_id}", tag = "accreditation", security(("bearer" = [])),
    params(("id" = i32, Path), ("attachment_id" = i32, Path)),
    responses((status = 200, description = "the file", content((Vec<u8> = "application/pdf"), (Vec<u8> = "image/png"), (Vec<u8> = "image/jpeg"))),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/applications/{id}/attachments/{attachment_id}")]
pub async fn download_attachment(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
) -> Result<HttpResponse, AppError> {
    let (id, attachment_id) = path.into_inner();
    attachment_response(&state, &user, id, attachment_id).await
}

/// The attachment as a download, if `user` reads its application.
pub async fn attachment_response(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
    attachment_id: i32,
) -> Result<HttpResponse, AppError> {
    workflow::readable(&state.db, user, id).await?;
    let (attachment, bytes) =
        attachments::read(&state.db, &state.settings.data_dir, id, attachment_id).await?;
    Ok(HttpResponse::Ok()
        .content_type(attachment.content_type.as_str())
        .insert_header(actix_web::http::header::ContentDisposition::attachment(
            attachment.file_name.as_str(),
        ))
        .body(bytes))
}

/// Registers the routes (`/objection/resolve` before the single-segment routes).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create_application)
        .service(list_center_applications)
        .service(resolve_objection)
        .service(attach)
        .service(download_attachment)
        .service(get_application)
        .service(save_application)
        .service(submit)
        .service(recommend)
        .service(return_application)
        .service(assign)
        .service(conflict)
        .service(scores)
        .service(decide)
        .service(raise_objection);
}
