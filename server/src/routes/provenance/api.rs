//! `GET /api/v1/centers/{id}/metrics/records`: the exact records behind a figure of a year.

use actix_web::{HttpResponse, get, web};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::{
    auth::CurrentUser,
    domain::{
        access,
        metrics::records::{Figure, FigureRecords},
        views::provenance,
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
    let (year, figure) = (query.0.year, query.0.figure);
    let records = provenance::figure_records(&state.services(), &center, year, figure).await?;
    Ok(HttpResponse::Ok().json(records))
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(figure_records);
}
