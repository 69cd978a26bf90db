//! The records behind a figure of a center's year, counted by the same rules as its metrics
//! (projects from the start of the cycle holding the year).

use chrono::Datelike;
use entities::centers;

use crate::{
    domain::{
        metrics::{
            self,
            records::{self, Figure, FigureRecords, Span},
        },
        reports,
        services::Services,
    },
    error::AppError,
};

/// The records behind `figure` of `year` (this year when `None`; a future year is 422) of
/// `center`, with their sum.
pub async fn figure_records(
    services: &Services<'_>,
    center: &centers::Model,
    year: Option<i32>,
    figure: Figure,
) -> Result<FigureRecords, AppError> {
    let year = year.unwrap_or(services.today.year());
    let as_of = metrics::evaluation_date(year, services.today)?;
    let rules = services
        .rulebook
        .in_force_on(services.db, as_of)
        .await?
        .rules;
    let cycle = reports::cycle_of(services.db, center.id, year).await?;
    let span = Span {
        center_id: center.id,
        year,
        as_of,
        cycle_start: cycle.map(|c| c.start_date),
        rules: &rules,
    };
    records::records(services.db, &span, figure).await
}
