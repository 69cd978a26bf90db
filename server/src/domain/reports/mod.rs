//! Annual performance reports (年度绩效报告): the reporting calendar of every cycle (computed,
//! never typed), the draft, submission with the year's figures frozen as a revision, and return
//! for correction. A cycle's reports stay with it when filed after it ends.

pub mod diff;
mod filing;
pub mod page;
pub mod review;
mod year;

pub use filing::{return_report, save, submit};
pub use year::ReportYear;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use entities::{annual_report_revisions, annual_reports, centers, cycles, decisions};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    narratives::{json_list, json_map},
    rulebook::Rules,
    services::Services,
};
use crate::domain::states::DecisionKind;
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
    /// The proposal's reasons, each "中文 / English".
    pub proposal_reasons: Vec<String>,
    /// The same reasons, for a reader of one language.
    #[serde(skip)]
    pub reasons: Vec<crate::i18n::Msg>,
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

/// A report with every submitted revision and what changed from each to the next.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportDetail {
    #[serde(flatten)]
    pub report: ReportView,
    pub revisions: Vec<RevisionView>,
    pub differences: Vec<diff::RevisionDiff>,
}

/// `{"reason","correction_days"?}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReturnInput {
    #[serde(default)]
    pub reason: String,
    pub correction_days: Option<u32>,
}

/// The rules a reporting year is read under: those in force at its end (31 December), or today
/// for a year not yet ended — so a later rulebook never moves a past due date or proposal.
pub(crate) async fn year_rules(services: &Services<'_>, year: i32) -> Result<Rules, AppError> {
    rules_of_year(services.db, services.rulebook, year, services.today).await
}

/// [`year_rules`] from the rulebook cache itself, for readers without the workflow's services.
pub(crate) async fn rules_of_year(
    db: &impl ConnectionTrait,
    rulebook: &super::rulebook::RulebookCache,
    year: i32,
    today: NaiveDate,
) -> Result<Rules, AppError> {
    let year_end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(today);
    Ok(rulebook.in_force_on(db, year_end.min(today)).await?.rules)
}

/// The cycle of `center` whose reporting years hold `year`.
pub(crate) async fn cycle_of(
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

/// What the reports of a center are shown with, read once per center: stored reports, the
/// latest revision's figures, review assignments and decisions.
struct Facts {
    stored: BTreeMap<i32, annual_reports::Model>,
    latest_figures: BTreeMap<i32, serde_json::Value>,
    assignments: BTreeMap<i32, Vec<entities::review_assignments::Model>>,
    results: BTreeMap<i32, String>,
    /// What the system proposed when each year's result was recorded.
    decided_proposals: BTreeMap<i32, Option<String>>,
    extensions: BTreeMap<i32, NaiveDate>,
}

async fn facts(db: &impl ConnectionTrait, center_id: i32) -> Result<Facts, AppError> {
    let stored: BTreeMap<i32, annual_reports::Model> = annual_reports::Entity::find()
        .filter(annual_reports::Column::CenterId.eq(center_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.year, r))
        .collect();
    let ids: Vec<i32> = stored.values().map(|r| r.id).collect();
    let mut latest_figures = BTreeMap::new();
    for revision in annual_report_revisions::Entity::find()
        .filter(annual_report_revisions::Column::ReportId.is_in(ids.clone()))
        .order_by_asc(annual_report_revisions::Column::Revision)
        .all(db)
        .await?
    {
        latest_figures.insert(
            revision.report_id,
            serde_json::from_str(&revision.snapshot).unwrap_or_default(),
        );
    }
    let mut assignments: BTreeMap<i32, Vec<_>> = BTreeMap::new();
    for a in entities::review_assignments::Entity::find()
        .filter(entities::review_assignments::Column::SubjectKind.eq("report"))
        .filter(entities::review_assignments::Column::SubjectId.is_in(ids))
        .order_by_asc(entities::review_assignments::Column::Id)
        .all(db)
        .await?
    {
        assignments.entry(a.subject_id).or_default().push(a);
    }
    let (mut results, mut extensions) = (BTreeMap::new(), BTreeMap::new());
    let mut decided_proposals = BTreeMap::new();
    for d in decisions::Entity::find()
        .filter(decisions::Column::CenterId.eq(center_id))
        .order_by_asc(decisions::Column::Id)
        .all(db)
        .await?
    {
        match (DecisionKind::parse(&d.kind), d.year) {
            (Some(DecisionKind::AnnualResult), Some(year)) => {
                results.insert(year, d.result.unwrap_or_default());
                decided_proposals.insert(year, d.proposed_result);
            }
            (Some(DecisionKind::Extension), Some(year)) => {
                if let Some(date) = d.new_due_date {
                    extensions.insert(year, date);
                }
            }
            _ => {}
        }
    }
    Ok(Facts {
        stored,
        latest_figures,
        assignments,
        results,
        decided_proposals,
        extensions,
    })
}

/// The latest due date an `extension` decision granted the report of `year` of a center.
pub(crate) async fn extension_of(
    db: &impl ConnectionTrait,
    center_id: i32,
    year: i32,
) -> Result<Option<NaiveDate>, AppError> {
    let extension = decisions::Entity::find()
        .filter(decisions::Column::CenterId.eq(center_id))
        .filter(decisions::Column::Kind.eq(DecisionKind::Extension.as_str()))
        .filter(decisions::Column::Year.eq(year))
        .order_by_desc(decisions::Column::Id)
        .one(db)
        .await?;
    Ok(extension.and_then(|d| d.new_due_date))
}

fn view(
    cycle: &cycles::Model,
    year: i32,
    facts: &Facts,
    rules: &Rules,
    today: NaiveDate,
) -> ReportView {
    let stored = facts.stored.get(&year);
    let report_year = ReportYear {
        year,
        stored,
        extension: facts.extensions.get(&year).copied(),
        decided: facts.results.contains_key(&year),
    };
    let due = report_year.due(rules);
    // the proposal reads the report as it stood before any result
    let shown = ReportYear {
        decided: false,
        ..report_year
    }
    .status(rules, today);
    let no_assignments = Vec::new();
    let (proposed, reasons) = review::propose(
        shown == status::OVERDUE,
        due,
        stored.and_then(|r| facts.latest_figures.get(&r.id)),
        stored
            .and_then(|r| facts.assignments.get(&r.id))
            .unwrap_or(&no_assignments),
        rules,
    );
    // a recorded result keeps the proposal it was made against, whatever changed since
    let (proposed, reasons) = match facts.decided_proposals.get(&year) {
        Some(stored) => (stored.clone(), Vec::new()),
        None => (proposed.map(str::to_string), reasons),
    };
    ReportView {
        cycle: cycle.number,
        year,
        due_date: due,
        status: report_year.status(rules, today).to_string(),
        revision: stored.map_or(0, |r| r.revision),
        version: stored.map(|r| r.version),
        narratives: stored.map(|r| json_map(&r.narratives)).unwrap_or_default(),
        nothing_to_report: stored
            .map(|r| json_list(&r.nothing_to_report))
            .unwrap_or_default(),
        return_reason: stored.and_then(|r| r.return_reason.clone()),
        correction_due: stored.and_then(|r| r.correction_due),
        proposed_result: proposed,
        proposal_reasons: reasons
            .iter()
            .map(|m| format!("{} / {}", m.zh, m.en))
            .collect(),
        reasons,
        result: facts.results.get(&year).cloned(),
    }
}

/// The reporting years of every cycle of `center`, in order, with due dates, statuses, the
/// proposed and the recorded result, read on `db` (a transaction's own when a decision checks it).
pub async fn calendar(
    db: &impl ConnectionTrait,
    services: &Services<'_>,
    center: &centers::Model,
) -> Result<Vec<ReportView>, AppError> {
    let cycles = cycles::Entity::find()
        .filter(cycles::Column::CenterId.eq(center.id))
        .order_by_asc(cycles::Column::Number)
        .all(db)
        .await?;
    let facts = facts(db, center.id).await?;
    let mut views = Vec::new();
    for cycle in &cycles {
        for year in cycle.first_year..=cycle.last_year {
            let rules = year_rules(services, year).await?;
            views.push(view(cycle, year, &facts, &rules, services.today));
        }
    }
    Ok(views)
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
    let rules = year_rules(services, year).await?;
    let facts = facts(services.db, center.id).await?;
    let revisions = match facts.stored.get(&year) {
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
        report: view(&cycle, year, &facts, &rules, services.today),
        differences: diff::differences(&revisions),
        revisions,
    })
}

pub(crate) async fn stored_report(
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
