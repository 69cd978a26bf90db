//! The dashboard's charts and one center's amount chart, as SVG drawn on the server.

use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::Datelike;

use crate::{
    auth::CurrentUser,
    domain::{
        access,
        dashboard::{self, charts},
    },
    error::AppError,
    i18n::Lang,
    state::AppState,
};

/// One of the dashboard's charts as SVG: `amount-by-year`, `centers-by-result` or
/// `amount-by-province`.
#[get("/dashboard/charts/{name}.svg")]
async fn dashboard_chart(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    name: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let scope = dashboard::scope_of(&user)?;
    let snapshot = dashboard::snapshot(
        &state.db,
        &state.rulebook,
        &state.figures,
        &state.dashboards,
        &scope,
        state.clock.today(),
    )
    .await?;
    let lang = Lang::of_request(&req);
    let svg = match name.as_str() {
        "amount-by-year" => charts::amount_by_year(&snapshot, lang)?,
        "centers-by-result" => charts::centers_by_result(&snapshot, lang)?,
        "amount-by-province" => charts::amount_by_province(&snapshot, lang)?,
        _ => return Err(AppError::NotFound),
    };
    Ok(svg_response(svg))
}

/// A center's operation amount by year against the threshold, as SVG (readers of the center).
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
    let svg = charts::center_amount(
        &years,
        rules.annual_amount_threshold,
        Lang::of_request(&req),
    )?;
    Ok(svg_response(svg))
}

fn svg_response(svg: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/svg+xml; charset=utf-8")
        .insert_header(("Cache-Control", "private, max-age=60"))
        .body(svg)
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(dashboard_chart).service(center_chart);
}
