//! `/api/v1/patents`: the conversion resource library's listings (every signed-in user reads;
//! owners and their centers' staff list, correct, withdraw and relist).

use actix_web::{HttpResponse, get, patch, post, put, web};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::{
    auth::CurrentUser,
    domain::market::{
        ListingInput, ListingPatch, ListingQuery, ListingView,
        evaluations::{self, EvaluationInput, EvaluationUpdate, EvaluationView, Evaluations},
        listings,
        search::{self, LibraryPage},
    },
    error::{AppError, ErrorBody},
    state::AppState,
    web::extract::{ApiJson, ApiQuery},
};

/// The version a withdrawal or a relisting applies to.
#[derive(Debug, Deserialize, ToSchema)]
pub struct VersionBody {
    pub version: i32,
}

/// Lists a patent in the library.
#[utoipa::path(post, path = "/api/v1/patents", tag = "market", security(("bearer" = [])), request_body = ListingInput,
    responses((status = 201, body = ListingView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/patents")]
pub async fn create_listing(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: ApiJson<ListingInput>,
) -> Result<HttpResponse, AppError> {
    let when = (state.clock.today(), state.clock.now());
    crate::db::write(&state.db, async |txn| {
        let created = listings::create(txn, &user, &body.0, when).await?;
        Ok(HttpResponse::Created().json(created))
    })
    .await
}

/// The library: listed patents in force, ranked by relevance to `q` (Chinese full text over title,
/// abstract and claims, with synonyms) or newest first, filtered; each with its highlights, the
/// page with the facets of everything found.
#[utoipa::path(get, path = "/api/v1/patents", tag = "market", security(("bearer" = [])), params(ListingQuery),
    responses((status = 200, body = LibraryPage), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
#[get("/patents")]
pub async fn list_listings(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: ApiQuery<ListingQuery>,
) -> Result<HttpResponse, AppError> {
    let page = search::library(&state.db, &state.search, &user, query.into_inner()).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One listing (its contact only for its owner and the staff of the centers holding it).
#[utoipa::path(get, path = "/api/v1/patents/{id}", tag = "market", security(("bearer" = [])), params(("id" = i32, Path)),
    responses((status = 200, body = ListingView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/patents/{id}")]
pub async fn get_listing(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let listing = listings::get(&state.db, &user, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(listing))
}

/// Corrects a listing at its `version` (the fields sent change; the application number never).
#[utoipa::path(patch, path = "/api/v1/patents/{id}", tag = "market", security(("bearer" = [])), params(("id" = i32, Path)),
    request_body(content = Object, description = "the fields that change, and `version`", example = json!({"asking_price": "900000.00", "version": 1})),
    responses((status = 200, body = ListingView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[patch("/patents/{id}")]
pub async fn update_listing(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<ListingPatch>,
) -> Result<HttpResponse, AppError> {
    let (id, when) = (id.into_inner(), (state.clock.today(), state.clock.now()));
    crate::db::write(&state.db, async |txn| {
        let updated = listings::update(txn, &user, id, &body.0, when).await?;
        Ok(HttpResponse::Ok().json(updated))
    })
    .await
}

/// Withdraws a listing from the library (its owner or a center holding the owner).
#[utoipa::path(post, path = "/api/v1/patents/{id}/withdraw", tag = "market", security(("bearer" = [])), params(("id" = i32, Path)), request_body = VersionBody,
    responses((status = 200, body = ListingView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/patents/{id}/withdraw")]
pub async fn withdraw_listing(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<VersionBody>,
) -> Result<HttpResponse, AppError> {
    listed(&state, &user, (id.into_inner(), body.0.version), false).await
}

/// Lists a withdrawn listing again (409 when its number was listed again meanwhile).
#[utoipa::path(post, path = "/api/v1/patents/{id}/relist", tag = "market", security(("bearer" = [])), params(("id" = i32, Path)), request_body = VersionBody,
    responses((status = 200, body = ListingView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/patents/{id}/relist")]
pub async fn relist_listing(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<VersionBody>,
) -> Result<HttpResponse, AppError> {
    listed(&state, &user, (id.into_inner(), body.0.version), true).await
}

/// Withdraws or relists, answering the listing.
async fn listed(
    state: &AppState,
    user: &CurrentUser,
    (id, version): (i32, i32),
    listed: bool,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    crate::db::write(&state.db, async |txn| {
        let listing = listings::set_listed(txn, user, id, version, listed, now).await?;
        Ok(HttpResponse::Ok().json(listing))
    })
    .await
}

/// Records the caller's enterprise's market evaluation of a listing (one per enterprise).
#[utoipa::path(post, path = "/api/v1/patents/{id}/evaluations", tag = "market", security(("bearer" = [])), params(("id" = i32, Path)), request_body = EvaluationInput,
    responses((status = 201, body = EvaluationView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/patents/{id}/evaluations")]
pub async fn evaluate(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<EvaluationInput>,
) -> Result<HttpResponse, AppError> {
    let (id, now) = (id.into_inner(), state.clock.now());
    crate::db::write(&state.db, async |txn| {
        let saved = evaluations::evaluate(txn, &user, id, &body.0, now).await?;
        Ok(HttpResponse::Created().json(saved))
    })
    .await
}

/// A listing's evaluations: each one for its owner's side, one's own for an enterprise, the count
/// and the average prospect for everyone.
#[utoipa::path(get, path = "/api/v1/patents/{id}/evaluations", tag = "market", security(("bearer" = [])), params(("id" = i32, Path)),
    responses((status = 200, body = Evaluations), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/patents/{id}/evaluations")]
pub async fn list_evaluations(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let found = evaluations::of_listing(&state.db, &user, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(found))
}

/// Corrects the caller's enterprise's own evaluation at its `version`.
#[utoipa::path(put, path = "/api/v1/patents/{id}/evaluations/mine", tag = "market", security(("bearer" = [])), params(("id" = i32, Path)), request_body = EvaluationUpdate,
    responses((status = 200, body = EvaluationView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[put("/patents/{id}/evaluations/mine")]
pub async fn update_evaluation(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<EvaluationUpdate>,
) -> Result<HttpResponse, AppError> {
    let (id, now) = (id.into_inner(), state.clock.now());
    crate::db::write(&state.db, async |txn| {
        let saved = evaluations::update_mine(txn, &user, id, &body.0, now).await?;
        Ok(HttpResponse::Ok().json(saved))
    })
    .await
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create_listing)
        .service(list_listings)
        .service(get_listing)
        .service(update_listing)
        .service(withdraw_listing)
        .service(relist_listing)
        .service(evaluate)
        .service(list_evaluations)
        .service(update_evaluation);
}
