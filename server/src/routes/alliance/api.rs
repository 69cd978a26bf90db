//! A center's alliance: members added directly, withdrawals, corrections, and join requests.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::export;
use crate::web::extract::ApiQuery;
use crate::web::{
    download::{ExportFormat, download},
    extract::VersionQuery,
    records,
};
use crate::{
    auth::CurrentUser,
    db::write,
    domain::{
        access,
        alliance::{
            self, JoinRequestView, Member, MemberInput, MemberStatusFilter, MembershipView,
            Withdrawal,
        },
        paging::{PageQuery, Paged},
    },
    error::{AppError, ErrorBody},
    state::AppState,
    web::extract::{ApiJson, OptionalJson},
};

/// Adds an organization to the alliance (active at once).
#[utoipa::path(post, path = "/api/v1/centers/{id}/members", tag = "alliance", security(("bearer" = [])), params(("id" = i32, Path)),
    request_body = MemberInput,
    responses((status = 201, body = MembershipView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/centers/{id}/members")]
pub async fn add_member(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<MemberInput>,
) -> Result<HttpResponse, AppError> {
    records::create::<Member>(&state, &user, id.into_inner(), body.0).await
}

#[derive(Deserialize, IntoParams)]
pub struct MemberListQuery {
    /// `all` (default), `active` or `withdrawn`.
    pub status: Option<MemberStatusFilter>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
    pub format: Option<ExportFormat>,
}

/// The alliance's memberships; `?format=xlsx|csv` downloads them all.
#[utoipa::path(get, path = "/api/v1/centers/{id}/members", tag = "alliance", security(("bearer" = [])), params(("id" = i32, Path), MemberListQuery),
    responses((status = 200, description = "the page as JSON; with `?format=csv|xlsx` the whole filtered list as a file", content((Paged<MembershipView> = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/centers/{id}/members")]
pub async fn list_members(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    query: ApiQuery<MemberListQuery>,
) -> Result<HttpResponse, AppError> {
    let center = access::readable_center(&state.db, &user, id.into_inner()).await?;
    let (page, per_page) = match query.format {
        Some(_) => (1, u64::MAX / 2),
        None => PageQuery {
            page: query.page,
            per_page: query.per_page,
        }
        .resolve()?,
    };
    let list = alliance::list(
        &state.db,
        center.id,
        query.status.unwrap_or_default(),
        page,
        per_page,
    )
    .await?;
    match query.format {
        Some(format) => download(format, export::members(&list.items)),
        None => Ok(HttpResponse::Ok().json(list)),
    }
}

/// Ends a membership (it stays on record as withdrawn).
#[utoipa::path(post, path = "/api/v1/centers/{id}/members/{mid}/withdraw", tag = "alliance", security(("bearer" = [])),
    params(("id" = i32, Path), ("mid" = i32, Path)), request_body = Withdrawal,
    responses((status = 200, body = MembershipView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/centers/{id}/members/{mid}/withdraw")]
pub async fn withdraw_member(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
    body: OptionalJson<Withdrawal>,
) -> Result<HttpResponse, AppError> {
    let (id, mid) = path.into_inner();
    let center = access::writable_center(&state.db, &user, id).await?;
    let (today, now) = (state.clock.today(), state.clock.now());
    let withdrawal = body.0.unwrap_or_default();
    let view = write(&state.db, async |txn| {
        alliance::withdraw(txn, (center.id, mid), user.id, withdrawal, today, now).await
    })
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Corrects a membership's dates at its `version`.
#[utoipa::path(patch, path = "/api/v1/centers/{id}/members/{mid}", tag = "alliance", security(("bearer" = [])),
    params(("id" = i32, Path), ("mid" = i32, Path)), request_body(content = Object, description = "`joined_on`, `left_on` and `version`"),
    responses((status = 200, body = MembershipView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[patch("/centers/{id}/members/{mid}")]
pub async fn update_member(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
    body: ApiJson<records::Patch>,
) -> Result<HttpResponse, AppError> {
    let (id, mid) = path.into_inner();
    records::update::<Member>(&state, &user, (id, i64::from(mid)), body.0).await
}

/// Deletes a membership entered by mistake (soft, audited; withdrawing is how members leave).
#[utoipa::path(delete, path = "/api/v1/centers/{id}/members/{mid}", tag = "alliance", security(("bearer" = [])),
    params(("id" = i32, Path), ("mid" = i32, Path), VersionQuery),
    responses((status = 200, body = MembershipView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[delete("/centers/{id}/members/{mid}")]
pub async fn delete_member(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
    query: ApiQuery<VersionQuery>,
) -> Result<HttpResponse, AppError> {
    let (id, mid) = path.into_inner();
    records::delete::<Member>(&state, &user, (id, i64::from(mid)), query.version).await
}

/// `{"message"}` of a join request.
#[derive(Deserialize, ToSchema)]
pub struct JoinRequestInput {
    #[serde(default)]
    pub message: String,
}

/// A member asks for its organization to join the alliance.
#[utoipa::path(post, path = "/api/v1/centers/{id}/join-requests", tag = "alliance", security(("bearer" = [])), params(("id" = i32, Path)),
    request_body = JoinRequestInput,
    responses((status = 201, body = JoinRequestView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/centers/{id}/join-requests")]
pub async fn request_to_join(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<JoinRequestInput>,
) -> Result<HttpResponse, AppError> {
    let (id, now) = (id.into_inner(), state.clock.now());
    let asked = alliance::ask_to_join(&state.db, &user, id, &body.0.message, now).await?;
    Ok(HttpResponse::Created().json(asked))
}

/// Join requests: the center sees all of its own; a member sees its organization's.
#[utoipa::path(get, path = "/api/v1/centers/{id}/join-requests", tag = "alliance", security(("bearer" = [])), params(("id" = i32, Path)),
    responses((status = 200, body = Vec<JoinRequestView>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/centers/{id}/join-requests")]
pub async fn list_join_requests(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let seen = alliance::requests_seen_by(&state.db, &user, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(seen))
}

/// `{"reason"}` of a decision on a join request (required to decline).
#[derive(Deserialize, ToSchema, Default)]
pub struct DecisionInput {
    #[serde(default)]
    pub reason: Option<String>,
}

async fn decide(
    state: &AppState,
    user: &CurrentUser,
    rid: i32,
    approve: bool,
    reason: Option<String>,
) -> Result<HttpResponse, AppError> {
    let request = alliance::find_request(&state.db, rid).await?;
    access::writable_center(&state.db, user, request.center_id).await?;
    let view = alliance::decide_request(
        &state.db,
        request,
        approve,
        reason.as_deref(),
        user.id,
        state.clock.today(),
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// The center approves a join request: the membership is active from today.
#[utoipa::path(post, path = "/api/v1/join-requests/{rid}/approve", tag = "alliance", security(("bearer" = [])), params(("rid" = i32, Path)),
    request_body = DecisionInput,
    responses((status = 200, body = JoinRequestView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
#[post("/join-requests/{rid}/approve")]
pub async fn approve_request(
    state: web::Data<AppState>,
    user: CurrentUser,
    rid: web::Path<i32>,
    body: OptionalJson<DecisionInput>,
) -> Result<HttpResponse, AppError> {
    decide(
        &state,
        &user,
        rid.into_inner(),
        true,
        body.0.and_then(|b| b.reason),
    )
    .await
}

/// The center declines a join request with a reason.
#[utoipa::path(post, path = "/api/v1/join-requests/{rid}/decline", tag = "alliance", security(("bearer" = [])), params(("rid" = i32, Path)),
    request_body = DecisionInput,
    responses((status = 200, body = JoinRequestView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/join-requests/{rid}/decline")]
pub async fn decline_request(
    state: web::Data<AppState>,
    user: CurrentUser,
    rid: web::Path<i32>,
    body: ApiJson<DecisionInput>,
) -> Result<HttpResponse, AppError> {
    decide(&state, &user, rid.into_inner(), false, body.0.reason).await
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(add_member)
        .service(list_members)
        .service(withdraw_member)
        .service(update_member)
        .service(delete_member)
        .service(request_to_join)
        .service(list_join_requests)
        .service(approve_request)
        .service(decline_request);
}
