//! Filtering and sorting the dashboard's rows: every column filters and sorts.

use std::{cmp::Ordering, collections::BTreeMap};

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::row::{DashboardRow, Light};
use crate::domain::{centers::CenterLevel, reports::status as report_status};

/// A criterion's state, for filtering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Passing {
    Passed,
    Failed,
}

/// Which open proposals a row has, for filtering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProposalFilter {
    Any,
    None,
    Exit,
    Withdrawal,
}

/// Report states, for filtering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatusFilter {
    NotDue,
    Draft,
    Submitted,
    Returned,
    Overdue,
    Decided,
}

/// Last annual results, for filtering (`none`: no result yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ResultFilter {
    Qualified,
    BasicallyQualified,
    Unqualified,
    None,
}

/// Center states, for filtering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatusFilter {
    Draft,
    UnderNotice,
    Accredited,
    Exited,
}

/// The columns the dashboard sorts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SortColumn {
    /// Red first, then the earliest report due date.
    #[default]
    Light,
    Name,
    Level,
    Province,
    Industry,
    Status,
    Cycle,
    Amount,
    Projects,
    Alliance,
    ReportStatus,
    ReportDue,
    LastResult,
    Proposals,
}

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SortDirection {
    #[default]
    Asc,
    Desc,
}

/// The dashboard's filters (each narrows; leave out what should not), sort, page and format.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
pub struct DashboardQuery {
    pub level: Option<CenterLevel>,
    /// Two-digit province code, e.g. `32`.
    pub province: Option<String>,
    pub industry: Option<String>,
    pub status: Option<StatusFilter>,
    /// 1 to 3; 0 for a center outside its cycle's reporting years.
    pub cycle_year: Option<i32>,
    pub light: Option<Light>,
    pub operation: Option<Passing>,
    pub projects: Option<Passing>,
    pub alliance: Option<Passing>,
    pub report_status: Option<ReportStatusFilter>,
    pub last_result: Option<ResultFilter>,
    pub proposal: Option<ProposalFilter>,
    /// Part of the name.
    pub q: Option<String>,
    pub sort: Option<SortColumn>,
    pub dir: Option<SortDirection>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
    pub format: Option<crate::domain::paging::ExportFormat>,
}

fn text(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn snake<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

impl DashboardQuery {
    /// Whether `row` passes every filter.
    pub fn keeps(&self, row: &DashboardRow) -> bool {
        let passing = |want: Option<Passing>, passed: bool| {
            want.is_none_or(|w| (w == Passing::Passed) == passed)
        };
        self.level.is_none_or(|l| l.as_str() == row.level)
            && text(&self.province).is_none_or(|p| row.province_code.starts_with(p))
            && text(&self.industry).is_none_or(|i| row.industry == i)
            && self.status.is_none_or(|s| snake(&s) == row.status)
            && self
                .cycle_year
                .is_none_or(|y| row.cycle_year.unwrap_or(0) == y)
            && self.light.is_none_or(|l| l == row.light)
            && passing(self.operation, row.operation_scale_passed)
            && passing(self.projects, row.projects_passed)
            && passing(self.alliance, row.alliance_size_passed)
            && self
                .report_status
                .is_none_or(|s| row.report_status.as_deref() == Some(snake(&s).as_str()))
            && self.last_result.is_none_or(|r| match r {
                ResultFilter::None => row.last_result.is_none(),
                _ => row.last_result.as_deref() == Some(snake(&r).as_str()),
            })
            && self.proposal.is_none_or(|p| match p {
                ProposalFilter::Any => !row.proposals.is_empty(),
                ProposalFilter::None => row.proposals.is_empty(),
                ProposalFilter::Exit => row.proposals.iter().any(|x| x.kind == "exit"),
                ProposalFilter::Withdrawal => row.proposals.iter().any(|x| x.kind == "withdrawal"),
            })
            && text(&self.q).is_none_or(|q| row.name.contains(q))
    }

    /// Orders two rows by the chosen column and direction; ties by name.
    pub fn order(&self, a: &DashboardRow, b: &DashboardRow) -> Ordering {
        let by = match self.sort.unwrap_or_default() {
            SortColumn::Light => a.light.cmp(&b.light).then_with(|| {
                a.report_due
                    .unwrap_or(chrono::NaiveDate::MAX)
                    .cmp(&b.report_due.unwrap_or(chrono::NaiveDate::MAX))
            }),
            SortColumn::Name => a.name.cmp(&b.name),
            SortColumn::Level => level_rank(&a.level).cmp(&level_rank(&b.level)),
            SortColumn::Province => a.province_code.cmp(&b.province_code),
            SortColumn::Industry => a.industry.cmp(&b.industry),
            SortColumn::Status => a.status.cmp(&b.status),
            SortColumn::Cycle => (a.cycle, a.cycle_year).cmp(&(b.cycle, b.cycle_year)),
            SortColumn::Amount => a.operation_amount.cmp(&b.operation_amount),
            SortColumn::Projects => a.projects_cumulative.cmp(&b.projects_cumulative),
            SortColumn::Alliance => a
                .alliance_counting_members
                .cmp(&b.alliance_counting_members),
            SortColumn::ReportStatus => report_rank(a).cmp(&report_rank(b)),
            SortColumn::ReportDue => a.report_due.cmp(&b.report_due),
            SortColumn::LastResult => result_rank(a).cmp(&result_rank(b)),
            SortColumn::Proposals => a.proposals.len().cmp(&b.proposals.len()),
        };
        let by = match self.dir.unwrap_or_default() {
            SortDirection::Asc => by,
            SortDirection::Desc => by.reverse(),
        };
        by.then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.center_id.cmp(&b.center_id))
    }
}

fn level_rank(level: &str) -> u8 {
    match level {
        "national" => 0,
        "provincial" => 1,
        _ => 2,
    }
}

/// What waits most comes first.
fn report_rank(row: &DashboardRow) -> u8 {
    match row.report_status.as_deref() {
        Some(report_status::OVERDUE) => 0,
        Some(report_status::RETURNED) => 1,
        Some(report_status::SUBMITTED) => 2,
        Some(report_status::DRAFT) => 3,
        Some(report_status::NOT_DUE) => 4,
        Some(report_status::DECIDED) => 5,
        _ => 6,
    }
}

/// The worst result first.
fn result_rank(row: &DashboardRow) -> u8 {
    match row.last_result.as_deref() {
        Some("unqualified") => 0,
        Some("basically_qualified") => 1,
        Some("qualified") => 2,
        _ => 3,
    }
}

/// The rows a query keeps, in its order, and how many of them show each light.
pub struct Filtered<'a> {
    pub rows: Vec<&'a DashboardRow>,
    /// By light (`red`, `amber`, `green`, `grey`): how many rows show it.
    pub lights: BTreeMap<&'static str, u64>,
}

impl<'a> Filtered<'a> {
    /// `rows` with their lights counted.
    pub fn new(rows: Vec<&'a DashboardRow>) -> Filtered<'a> {
        let mut lights = BTreeMap::new();
        for row in &rows {
            *lights.entry(row.light.as_str()).or_insert(0) += 1;
        }
        Filtered { rows, lights }
    }

    /// Page `page` (from 1) of `per_page` rows.
    pub fn page(&self, page: u64, per_page: u64) -> Vec<&'a DashboardRow> {
        let start = usize::try_from((page - 1).saturating_mul(per_page)).unwrap_or(usize::MAX);
        let shown = usize::try_from(per_page).unwrap_or(usize::MAX);
        self.rows.iter().skip(start).take(shown).copied().collect()
    }

    /// How many pages of `per_page` rows there are (at least one).
    pub fn pages(&self, per_page: u64) -> u64 {
        (self.rows.len() as u64).div_ceil(per_page).max(1)
    }
}
