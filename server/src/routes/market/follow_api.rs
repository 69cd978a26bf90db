//! Following listings over the API: `POST/DELETE /api/v1/patents/{id}/favourite` and
//! `…/subscription`, `GET /api/v1/favourites`.

use actix_web::{HttpResponse, delete, get, post, web};

use crate::{
    auth::CurrentUser,
    domain::market::{
        ListingView,
        follows::{self, Follow},
    },
    error::{AppError, ErrorBody},
    state::AppState,
};

/// Follows a listing as `how`: 201, or 200 when it did already.
async fn follow(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
    how: Follow,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let added = crate::db::write(&state.db, async |txn| {
        follows::add(txn, user, (id, how), now).await
    })
    .await?;
    Ok(match added {
        true => HttpResponse::Created().finish(),
        false => HttpResponse::Ok().finish(),
    })
}

/// No longer follows a listing as `how`: 204.
async fn unfollow(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
    how: Follow,
) -> Result<HttpResponse, AppError> {
    crate::db::write(&state.db, async |txn| {
        follows::remove(txn, user, (id, how)).await
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Keeps a listing among the caller's favourites (201; 200 when it was already).
#[utoipa::path(post, path = "/api/v1/patents/{id}/favourite", tag = "market", security(("bearer" = [])), params(("id" = i32, Path)),
    responses((status = 201, description = "kept"), (status = 200, description = "already kept"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[post("/patents/{id}/favourite")]
pub async fn add_favourite(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    follow(&state, &user, id.into_inner(), Follow::Favourite).await
}

/// Removes a listing from the caller's favourites (204, also when it was not among them).
#[utoipa::path(delete, path = "/api/v1/patents/{id}/favourite", tag = "market", security(("bearer" = [])), params(("id" = i32, Path)),
    responses((status = 204, description = "removed"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[delete("/patents/{id}/favourite")]
pub async fn remove_favourite(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    unfollow(&state, &user, id.into_inner(), Follow::Favourite).await
}

/// Subscribes the caller to a listing's changes (mailed when it is withdrawn or listed again, its
/// price, modes or legal status change, an open licence is declared or ends): 201, or 200.
#[utoipa::path(post, path = "/api/v1/patents/{id}/subscription", tag = "market", security(("bearer" = [])), params(("id" = i32, Path)),
    responses((status = 201, description = "subscribed"), (status = 200, description = "already subscribed"), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[post("/patents/{id}/subscription")]
pub async fn subscribe(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    follow(&state, &user, id.into_inner(), Follow::Subscription).await
}

/// Ends the caller's subscription to a listing (204).
#[utoipa::path(delete, path = "/api/v1/patents/{id}/subscription", tag = "market", security(("bearer" = [])), params(("id" = i32, Path)),
    responses((status = 204, description = "ended"), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[delete("/patents/{id}/subscription")]
pub async fn unsubscribe(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    unfollow(&state, &user, id.into_inner(), Follow::Subscription).await
}

/// The caller's favourites still listed, the latest kept first.
#[utoipa::path(get, path = "/api/v1/favourites", tag = "market", security(("bearer" = [])),
    responses((status = 200, body = Vec<ListingView>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
#[get("/favourites")]
pub async fn favourites(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(follows::mine(&state.db, &user, Follow::Favourite).await?))
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(add_favourite)
        .service(remove_favourite)
        .service(subscribe)
        .service(unsubscribe)
        .service(favourites);
}
