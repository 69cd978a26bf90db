//! What recording an annual result checks and claims: the experts' scores of a submitted report,
//! and the report itself, moved to `decided` once.

use chrono::{DateTime, Utc};
use entities::{annual_reports, centers};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, sea_query::Expr,
};

use super::record::conflict;
use crate::{
    domain::reports::{self, status as report_status},
    error::AppError,
};

/// 409 unless every expert assigned to the submitted report of `year` — at least `min_experts` —
/// has scored it (an overdue report, never submitted, is decided without a review).
pub(super) async fn require_scores(
    db: &impl ConnectionTrait,
    center: &centers::Model,
    year: i32,
    min_experts: u32,
) -> Result<(), AppError> {
    let report = reports::stored_report(db, center.id, year)
        .await?
        .ok_or(AppError::NotFound)?;
    let all =
        crate::domain::review::assignments(db, crate::domain::review::Subject::Report(report.id))
            .await?;
    if crate::domain::review::all_scored(&all, min_experts) {
        return Ok(());
    }
    let active = all.iter().filter(|a| a.active).count();
    let scored = all
        .iter()
        .filter(|a| a.active && a.scored_at.is_some())
        .count();
    Err(conflict(
        format!(
            "须由至少 {min_experts} 位在任专家全部评分后才能记录结果（在任 {active} 位，已评分 {scored} 位）"
        ),
        format!(
            "every assigned expert, at least {min_experts}, must score before the result ({active} assigned, {scored} scored)"
        ),
    ))
}

/// Moves the report of `year` to `decided` inside the decision's transaction — only from an
/// undecided state, so of two results sent at once exactly one is recorded (409 for the other).
/// An overdue report never saved is created decided; the unique (center, year) index admits one.
pub(super) async fn claim_report(
    db: &impl ConnectionTrait,
    center: &centers::Model,
    year: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let already = || {
        conflict(
            format!("{year} 年度结果已记录"),
            format!("the {year} result is already recorded"),
        )
    };
    match reports::stored_report(db, center.id, year).await? {
        Some(report) => {
            let claimed = annual_reports::Entity::update_many()
                .col_expr(
                    annual_reports::Column::Status,
                    Expr::value(report_status::DECIDED),
                )
                .col_expr(
                    annual_reports::Column::Version,
                    Expr::value(report.version + 1),
                )
                .col_expr(annual_reports::Column::UpdatedAt, Expr::value(now))
                .filter(annual_reports::Column::Id.eq(report.id))
                .filter(annual_reports::Column::Status.ne(report_status::DECIDED))
                .exec(db)
                .await?;
            if claimed.rows_affected == 1 {
                Ok(())
            } else {
                Err(already())
            }
        }
        None => {
            let cycle = reports::cycle_of(db, center.id, year)
                .await?
                .ok_or(AppError::NotFound)?;
            annual_reports::ActiveModel {
                center_id: Set(center.id),
                cycle_id: Set(cycle.id),
                year: Set(year),
                status: Set(report_status::DECIDED.to_string()),
                narratives: Set("{}".into()),
                nothing_to_report: Set("[]".into()),
                revision: Set(0),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await
            .map(|_| ())
            .map_err(|_| already())
        }
    }
}
