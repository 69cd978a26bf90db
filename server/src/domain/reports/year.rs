//! A reporting year as the rules read it: when its report is due, until when it may still be
//! filed, and the state a reader sees — the one reading of these that reports, reminders and the
//! dashboard share.

use chrono::NaiveDate;
use entities::annual_reports;

use super::status;
use crate::domain::rulebook::Rules;

/// A reporting year: its stored report (if any), the latest due date an `extension` decision
/// granted (if any), and whether its annual result is recorded.
#[derive(Debug, Clone, Copy)]
pub struct ReportYear<'a> {
    pub year: i32,
    pub stored: Option<&'a annual_reports::Model>,
    pub extension: Option<NaiveDate>,
    pub decided: bool,
}

impl ReportYear<'_> {
    /// A year with no report stored, no extension and no result.
    pub fn plain(year: i32) -> ReportYear<'static> {
        ReportYear {
            year,
            stored: None,
            extension: None,
            decided: false,
        }
    }

    /// The due date in force: the extension's, else the rulebook's `report_due_month_day` of
    /// the following year under `rules` (those of the year).
    pub fn due(&self, rules: &Rules) -> NaiveDate {
        self.extension.unwrap_or_else(|| due_date(self.year, rules))
    }

    /// The state a reader sees on `today`: `decided` once the result is recorded; otherwise
    /// see [`shown_status`].
    pub fn status(&self, rules: &Rules, today: NaiveDate) -> &'static str {
        if self.decided {
            status::DECIDED
        } else {
            shown_status(self.stored, self.due(rules), today)
        }
    }

    /// The last day the center may still file on `today`: a returned report's correction
    /// period, otherwise the due date.
    pub fn deadline(&self, rules: &Rules, today: NaiveDate) -> NaiveDate {
        match (
            self.status(rules, today),
            self.stored.and_then(|r| r.correction_due),
        ) {
            (status::RETURNED, Some(correction_due)) => correction_due,
            _ => self.due(rules),
        }
    }
}

/// The day the report of `year` is due: `report_due_month_day` of the following year.
fn due_date(year: i32, rules: &Rules) -> NaiveDate {
    NaiveDate::parse_from_str(
        &format!("{}-{}", year + 1, rules.report_due_month_day),
        "%Y-%m-%d",
    )
    // the rulebook checks the month-day it stores; the policy's is the fallback
    .or_else(|_| {
        NaiveDate::parse_from_str(
            &format!("{}-{}", year + 1, Rules::policy().report_due_month_day),
            "%Y-%m-%d",
        )
    })
    .unwrap_or_default()
}

/// The status a reader sees: a stored `draft` (or no report) is `not_due` until the due date and
/// `overdue` after it; a `returned` one is `overdue` once its correction period has passed.
fn shown_status(
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
