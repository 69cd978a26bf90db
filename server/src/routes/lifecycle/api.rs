//! A center's own request to withdraw; cnipa confirms it with an exit decision
//! (`POST /api/v1/centers/{id}/decisions` `{"kind":"exit","reason"}`).

use actix_web::{HttpResponse, delete, get, post, web};

use crate::{
    auth::CurrentUser,
    domain::{
        access,
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

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(request_withdrawal)
        .service(cancel_withdrawal)
        .service(list_withdrawals);
}
