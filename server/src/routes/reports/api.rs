//! Annual reports: the reporting calendar of a center, the draft, submission and return.

use actix_web::{HttpResponse, get, post, put, web};
use entities::centers;
use sea_orm::EntityTrait;

use crate::{
    auth::CurrentUser,
    domain::{
        access,
        lifecycle::decisions::{self, DecisionInput},
        lifecycle::record::DecisionView,
        lifecycle::rectification::{self, RectificationInput, RectificationView},
        narratives::NarrativeInput,
        reports::{self, ReportDetail, ReportView, ReturnInput},
        review::{self, AssignInput, AssignmentView, ConflictInput, ScoresInput},
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
    Ok(HttpResponse::Ok().json(reports::calendar(&state.services(), &center).await?))
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
    user.require(&[Role::Expert])?;
    let (id, year) = path.into_inner();
    let center = centers::Entity::find_by_id(id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let declared =
        reports::review::declare(&state.services(), &user, &center, year, &body.0).await?;
    let emails = review::expert_emails(&state.db, std::slice::from_ref(&declared)).await?;
    let view = review::views(std::slice::from_ref(&declared), &emails, true, user.id);
    Ok(HttpResponse::Ok().json(view.into_iter().next()))
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

/// Records a decision: `annual_result` (a result other than the proposal needs a reason) or
/// `extension` of a report's due date (cnipa; the deciding local office for a local center).
#[utoipa::path(post, path = "/api/v1/centers/{id}/decisions", tag = "reports", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = DecisionInput,
    responses((status = 201, body = DecisionView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/centers/{id}/decisions")]
pub async fn record_decision(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<DecisionInput>,
) -> Result<HttpResponse, AppError> {
    let center = access::readable_center(&state.db, &user, id.into_inner()).await?;
    let saved = decisions::record(&state.services(), &user, &center, &body.0).await?;
    Ok(HttpResponse::Created().json(DecisionView::from(saved)))
}

/// Every decision on the center with its rulebook version (readers of the center).
#[utoipa::path(get, path = "/api/v1/centers/{id}/decisions", tag = "reports", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = Vec<DecisionView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/centers/{id}/decisions")]
pub async fn list_decisions(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let center = access::readable_center(&state.db, &user, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(decisions::list(&state.db, center.id).await?))
}

/// Files (or replaces) the rectification report answering an unqualified result (its staff),
/// until the rectification's deadline.
#[utoipa::path(put, path = "/api/v1/centers/{id}/rectification", tag = "reports", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = RectificationInput,
    responses((status = 200, body = RectificationView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[put("/centers/{id}/rectification")]
pub async fn file_rectification(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<RectificationInput>,
) -> Result<HttpResponse, AppError> {
    let center = access::writable_center(&state.db, &user, id.into_inner()).await?;
    let today = state.clock.today();
    let filed =
        rectification::file(&state.db, &user, &center, &body.0, today, state.clock.now()).await?;
    Ok(HttpResponse::Ok().json(rectification::view(filed, today)))
}

/// The center's latest rectification (readers of the center; 404 when there is none).
#[utoipa::path(get, path = "/api/v1/centers/{id}/rectification", tag = "reports", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = RectificationView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/centers/{id}/rectification")]
pub async fn get_rectification(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let center = access::readable_center(&state.db, &user, id.into_inner()).await?;
    let latest = rectification::latest(&state.db, center.id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok().json(rectification::view(latest, state.clock.today())))
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
        .service(score_report)
        .service(record_decision)
        .service(list_decisions)
        .service(file_rectification)
        .service(get_rectification);
}
