//! One center's dashboard row, computed from its records: where it stands in its cycle, its
//! figures against the thresholds, the report that waits, its last result, its open proposals,
//! and the traffic light that sums them up.

use std::collections::HashMap;

use chrono::{Datelike, Days, NaiveDate};
use entities::{annual_reports, cycles, decisions, rectifications};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::states::DecisionKind;
use crate::domain::{
    centers::status as center_status,
    identifiers::Yuan,
    lifecycle::proposals::Proposal,
    metrics::ListedCenter,
    reports::{
        self,
        review::{BASICALLY_QUALIFIED, UNQUALIFIED},
        status as report_status,
    },
    rulebook::Rules,
};

/// A traffic light: red needs a decision or is late, amber needs watching, green is on track,
/// grey has exited. Ordered as a reviewer reads them, red first.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Light {
    Red,
    Amber,
    Green,
    Grey,
}

impl Light {
    /// The light's name as the API writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Light::Red => "red",
            Light::Amber => "amber",
            Light::Green => "green",
            Light::Grey => "grey",
        }
    }
}

/// Why a row is not green, as codes (the pages word them).
pub mod reason {
    pub const EXIT_PROPOSED: &str = "exit_proposed";
    pub const WITHDRAWAL_REQUESTED: &str = "withdrawal_requested";
    pub const REPORT_OVERDUE: &str = "report_overdue";
    pub const LAST_RESULT_UNQUALIFIED: &str = "last_result_unqualified";
    pub const REPORT_RETURNED: &str = "report_returned";
    pub const REPORT_DUE_SOON: &str = "report_due_soon";
    pub const LAST_RESULT_BASICALLY_QUALIFIED: &str = "last_result_basically_qualified";
    pub const OPERATION_BELOW_THRESHOLD: &str = "operation_below_threshold";
    pub const ALLIANCE_BELOW_THRESHOLD: &str = "alliance_below_threshold";
}

/// One center on the national dashboard.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DashboardRow {
    pub center_id: i32,
    pub name: String,
    pub level: String,
    /// Two-digit province code.
    pub province_code: String,
    pub region_code: String,
    pub province: String,
    pub industry: String,
    pub status: String,
    /// The cycle the center is in (the latest started), if any.
    pub cycle: Option<i32>,
    /// 1 to 3 inside the cycle's reporting years; none in the year the cycle starts or after it.
    pub cycle_year: Option<i32>,
    pub cycle_first_year: Option<i32>,
    pub cycle_last_year: Option<i32>,
    /// The year the figures are of (this year, as of today).
    pub year: i32,
    #[schema(value_type = String)]
    pub operation_amount: Yuan,
    #[schema(value_type = String)]
    pub operation_threshold: Yuan,
    pub operation_scale_passed: bool,
    pub projects_cumulative: i64,
    pub projects_threshold: u32,
    pub projects_passed: bool,
    pub alliance_counting_members: i64,
    pub alliance_threshold: u32,
    pub alliance_size_passed: bool,
    /// The report that waits: the earliest ended year not yet decided, else this year's, else
    /// the last one.
    pub report_year: Option<i32>,
    pub report_status: Option<String>,
    /// Its due date (for a returned report, the end of its correction period).
    pub report_due: Option<NaiveDate>,
    /// The submitted report waiting longest on its review and result, and since when.
    pub report_waiting_year: Option<i32>,
    pub report_waiting_since: Option<NaiveDate>,
    pub last_result: Option<String>,
    pub last_result_year: Option<i32>,
    /// The last day of the public notice of an exit decided but not yet effective.
    pub exit_notice_ends_on: Option<NaiveDate>,
    pub proposals: Vec<Proposal>,
    /// Since when a filed rectification report has waited on its decision.
    pub rectification_waiting_since: Option<NaiveDate>,
    /// Since when the cycle evaluation has waited (its last year's result recorded).
    pub cycle_result_waiting_since: Option<NaiveDate>,
    pub light: Light,
    pub light_reasons: Vec<&'static str>,
}

/// What a center's row is computed from besides its listed figures.
#[derive(Default)]
pub struct Facts<'a> {
    pub cycles: &'a [cycles::Model],
    pub reports: HashMap<i32, &'a annual_reports::Model>,
    pub decisions: &'a [decisions::Model],
    pub rectifications: &'a [rectifications::Model],
    pub proposals: Vec<Proposal>,
    /// The rules each reporting year is read under (its due date), when they differ from today's.
    pub year_rules: Option<&'a HashMap<i32, Rules>>,
}

/// The row of `listed` on `today` under `rules`.
pub fn row(
    listed: &ListedCenter,
    facts: Facts<'_>,
    rules: &Rules,
    today: NaiveDate,
) -> DashboardRow {
    let center = &listed.center;
    let indicators = &listed.indicators;
    let cycle = facts
        .cycles
        .iter()
        .filter(|c| c.start_date <= today)
        .max_by_key(|c| c.number);
    let this_year = today.year();
    let cycle_year = cycle
        .filter(|c| (c.first_year..=c.last_year).contains(&this_year))
        .map(|c| this_year - c.first_year + 1);
    let report = waiting_report(&facts, rules, today);
    let last = facts
        .decisions
        .iter()
        .filter(|d| DecisionKind::AnnualResult.is(&d.kind))
        .max_by_key(|d| d.year);
    let projects_passed = indicators.projects_cumulative >= i64::from(rules.project_threshold);
    let decided_years: Vec<i32> = facts
        .decisions
        .iter()
        .filter(|d| DecisionKind::AnnualResult.is(&d.kind))
        .filter_map(|d| d.year)
        .collect();
    let report_waiting = facts
        .reports
        .values()
        .filter(|r| r.status == report_status::SUBMITTED && !decided_years.contains(&r.year))
        .min_by_key(|r| (r.updated_at, r.year))
        .map(|r| (r.year, crate::clock::china_date(r.updated_at)));
    let cycle_result_waiting_since = cycle.and_then(|c| {
        let decided = |kind: DecisionKind| {
            facts
                .decisions
                .iter()
                .find(|d| kind.is(&d.kind) && d.year == Some(c.last_year))
        };
        match (
            decided(DecisionKind::AnnualResult),
            decided(DecisionKind::CycleResult),
        ) {
            (Some(last), None) => Some(crate::clock::china_date(last.decided_at)),
            _ => None,
        }
    });
    let rectification_waiting_since = facts
        .rectifications
        .iter()
        .filter(|r| r.status == crate::domain::lifecycle::rectification::status::SUBMITTED)
        .filter_map(|r| r.submitted_at.map(crate::clock::china_date))
        .min();
    let mut row = DashboardRow {
        center_id: center.id,
        name: center.name.clone(),
        level: center.level.clone(),
        province_code: center.region_code.chars().take(2).collect(),
        region_code: center.region_code.clone(),
        province: crate::domain::centers::province_name(&center.region_code),
        industry: center.industry.clone(),
        status: center.status.clone(),
        cycle: cycle.map(|c| c.number),
        cycle_year,
        cycle_first_year: cycle.map(|c| c.first_year),
        cycle_last_year: cycle.map(|c| c.last_year),
        year: indicators.year,
        operation_amount: indicators.operation_amount,
        operation_threshold: rules.annual_amount_threshold,
        operation_scale_passed: indicators.operation_scale_passed,
        projects_cumulative: indicators.projects_cumulative,
        projects_threshold: rules.project_threshold,
        projects_passed,
        alliance_counting_members: indicators.alliance_counting_members,
        alliance_threshold: rules.alliance_threshold,
        alliance_size_passed: indicators.alliance_size_passed,
        report_year: report.map(|r| r.0),
        report_status: report.map(|r| r.1.to_string()),
        report_due: report.map(|r| r.2),
        report_waiting_year: report_waiting.map(|r| r.0),
        report_waiting_since: report_waiting.map(|r| r.1),
        rectification_waiting_since,
        cycle_result_waiting_since,
        last_result: last.and_then(|d| d.result.clone()),
        last_result_year: last.and_then(|d| d.year),
        exit_notice_ends_on: (facts.decisions.iter())
            .find(|d| d.kind == DecisionKind::Exit.as_str() && d.effective_on.is_none())
            .and_then(|d| d.notice_ends_on),
        proposals: facts.proposals,
        light: Light::Green,
        light_reasons: Vec::new(),
    };
    (row.light, row.light_reasons) = light(&row, rules, today);
    row
}

/// The report that waits on someone: `(year, shown status, due date)`.
fn waiting_report(
    facts: &Facts<'_>,
    rules: &Rules,
    today: NaiveDate,
) -> Option<(i32, &'static str, NaiveDate)> {
    let results: HashMap<i32, ()> = facts
        .decisions
        .iter()
        .filter(|d| DecisionKind::AnnualResult.is(&d.kind))
        .filter_map(|d| d.year.map(|y| (y, ())))
        .collect();
    let mut years: Vec<i32> = facts
        .cycles
        .iter()
        .flat_map(|c| c.first_year..=c.last_year)
        .collect();
    years.sort_unstable();
    let this_year = today.year();
    let pick = years
        .iter()
        .find(|y| **y < this_year && !results.contains_key(y))
        .or_else(|| years.iter().find(|y| **y >= this_year))
        .or_else(|| years.last())?;
    let extension = facts
        .decisions
        .iter()
        .filter(|d| DecisionKind::Extension.is(&d.kind) && d.year == Some(*pick))
        .filter_map(|d| d.new_due_date)
        .max();
    let of_year = facts
        .year_rules
        .and_then(|all| all.get(pick))
        .unwrap_or(rules);
    let report_year = reports::ReportYear {
        year: *pick,
        stored: facts.reports.get(pick).copied(),
        extension,
        decided: results.contains_key(pick),
    };
    Some((
        *pick,
        report_year.status(of_year, today),
        report_year.deadline(of_year, today),
    ))
}

/// The light of a row and every reason it is not green, the red ones first.
fn light(row: &DashboardRow, rules: &Rules, today: NaiveDate) -> (Light, Vec<&'static str>) {
    if row.status == center_status::EXITED {
        return (Light::Grey, Vec::new());
    }
    let mut red = Vec::new();
    for p in &row.proposals {
        let why = if p.kind == "withdrawal" {
            reason::WITHDRAWAL_REQUESTED
        } else {
            reason::EXIT_PROPOSED
        };
        if !red.contains(&why) {
            red.push(why);
        }
    }
    let status = row.report_status.as_deref();
    if status == Some(report_status::OVERDUE) {
        red.push(reason::REPORT_OVERDUE);
    }
    if row.last_result.as_deref() == Some(UNQUALIFIED) {
        red.push(reason::LAST_RESULT_UNQUALIFIED);
    }
    let mut amber = Vec::new();
    if status == Some(report_status::RETURNED) {
        amber.push(reason::REPORT_RETURNED);
    }
    let soon = rules
        .reminder_days_before
        .iter()
        .copied()
        .max()
        .unwrap_or(0);
    let waiting_on_center = matches!(status, Some(report_status::NOT_DUE | report_status::DRAFT));
    let horizon = today.checked_add_days(Days::new(u64::from(soon)));
    if waiting_on_center && row.report_due.zip(horizon).is_some_and(|(due, h)| due <= h) {
        amber.push(reason::REPORT_DUE_SOON);
    }
    if row.last_result.as_deref() == Some(BASICALLY_QUALIFIED) {
        amber.push(reason::LAST_RESULT_BASICALLY_QUALIFIED);
    }
    if !row.operation_scale_passed {
        amber.push(reason::OPERATION_BELOW_THRESHOLD);
    }
    if !row.alliance_size_passed {
        amber.push(reason::ALLIANCE_BELOW_THRESHOLD);
    }
    let light = if !red.is_empty() {
        Light::Red
    } else if !amber.is_empty() {
        Light::Amber
    } else {
        Light::Green
    };
    red.extend(amber);
    (light, red)
}
