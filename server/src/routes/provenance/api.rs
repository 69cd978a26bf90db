//! `GET /api/v1/centers/{id}/metrics/records`: the exact records behind a figure of a year.

use actix_web::{HttpResponse, get, web};
use chrono::Datelike;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::{
    auth::CurrentUser,
    domain::{
        access,
        metrics::{
            self,
            records::{self, Figure, FigureRecords, Span},
        },
        reports,
    },
    error::{AppError, ErrorBody},
    state::AppState,
    web::extract::ApiQuery,
};

/// `?year=YYYY&figure=…`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct RecordsQuery {
    /// The year (this year when left out).
    pub year: Option<i32>,
    pub figure: Figure,
}

/// The records behind one figure of a year (readers of the center), counted by the same rules as
/// the metrics: their sum equals the figure.
#[utoipa::path(get, path = "/api/v1/centers/{id}/metrics/records", tag = "centers", security(("bearer" = [])),
    params(("id" = i32, Path), RecordsQuery),
    responses((status = 200, body = FigureRecords), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
#[get("/centers/{id}/metrics/records")]
pub async fn figure_records(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    query: ApiQuery<RecordsQuery>,
) -> Result<HttpResponse, AppError> {
    let center = access::readable_center(&state.db, &user, id.into_inner()).await?;
    let today = state.clock.today();
    let year = query.0.year.unwrap_or(today.year());
    let as_of = metrics::evaluation_date(year, today)?;
    let rules = state.rulebook.in_force_on(&state.db, as_of).await?.rules;
    let cycle = reports::cycle_of(&state.db, center.id, year).await?;
    let span = Span {
        center_id: center.id,
        year,
        as_of,
        cycle_start: cycle.map(|c| c.start_date),
        rules: &rules,
    };
    Ok(HttpResponse::Ok().json(records::records(&state.db, &span, query.0.figure).await?))
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(figure_records);
}
