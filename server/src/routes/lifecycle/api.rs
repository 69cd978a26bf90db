//! A center's life after accreditation: decisions (annual results, extensions, rectification,
//! exit), the rectification report answering an unqualified result, and the center's own request
//! to withdraw, which cnipa confirms with an exit decision
//! (`POST /api/v1/centers/{id}/decisions` `{"kind":"exit","reason"}`).

use actix_web::{HttpResponse, delete, get, post, put, web};

use crate::db::write;
use crate::{
    auth::CurrentUser,
    domain::{
        access,
        lifecycle::decisions::{self, DecisionInput},
        lifecycle::record::DecisionView,
        lifecycle::rectification::{self, RectificationInput, RectificationView},
        lifecycle::withdrawal::{self, WithdrawalInput, WithdrawalView},
    },
    error::{AppError, ErrorBody},
    state::AppState,
    web::extract::ApiJson,
};

/// Asks that the center withdraw (its staff, while it is accredited); cnipa is mailed and the
/// request shows among the center's `proposals` until an exit decision confirms it.
#[utoipa::path(post, path = "/api/v1/centers/{id}/withdrawal", tag = "reports", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = WithdrawalInput,
    responses((status = 201, body = WithdrawalView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/centers/{id}/withdrawal")]
pub async fn request_withdrawal(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<WithdrawalInput>,
) -> Result<HttpResponse, AppError> {
    let center = access::writable_center(&state.db, &user, id.into_inner()).await?;
    let saved = withdrawal::request(&state.services(), &user, &center, &body.0).await?;
    Ok(HttpResponse::Created().json(WithdrawalView::from(saved)))
}

/// Cancels the center's open withdrawal request (its staff); 409 when none is open.
#[utoipa::path(delete, path = "/api/v1/centers/{id}/withdrawal", tag = "reports", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = WithdrawalView), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[delete("/centers/{id}/withdrawal")]
pub async fn cancel_withdrawal(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let center = access::writable_center(&state.db, &user, id.into_inner()).await?;
    let cancelled = withdrawal::cancel(&state.services(), &user, &center).await?;
    Ok(HttpResponse::Ok().json(WithdrawalView::from(cancelled)))
}

/// Every withdrawal request of the center, newest first (readers of the center).
#[utoipa::path(get, path = "/api/v1/centers/{id}/withdrawal", tag = "reports", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = Vec<WithdrawalView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/centers/{id}/withdrawal")]
pub async fn list_withdrawals(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let center = access::readable_center(&state.db, &user, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(withdrawal::of_center(&state.db, center.id).await?))
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
    let services = state.services();
    let saved = write(&state.db, async |txn| {
        decisions::record(txn, &services, &user, &center, &body.0).await
    })
    .await?;
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
    cfg.service(record_decision)
        .service(list_decisions)
        .service(file_rectification)
        .service(get_rectification)
        .service(request_withdrawal)
        .service(cancel_withdrawal)
        .service(list_withdrawals);
}
