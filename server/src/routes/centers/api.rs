//! Centers, their metrics, cycles and the industries list.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::web::download::ExportFormat;
use crate::web::extract::ApiQuery;
use crate::{
    auth::{CurrentUser, VerifiedToken},
    domain::{
        access,
        centers::{self as center_rules, CenterFilter, CenterView, IndustryView, NewCenterInput},
        lifecycle::cycles::{self, CycleInput, CycleView},
        paging::PageQuery,
        users::Role,
        views::{
            self,
            centers::{CenterListPage, CenterRead},
            metrics::{MetricsView, metrics_body},
        },
    },
    error::{AppError, ErrorBody},
    i18n::Lang,
    state::AppState,
    web::extract::ApiJson,
};

/// Creates a center in `draft`; a center user becomes its staff.
#[utoipa::path(post, path = "/api/v1/centers", tag = "centers", security(("bearer" = [])), request_body = NewCenterInput,
    responses((status = 201, body = CenterView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/centers")]
pub async fn create_center(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: ApiJson<NewCenterInput>,
) -> Result<HttpResponse, AppError> {
    let center = center_rules::create(&state.db, &user, body.0, state.clock.now()).await?;
    Ok(HttpResponse::Created().json(center_rules::view(&state.db, center).await?))
}

#[derive(Deserialize, IntoParams)]
pub struct CenterListQuery {
    pub level: Option<crate::domain::centers::CenterLevel>,
    /// Two-digit province code, e.g. `32`.
    pub province: Option<String>,
    pub industry: Option<String>,
    pub status: Option<String>,
    /// Part of the name.
    pub q: Option<String>,
    /// The column to sort by (else the order of creation).
    pub sort: Option<crate::domain::centers::CenterSort>,
    /// `desc`: from the last to the first (default `asc`).
    pub order: Option<SortOrder>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
    pub format: Option<ExportFormat>,
}

/// Centers in the caller's scope with their current-year indicators (members: public fields of
/// every center that has not exited); `?format=xlsx|csv` downloads the whole filtered list.
#[utoipa::path(get, path = "/api/v1/centers", tag = "centers", security(("bearer" = [])), params(CenterListQuery),
    responses((status = 200, description = "the page as JSON; with `?format=csv|xlsx` the whole filtered list as a file", content((CenterListPage = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/centers")]
pub async fn list_centers(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: ApiQuery<CenterListQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let paging = PageQuery {
        page: query.page,
        per_page: query.per_page,
    };
    let (page, per_page) = paging.resolve()?;
    let (services, filter) = (state.services(), query.filter());
    // members read the public list, which has no download
    match query.format.filter(|_| user.role != Role::Member) {
        Some(format) => {
            let (items, _) = views::centers::list(&services, &user, &filter, None).await?;
            super::export::centers(format, &items, state.clock.today())
        }
        None => Ok(json_body(
            views::centers::list_json(&services, &user, &filter, page, per_page).await?,
        )),
    }
}

impl CenterListQuery {
    /// The list's filters.
    fn filter(&self) -> CenterFilter {
        CenterFilter {
            level: self.level,
            province: self.province.clone(),
            industry: self.industry.clone(),
            status: self.status.clone(),
            q: self.q.clone(),
            sort: self.sort,
            descending: self.order == Some(SortOrder::Desc),
        }
    }
}

/// The direction of a sort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    Asc,
    Desc,
}

/// A JSON body already rendered.
fn json_body(body: impl Into<String>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(actix_web::http::header::ContentType::json())
        .body(body.into())
}

/// One center (readers of it; members see its public fields).
#[utoipa::path(get, path = "/api/v1/centers/{id}", tag = "centers", security(("bearer" = [])), params(("id" = i32, Path)),
    responses((status = 200, body = CenterRead), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/centers/{id}")]
pub async fn get_center(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let center = views::centers::center(&state.services(), &user, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(center))
}

#[derive(Deserialize, IntoParams)]
pub struct YearQuery {
    /// Calendar year (default: this year); a future year is 422.
    pub year: Option<i32>,
}

/// Computed indicators of a year and the verdict of each criterion under the rulebook in force.
#[utoipa::path(get, path = "/api/v1/centers/{id}/metrics", tag = "centers", security(("bearer" = [])),
    params(("id" = i32, Path), YearQuery),
    responses((status = 200, body = MetricsView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/centers/{id}/metrics")]
pub async fn center_metrics(
    state: web::Data<AppState>,
    req: HttpRequest,
    token: VerifiedToken,
    id: web::Path<i32>,
    query: ApiQuery<YearQuery>,
) -> Result<HttpResponse, AppError> {
    let (id, lang) = (id.into_inner(), Lang::of_request(&req));
    let body = metrics_body(&state.services(), &token.0, id, query.year, lang).await?;
    Ok(json_body(&*body))
}

/// Registers a cycle of a center accredited before ipoc; the center becomes accredited.
#[utoipa::path(post, path = "/api/v1/centers/{id}/cycles", tag = "centers", security(("bearer" = [])), params(("id" = i32, Path)),
    request_body = CycleInput,
    responses((status = 201, body = CycleView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/centers/{id}/cycles")]
pub async fn register_cycle(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    body: ApiJson<CycleInput>,
) -> Result<HttpResponse, AppError> {
    let center = access::readable_center(&state.db, &user, id.into_inner()).await?;
    user.require(&[Role::Cnipa, Role::Admin])?;
    let cycle = cycles::register(
        &state.db,
        center,
        user.id,
        body.0,
        state.clock.today(),
        state.clock.now(),
    )
    .await?;
    Ok(HttpResponse::Created().json(cycle))
}

/// The industries list.
#[utoipa::path(get, path = "/api/v1/industries", tag = "centers", security(("bearer" = [])),
    responses((status = 200, body = Vec<IndustryView>), (status = 401, body = ErrorBody)))]
#[get("/industries")]
pub async fn list_industries(
    state: web::Data<AppState>,
    _user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(center_rules::industries(&state.db).await?))
}

/// `{"name"}` of a new industry.
#[derive(Deserialize, ToSchema)]
pub struct IndustryInput {
    pub name: String,
}

/// Adds an industry to the list (admin).
#[utoipa::path(post, path = "/api/v1/industries", tag = "centers", security(("bearer" = [])), request_body = IndustryInput,
    responses((status = 201, body = IndustryView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[post("/industries")]
pub async fn add_industry(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: ApiJson<IndustryInput>,
) -> Result<HttpResponse, AppError> {
    user.require(&[Role::Admin])?;
    Ok(HttpResponse::Created().json(
        center_rules::add_industry(&state.db, user.id, &body.0.name, state.clock.now()).await?,
    ))
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create_center)
        .service(list_centers)
        .service(get_center)
        .service(center_metrics)
        .service(register_cycle)
        .service(list_industries)
        .service(add_industry);
}
