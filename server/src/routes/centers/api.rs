//! Centers, their metrics, cycles and the industries list.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{Datelike, NaiveDate};
use entities::centers;
use sea_orm::{EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

use crate::web::download::ExportFormat;
use crate::{
    auth::{CurrentUser, VerifiedToken},
    domain::{
        access,
        centers::{
            self as center_rules, CenterFilter, CenterView, IndustryView, NewCenterInput,
            PublicCenterView,
        },
        lifecycle::cycles::{self, CycleInput, CycleView},
        lifecycle::proposals::{self, Proposal},
        metrics::{self, IndicatorSummary},
        paging::{PageQuery, Paged},
        users::Role,
    },
    error::{AppError, ErrorBody},
    i18n::Lang,
    state::AppState,
    web::extract::ApiJson,
};

/// A center in the list: its profile, current-year indicators and open proposals.
#[derive(Serialize, ToSchema)]
pub struct CenterListItem {
    #[serde(flatten)]
    pub center: CenterView,
    pub indicators: IndicatorSummary,
    /// Open proposals: `[{"kind":"exit","reason","since"}]`.
    pub proposals: Vec<Proposal>,
}

/// A center with its open proposals.
#[derive(Serialize, ToSchema)]
pub struct CenterDetail {
    #[serde(flatten)]
    pub center: CenterView,
    /// Open proposals: `[{"kind":"exit","reason","since"}]`.
    pub proposals: Vec<Proposal>,
}

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
    pub page: Option<u64>,
    pub per_page: Option<u64>,
    pub format: Option<ExportFormat>,
}

/// Centers in the caller's scope with their current-year indicators (members: public fields of
/// every center that has not exited); `?format=xlsx|csv` downloads the whole filtered list.
#[utoipa::path(get, path = "/api/v1/centers", tag = "centers", security(("bearer" = [])), params(CenterListQuery),
    responses((status = 200, description = "the page as JSON; with `?format=csv|xlsx` the whole filtered list as a file", content((Paged<CenterListItem> = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/centers")]
pub async fn list_centers(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<CenterListQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let (page, per_page) = PageQuery {
        page: query.page,
        per_page: query.per_page,
    }
    .resolve()?;
    let filter = CenterFilter {
        level: query.level,
        province: query.province.clone(),
        industry: query.industry.clone(),
        status: query.status.clone(),
        q: query.q.clone(),
    };
    let mut select = centers::Entity::find()
        .filter(filter.condition())
        .order_by_asc(centers::Column::Id);
    if user.role == Role::Member {
        select = select.filter(sea_orm::ColumnTrait::ne(
            &centers::Column::Status,
            center_rules::status::EXITED,
        ));
        let paginator = select.paginate(&state.db, per_page);
        let total = paginator.num_items().await?;
        let items: Vec<PublicCenterView> = paginator
            .fetch_page(page - 1)
            .await?
            .into_iter()
            .map(PublicCenterView::from)
            .collect();
        return Ok(HttpResponse::Ok().json(Paged {
            items,
            total,
            page,
            per_page,
        }));
    }
    if let Some(scope) = access::readable_filter(&user) {
        select = select.filter(scope);
    }
    if let Some(format) = query.format {
        let (items, _) = list_items(&state, select, None).await?;
        return super::export::centers(format, &items);
    }
    Ok(HttpResponse::Ok()
        .content_type(actix_web::http::header::ContentType::json())
        .body(list_page_json(&state, select, page, per_page).await?))
}

/// One page of the centers `select` finds as the JSON of `Paged<CenterListItem>`: each item is
/// rendered once and reused while the center, its host and its records are unchanged (the page's
/// stamps are read fresh from the database on every request).
async fn list_page_json(
    state: &AppState,
    select: sea_orm::Select<centers::Entity>,
    page: u64,
    per_page: u64,
) -> Result<String, AppError> {
    let (total, stamps) =
        metrics::page_stamps(&state.db, select, (page - 1) * per_page, per_page).await?;
    let today = state.clock.today();
    let rulebook_version = state.rulebook.in_force_on(&state.db, today).await?.version;
    let key = |center_id: i32| metrics::FiguresKey {
        center_id,
        year: today.year(),
        as_of: today,
        rulebook_version,
    };
    let cache = &state.figures.list_items;
    let mut items: Vec<Option<std::sync::Arc<str>>> = stamps
        .iter()
        .map(|(id, stamp)| cache.get(&key(*id), stamp))
        .collect();
    let missed: Vec<i32> = stamps
        .iter()
        .zip(&items)
        .filter(|(_, item)| item.is_none())
        .map(|((id, _), _)| *id)
        .collect();
    if !missed.is_empty() {
        let mut proposals = proposals::of_centers(&state.db, &missed, today).await?;
        let select = centers::Entity::find()
            .filter(sea_orm::ColumnTrait::is_in(&centers::Column::Id, missed))
            .order_by_asc(centers::Column::Id);
        for listed in
            metrics::list_with_indicators(&state.db, &state.rulebook, &state.figures, select, today)
                .await?
        {
            let id = listed.center.id;
            let stamp = metrics::stamp_of(&listed.center, listed.host.as_ref());
            let json: std::sync::Arc<str> = serde_json::to_string(&CenterListItem {
                center: CenterView::new(listed.center, listed.host),
                indicators: listed.indicators,
                proposals: proposals.remove(&id).unwrap_or_default(),
            })
            .map_err(anyhow::Error::from)?
            .into();
            cache.keep(key(id), stamp, json.clone());
            if let Some(slot) = stamps.iter().position(|(s, _)| *s == id) {
                items[slot] = Some(json);
            }
        }
    }
    let items: Vec<&str> = items.iter().flatten().map(|item| &**item).collect();
    Ok(format!(
        r#"{{"items":[{}],"total":{total},"page":{page},"per_page":{per_page}}}"#,
        items.join(",")
    ))
}

/// One page (or, without `page`, all) of the centers `select` finds, with hosts and current-year
/// indicators, and how many centers it finds.
pub async fn list_items(
    state: &AppState,
    select: sea_orm::Select<centers::Entity>,
    page: Option<(u64, u64)>,
) -> Result<(Vec<CenterListItem>, u64), AppError> {
    use sea_orm::QuerySelect;
    let total = select.clone().count(&state.db).await?;
    let page_select = match page {
        Some((page, per_page)) => select.limit(per_page).offset((page - 1) * per_page),
        None => select,
    };
    let today = state.clock.today();
    let listed = metrics::list_with_indicators(
        &state.db,
        &state.rulebook,
        &state.figures,
        page_select,
        today,
    )
    .await?;
    let ids: Vec<i32> = listed.iter().map(|l| l.center.id).collect();
    let mut proposals = proposals::of_centers(&state.db, &ids, today).await?;
    let items = listed
        .into_iter()
        .map(|l| CenterListItem {
            proposals: proposals.remove(&l.center.id).unwrap_or_default(),
            center: CenterView::new(l.center, l.host),
            indicators: l.indicators,
        })
        .collect();
    Ok((items, total))
}

/// One center (readers of it; members see its public fields).
#[utoipa::path(get, path = "/api/v1/centers/{id}", tag = "centers", security(("bearer" = [])), params(("id" = i32, Path)),
    responses((status = 200, body = CenterDetail), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
#[get("/centers/{id}")]
pub async fn get_center(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    if user.role == Role::Member {
        let center = centers::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .filter(|c| c.status != center_rules::status::EXITED)
            .ok_or(AppError::NotFound)?;
        return Ok(HttpResponse::Ok().json(PublicCenterView::from(center)));
    }
    let center = access::readable_center(&state.db, &user, id).await?;
    let proposals = proposals::of_center(&state.db, center.id, state.clock.today()).await?;
    Ok(HttpResponse::Ok().json(CenterDetail {
        center: center_rules::view(&state.db, center).await?,
        proposals,
    }))
}

#[derive(Deserialize, IntoParams)]
pub struct YearQuery {
    /// Calendar year (default: this year); a future year is 422.
    pub year: Option<i32>,
}

/// One criterion's verdict.
#[derive(Serialize, ToSchema)]
pub struct CriterionView {
    pub rule: &'static str,
    pub passed: bool,
    pub detail: String,
}

/// The indicators of a year and the verdict of each criterion.
#[derive(Serialize, ToSchema)]
pub struct MetricsView {
    pub center_id: i32,
    pub year: i32,
    pub as_of: NaiveDate,
    pub operation_amount: String,
    pub amount_by_kind: BTreeMap<&'static str, String>,
    pub related_party_amount: String,
    pub transaction_count: i64,
    pub projects_cumulative: i64,
    /// Start of the cycle from which projects are counted (none: ever).
    pub projects_counted_from: Option<NaiveDate>,
    pub alliance_counting_members: i64,
    pub alliance_members: i64,
    pub tech_smes_served: i64,
    pub events_by_kind: BTreeMap<String, i64>,
    pub criteria: Vec<CriterionView>,
    pub rulebook_version: i32,
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
    query: web::Query<YearQuery>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let lang = Lang::of_request(&req);
    let today = state.clock.today();
    let year = query.year.unwrap_or(today.year());
    // the caller's account and the center's stamp in one round trip: this route is read most
    let (user, stamp) = access::caller_with_center_stamp(&state.db, &token.0, id).await?;
    let as_of = metrics::evaluation_date(year, today)?;
    let key = (
        metrics::FiguresKey {
            center_id: id,
            year,
            as_of,
            rulebook_version: state.rulebook.in_force_on(&state.db, as_of).await?.version,
        },
        lang,
    );
    let cache = &state.figures.metrics_bodies;
    let body = match cache.get(&key, &stamp) {
        Some(body) => body,
        None => {
            let (center, host) = access::readable_center_with_host(&state.db, &user, id).await?;
            let m = metrics::evaluate(
                &state.db,
                &state.rulebook,
                &state.figures,
                &center,
                host.as_ref(),
                year,
                today,
            )
            .await?;
            // keyed by the rulebook version the figures were judged under
            let key = (
                metrics::FiguresKey {
                    rulebook_version: m.rulebook.version,
                    ..key.0
                },
                lang,
            );
            let body: std::sync::Arc<str> = serde_json::to_string(&MetricsView::new(id, m, lang))
                .map_err(anyhow::Error::from)?
                .into();
            cache.keep(key, metrics::stamp_of(&center, host.as_ref()), body.clone());
            body
        }
    };
    Ok(HttpResponse::Ok()
        .content_type(actix_web::http::header::ContentType::json())
        .body(body.to_string()))
}

impl MetricsView {
    /// The body of the metrics route for center `center_id`, its verdicts worded in `lang`.
    fn new(center_id: i32, m: metrics::Metrics, lang: Lang) -> MetricsView {
        let f = m.figures;
        MetricsView {
            center_id,
            year: m.year,
            as_of: m.as_of,
            operation_amount: f.operation_amount.to_string(),
            amount_by_kind: f
                .amount_by_kind
                .iter()
                .map(|(k, v)| (*k, v.to_string()))
                .collect(),
            related_party_amount: f.related_party_amount.to_string(),
            transaction_count: f.transaction_count,
            projects_cumulative: f.projects_cumulative,
            projects_counted_from: m.cycle_start,
            alliance_counting_members: f.alliance_counting_members,
            alliance_members: f.alliance_members,
            tech_smes_served: f.tech_smes_served,
            events_by_kind: f.events_by_kind,
            criteria: m
                .verdicts
                .into_iter()
                .map(|v| CriterionView {
                    rule: v.rule,
                    passed: v.passed,
                    detail: v.detail.text(lang).to_string(),
                })
                .collect(),
            rulebook_version: m.rulebook.version,
        }
    }
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
