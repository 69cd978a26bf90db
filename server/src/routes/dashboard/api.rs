//! `GET /api/v1/dashboard`: every center of the caller's scope on one table (cnipa and admin:
//! all; a local office: its region), filtered and sorted on any column, as JSON or a file.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, get, web};
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    auth::VerifiedToken,
    domain::{
        dashboard::{self, DashboardQuery, DashboardRow},
        paging::PageQuery,
    },
    error::{AppError, ErrorBody},
    state::AppState,
    web::extract::ApiQuery,
};

/// One page of the dashboard.
#[derive(Serialize, ToSchema)]
pub struct DashboardPage<'a> {
    pub items: Vec<&'a DashboardRow>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    /// The day the figures and states are as of.
    pub as_of: NaiveDate,
    pub rulebook_version: i32,
    /// How many of the filtered centers show each light.
    pub lights: BTreeMap<&'static str, u64>,
}

/// The national dashboard: one row per center with its cycle, this year's figures against the
/// thresholds, the report that waits, the last result, open proposals and a traffic light; red
/// first by default. `?format=xlsx|csv` downloads the whole filtered table.
#[utoipa::path(get, path = "/api/v1/dashboard", tag = "dashboard", security(("bearer" = [])), params(DashboardQuery),
    responses((status = 200, description = "the page as JSON; with `?format=csv|xlsx` the whole filtered table as a file",
            content((DashboardPage = "application/json"), (String = "text/csv"), (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/dashboard")]
pub async fn national_dashboard(
    state: web::Data<AppState>,
    token: VerifiedToken,
    query: ApiQuery<DashboardQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.0;
    // the caller's account and the centers' stamp in one round trip: the hot path when cached
    let (user, stamp) = dashboard::caller_with_stamp(&state.db, &token.0).await?;
    let paging = PageQuery {
        page: query.page,
        per_page: query.per_page,
    };
    let (page, per_page) = paging.resolve()?;
    let scope = dashboard::scope_of(&user)?;
    let services = state.services();
    let snapshot = dashboard::snapshot_at(&services, &state.dashboards, &scope, stamp).await?;
    let table = dashboard::filtered(&snapshot, &query);
    if let Some(format) = query.format {
        return super::export::dashboard(format, &table.rows, snapshot.today);
    }
    Ok(HttpResponse::Ok().json(DashboardPage {
        items: table.page(page, per_page),
        total: table.rows.len() as u64,
        page,
        per_page,
        as_of: snapshot.today,
        rulebook_version: snapshot.rulebook_version,
        lights: table.lights,
    }))
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(national_dashboard);
}
