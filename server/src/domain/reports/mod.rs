//! Annual performance reports (年度绩效报告): the reporting calendar of every cycle (computed,
//! never typed), the draft, submission with the year's figures frozen as a revision, and return
//! for correction. A cycle's reports stay with it when filed after it ends.

mod filing;

pub use filing::{return_report, save, submit};

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use entities::{annual_report_revisions, annual_reports, centers, cycles};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    accreditation::Services,
    narratives::{json_list, json_map},
    rulebook::Rules,
};
use crate::error::AppError;

/// Report states as readers see them (`not_due` and `overdue` are computed from the calendar).
pub mod status {
    pub const NOT_DUE: &str = "not_due";
    pub const DRAFT: &str = "draft";
    pub const SUBMITTED: &str = "submitted";
    pub const RETURNED: &str = "returned";
    pub const OVERDUE: &str = "overdue";
    pub const DECIDED: &str = "decided";
}

/// One reporting year of a center as its readers see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportView {
    pub cycle: i32,
    pub year: i32,
    pub due_date: NaiveDate,
    pub status: String,
    pub revision: i32,
    /// None for a report never saved.
    pub version: Option<i32>,
    pub narratives: BTreeMap<String, String>,
    pub nothing_to_report: Vec<String>,
    pub return_reason: Option<String>,
    pub correction_due: Option<NaiveDate>,
    pub proposed_result: Option<String>,
    pub proposal_reasons: Vec<String>,
    pub result: Option<String>,
}

/// One submitted revision, frozen.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RevisionView {
    pub revision: i32,
    pub narratives: BTreeMap<String, String>,
    pub nothing_to_report: Vec<String>,
    /// The year's figures and verdicts at submission.
    #[schema(value_type = Object)]
    pub figures: serde_json::Value,
    pub rulebook_version: i32,
    pub submitted_at: DateTime<Utc>,
}

/// A report with every submitted revision.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportDetail {
    #[serde(flatten)]
    pub report: ReportView,
    pub revisions: Vec<RevisionView>,
}

/// `{"reason","correction_days"?}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReturnInput {
    #[serde(default)]
    pub reason: String,
    pub correction_days: Option<u32>,
}

/// The day the report of `year` is due: `report_due_month_day` of the following year.
pub fn due_date(year: i32, rules: &Rules) -> NaiveDate {
    NaiveDate::parse_from_str(
        &format!("{}-{}", year + 1, rules.report_due_month_day),
        "%Y-%m-%d",
    )
    .unwrap_or_else(|_| NaiveDate::from_ymd_opt(year + 1, 3, 31).unwrap_or_default())
}

/// The status a reader sees: a stored `draft` (or no report) is `not_due` until the due date and
/// `overdue` after it; a `returned` one is `overdue` once its correction period has passed.
pub fn shown_status(
    stored: Option<&annual_reports::Model>,
    due: NaiveDate,
    today: NaiveDate,
) -> &'static str {
    match stored.map(|r| r.status.as_str()) {
        None if today > due => status::OVERDUE,
        None => status::NOT_DUE,
        Some(status::DRAFT) if today > due => status::OVERDUE,
        Some(status::DRAFT) => status::DRAFT,
        Some(status::RETURNED) => match stored.and_then(|r| r.correction_due) {
            Some(last) if today > last => status::OVERDUE,
            _ => status::RETURNED,
        },
        Some(status::SUBMITTED) => status::SUBMITTED,
        Some(_) => status::DECIDED,
    }
}

/// The cycle of `center` whose reporting years hold `year`.
async fn cycle_of(
    db: &impl ConnectionTrait,
    center_id: i32,
    year: i32,
) -> Result<Option<cycles::Model>, AppError> {
    Ok(cycles::Entity::find()
        .filter(cycles::Column::CenterId.eq(center_id))
        .filter(cycles::Column::FirstYear.lte(year))
        .filter(cycles::Column::LastYear.gte(year))
        .one(db)
        .await?)
}

fn view(
    cycle: &cycles::Model,
    year: i32,
    stored: Option<&annual_reports::Model>,
    rules: &Rules,
    today: NaiveDate,
) -> ReportView {
    let due = due_date(year, rules);
    let shown = shown_status(stored, due, today);
    let overdue = shown == status::OVERDUE;
    ReportView {
        cycle: cycle.number,
        year,
        due_date: due,
        status: shown.to_string(),
        revision: stored.map_or(0, |r| r.revision),
        version: stored.map(|r| r.version),
        narratives: stored.map(|r| json_map(&r.narratives)).unwrap_or_default(),
        nothing_to_report: stored
            .map(|r| json_list(&r.nothing_to_report))
            .unwrap_or_default(),
        return_reason: stored.and_then(|r| r.return_reason.clone()),
        correction_due: stored.and_then(|r| r.correction_due),
        // an overdue report is proposed unqualified; the review proposes the rest (later)
        proposed_result: overdue.then(|| "unqualified".to_string()),
        proposal_reasons: if overdue {
            vec![format!(
                "报告逾期未提交（截止 {due}） / the report is overdue (due {due})"
            )]
        } else {
            Vec::new()
        },
        result: None,
    }
}

/// The reporting years of every cycle of `center`, in order, with due dates and statuses.
pub async fn calendar(
    services: &Services<'_>,
    center: &centers::Model,
) -> Result<Vec<ReportView>, AppError> {
    let rules = services
        .rulebook
        .in_force_on(services.db, services.today)
        .await?
        .rules;
    let cycles = cycles::Entity::find()
        .filter(cycles::Column::CenterId.eq(center.id))
        .order_by_asc(cycles::Column::Number)
        .all(services.db)
        .await?;
    let stored: BTreeMap<i32, annual_reports::Model> = annual_reports::Entity::find()
        .filter(annual_reports::Column::CenterId.eq(center.id))
        .all(services.db)
        .await?
        .into_iter()
        .map(|r| (r.year, r))
        .collect();
    Ok(cycles
        .iter()
        .flat_map(|cycle| {
            (cycle.first_year..=cycle.last_year)
                .map(|year| view(cycle, year, stored.get(&year), &rules, services.today))
                .collect::<Vec<_>>()
        })
        .collect())
}

/// The report of `year` with every submitted revision (404 for a year of no cycle).
pub async fn detail(
    services: &Services<'_>,
    center: &centers::Model,
    year: i32,
) -> Result<ReportDetail, AppError> {
    let cycle = cycle_of(services.db, center.id, year)
        .await?
        .ok_or(AppError::NotFound)?;
    let rules = services
        .rulebook
        .in_force_on(services.db, services.today)
        .await?
        .rules;
    let stored = stored_report(services.db, center.id, year).await?;
    let revisions = match &stored {
        Some(report) => annual_report_revisions::Entity::find()
            .filter(annual_report_revisions::Column::ReportId.eq(report.id))
            .order_by_asc(annual_report_revisions::Column::Revision)
            .all(services.db)
            .await?
            .into_iter()
            .map(|r| RevisionView {
                revision: r.revision,
                narratives: json_map(&r.narratives),
                nothing_to_report: json_list(&r.nothing_to_report),
                figures: serde_json::from_str(&r.snapshot).unwrap_or_default(),
                rulebook_version: r.rulebook_version,
                submitted_at: r.submitted_at,
            })
            .collect(),
        None => Vec::new(),
    };
    Ok(ReportDetail {
        report: view(&cycle, year, stored.as_ref(), &rules, services.today),
        revisions,
    })
}

async fn stored_report(
    db: &impl ConnectionTrait,
    center_id: i32,
    year: i32,
) -> Result<Option<annual_reports::Model>, AppError> {
    Ok(annual_reports::Entity::find()
        .filter(annual_reports::Column::CenterId.eq(center_id))
        .filter(annual_reports::Column::Year.eq(year))
        .one(db)
        .await?)
}
