//! Annual reports: the reporting calendar of a center, the draft, submission and return.

use actix_web::{HttpResponse, get, post, put, web};

use crate::{
    auth::CurrentUser,
    domain::{
        access,
        narratives::NarrativeInput,
        reports::{self, ReportDetail, ReportView, ReturnInput},
        review::{AssignInput, AssignmentView, ConflictInput, ScoresInput},
        users::Role,
    },
    error::{AppError, ErrorBody},
    state::AppState,
    web::extract::ApiJson,
};

/// The reporting years of every cycle of the center, in order, with due dates and statuses
/// (readers of the center).
#[utoipa::path(get, path = "/api/v1/centers/{id}/reports", tag = "reports", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = Vec<ReportView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/centers/{id}/reports")]
pub async fn list_reports(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let center = access::readable_center(&state.db, &user, id.into_inner()).await?;
    let services = state.services();
    let calendar = reports::calendar(&state.db, &services, &center).await?;
    Ok(HttpResponse::Ok().json(calendar))
}

/// One report with every submitted revision (readers of the center; 404 for a year of no cycle).
#[utoipa::path(get, path = "/api/v1/centers/{id}/reports/{year}", tag = "reports", security(("bearer" = [])),
    params(("id" = i32, Path), ("year" = i32, Path)),
    responses((status = 200, body = ReportDetail), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/centers/{id}/reports/{year}")]
pub async fn get_report(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
) -> Result<HttpResponse, AppError> {
    let (id, year) = path.into_inner();
    let center = access::readable_center(&state.db, &user, id).await?;
    Ok(HttpResponse::Ok().json(reports::detail(&state.services(), &center, year).await?))
}

/// Saves the report's draft (its staff): `version` from the last read, none for a report never
/// saved; 201 when it creates the report.
#[utoipa::path(put, path = "/api/v1/centers/{id}/reports/{year}", tag = "reports", security(("bearer" = [])),
    params(("id" = i32, Path), ("year" = i32, Path)), request_body = NarrativeInput,
    responses((status = 200, body = ReportDetail), (status = 201, body = ReportDetail), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[put("/centers/{id}/reports/{year}")]
pub async fn save_report(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
    body: ApiJson<NarrativeInput>,
) -> Result<HttpResponse, AppError> {
    let (id, year) = path.into_inner();
    let center = access::writable_center(&state.db, &user, id).await?;
    let (_, created) =
        reports::save(&state.db, &user, &center, year, body.0, state.clock.now()).await?;
    let detail = reports::detail(&state.services(), &center, year).await?;
    Ok(if created {
        HttpResponse::Created().json(detail)
    } else {
        HttpResponse::Ok().json(detail)
    })
}

/// Submits the report (its staff): the year's figures are frozen as the next revision.
#[utoipa::path(post, path = "/api/v1/centers/{id}/reports/{year}/submit", tag = "reports", security(("bearer" = [])),
    params(("id" = i32, Path), ("year" = i32, Path)),
    responses((status = 200, body = ReportDetail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/centers/{id}/reports/{year}/submit")]
pub async fn submit_report(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
) -> Result<HttpResponse, AppError> {
    let (id, year) = path.into_inner();
    let center = access::writable_center(&state.db, &user, id).await?;
    let services = state.services();
    reports::submit(&services, &user, &center, year).await?;
    Ok(HttpResponse::Ok().json(reports::detail(&services, &center, year).await?))
}

/// Returns a submitted report for correction with reasons (cnipa; the deciding local office for a
/// local center), `correction_days` defaulting to the rulebook's.
#[utoipa::path(post, path = "/api/v1/centers/{id}/reports/{year}/return", tag = "reports", security(("bearer" = [])),
    params(("id" = i32, Path), ("year" = i32, Path)), request_body = ReturnInput,
    responses((status = 200, body = ReportDetail), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/centers/{id}/reports/{year}/return")]
pub async fn return_report(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
    body: ApiJson<ReturnInput>,
) -> Result<HttpResponse, AppError> {
    let (id, year) = path.into_inner();
    let center = access::readable_center(&state.db, &user, id).await?;
    let services = state.services();
    reports::return_report(&services, &user, &center, year, &body.0).await?;
    Ok(HttpResponse::Ok().json(reports::detail(&services, &center, year).await?))
}

/// Adds experts to the review of a submitted report (cnipa; the deciding local office for a local
/// center), refused with the reason on a conflict of interest.
#[utoipa::path(post, path = "/api/v1/centers/{id}/reports/{year}/assign", tag = "reports", security(("bearer" = [])),
    params(("id" = i32, Path), ("year" = i32, Path)), request_body = AssignInput,
    responses((status = 200, body = ReportDetail), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/centers/{id}/reports/{year}/assign")]
pub async fn assign_report(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
    body: ApiJson<AssignInput>,
) -> Result<HttpResponse, AppError> {
    let (id, year) = path.into_inner();
    let center = access::readable_center(&state.db, &user, id).await?;
    let services = state.services();
    reports::review::assign(&services, &user, &center, year, &body.0).await?;
    Ok(HttpResponse::Ok().json(reports::detail(&services, &center, year).await?))
}

/// The assigned expert's declaration of (no) conflict of interest on a report.
#[utoipa::path(post, path = "/api/v1/centers/{id}/reports/{year}/conflict", tag = "reports", security(("bearer" = [])),
    params(("id" = i32, Path), ("year" = i32, Path)), request_body = ConflictInput,
    responses((status = 200, body = AssignmentView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/centers/{id}/reports/{year}/conflict")]
pub async fn declare_on_report(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
    body: ApiJson<ConflictInput>,
) -> Result<HttpResponse, AppError> {
    let (id, year) = path.into_inner();
    let services = state.services();
    let declared = reports::review::declare_as_expert(&services, &user, id, year, &body.0).await?;
    Ok(HttpResponse::Ok().json(declared))
}

/// The expert's scores of a report against the rubric (changeable until the result).
#[utoipa::path(post, path = "/api/v1/centers/{id}/reports/{year}/scores", tag = "reports", security(("bearer" = [])),
    params(("id" = i32, Path), ("year" = i32, Path)), request_body = ScoresInput,
    responses((status = 200, body = ReportDetail), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/centers/{id}/reports/{year}/scores")]
pub async fn score_report(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
    body: ApiJson<ScoresInput>,
) -> Result<HttpResponse, AppError> {
    user.require(&[Role::Expert])?;
    let (id, year) = path.into_inner();
    let center = access::readable_center(&state.db, &user, id).await?;
    let services = state.services();
    reports::review::score(&services, &user, &center, year, &body.0).await?;
    Ok(HttpResponse::Ok().json(reports::detail(&services, &center, year).await?))
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_reports)
        .service(get_report)
        .service(save_report)
        .service(submit_report)
        .service(return_report)
        .service(assign_report)
        .service(declare_on_report)
        .service(score_report);
}
