//! The dashboard's charts and one center's amount chart, as SVG drawn on the server.

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::Datelike;

use crate::{
    auth::CurrentUser,
    domain::{
        access,
        dashboard::{self, Dashboard},
    },
    error::AppError,
    i18n::Lang,
    state::AppState,
    web::charts,
};

/// The dashboard of `user`'s scope.
async fn snapshot(
    state: &AppState,
    user: &CurrentUser,
) -> Result<std::sync::Arc<Dashboard>, AppError> {
    let scope = dashboard::scope_of(user)?;
    dashboard::snapshot(&state.services(), &state.dashboards, &scope).await
}

fn svg_response(svg: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/svg+xml; charset=utf-8")
        .insert_header(("Cache-Control", "private, no-cache"))
        .body(svg)
}

/// The national operation amount by year and kind.
#[get("/dashboard/charts/amount-by-year.svg")]
async fn amount_by_year(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    let snapshot = snapshot(&state, &user).await?;
    let svg = charts::amount_by_year(&snapshot, Lang::of_request(&req))?;
    Ok(svg_response(svg))
}

/// The centers by their last result.
#[get("/dashboard/charts/centers-by-result.svg")]
async fn centers_by_result(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    let snapshot = snapshot(&state, &user).await?;
    let svg = charts::centers_by_result(&snapshot, Lang::of_request(&req))?;
    Ok(svg_response(svg))
}

/// This year's operation amount by province.
#[get("/dashboard/charts/amount-by-province.svg")]
async fn amount_by_province(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    let snapshot = snapshot(&state, &user).await?;
    let svg = charts::amount_by_province(&snapshot, Lang::of_request(&req))?;
    Ok(svg_response(svg))
}

/// A center's operation amount by year against the threshold (readers of the center).
#[get("/centers/{id}/charts/amount.svg")]
async fn center_chart(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let center = access::readable_center(&state.db, &user, id.into_inner()).await?;
    let today = state.clock.today();
    let rules = state.rulebook.in_force_on(&state.db, today).await?.rules;
    let years = dashboard::center_amounts(&state.db, center.id, today.year()).await?;
    let lang = Lang::of_request(&req);
    let svg = charts::center_amount(&years, rules.annual_amount_threshold, lang)?;
    Ok(svg_response(svg))
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[
    ("GET", "/dashboard/charts/amount-by-year.svg"),
    ("GET", "/dashboard/charts/centers-by-result.svg"),
    ("GET", "/dashboard/charts/amount-by-province.svg"),
    ("GET", "/centers/{id}/charts/amount.svg"),
];

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(amount_by_year)
        .service(centers_by_result)
        .service(amount_by_province)
        .service(center_chart);
}
