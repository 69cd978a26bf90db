//! `/api/v1/demands`: members' technology demands (an enterprise registers its own, a center's
//! staff one for an enterprise of its alliance; each reads within its visibility).

use actix_web::{HttpResponse, get, patch, post, web};

use crate::{
    auth::CurrentUser,
    domain::market::demands::{
        self, DemandInput, DemandPatch, DemandQuery, DemandView, DemandsPage,
    },
    error::{AppError, ErrorBody},
    state::AppState,
    web::extract::{ApiJson, ApiQuery},
};

/// Registers a technology demand.
#[utoipa::path(post, path = "/api/v1/demands", tag = "market", security(("bearer" = [])), request_body = DemandInput,
    responses((status = 201, body = DemandView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/demands")]
pub async fn create_demand(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: ApiJson<DemandInput>,
) -> Result<HttpResponse, AppError> {
    let when = (state.clock.today(), state.clock.now());
    crate::db::write(&state.db, async |txn| {
        let created = demands::create(txn, &user, &body.0, when).await?;
        Ok(HttpResponse::Created().json(created))
    })
    .await
}

/// The demands the caller may read, ranked by relevance to `q` (Chinese full text over title,
/// description and keywords) or newest first, filtered (default: open and matched ones still valid).
#[utoipa::path(get, path = "/api/v1/demands", tag = "market", security(("bearer" = [])), params(DemandQuery),
    responses((status = 200, body = DemandsPage), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody), (status = 503, body = ErrorBody)))]
#[get("/demands")]
pub async fn list_demands(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: ApiQuery<DemandQuery>,
) -> Result<HttpResponse, AppError> {
    let (query, today) = (query.into_inner(), state.clock.today());
    let page = demands::search::search(&state.db, &state.search, &user, query, today).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One demand (its member's name unless anonymous to the caller; its contact only for its member
/// and the staff of the centers holding it).
#[utoipa::path(get, path = "/api/v1/demands/{id}", tag = "market", security(("bearer" = [])), params(("id" = i32, Path)),
    responses((status = 200, body = DemandView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/demands/{id}")]
pub async fn get_demand(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let found = demands::get(&state.db, &user, id.into_inner(), state.clock.today()).await?;
    Ok(HttpResponse::Ok().json(found))
}

/// Corrects, renews (a later `valid_until`), closes or reopens (`status`) a demand at its `version`.
#[utoipa::path(patch, path = "/api/v1/demands/{id}", tag = "market", security(("bearer" = [])), params(("id" = i32, Path)),
    request_body(content = Object, description = "the fields that change, and `version`", example = json!({"valid_until": "2027-12-31", "version": 1})),
    responses((status = 200, body = DemandView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[patch("/demands/{id}")]
pub async fn update_demand(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<DemandPatch>,
) -> Result<HttpResponse, AppError> {
    let (id, when) = (id.into_inner(), (state.clock.today(), state.clock.now()));
    crate::db::write(&state.db, async |txn| {
        let updated = demands::update(txn, &user, id, &body.0, when).await?;
        Ok(HttpResponse::Ok().json(updated))
    })
    .await
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create_demand)
        .service(list_demands)
        .service(get_demand)
        .service(update_demand);
}
