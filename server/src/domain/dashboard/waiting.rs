//! What waits on a decider, read off the dashboard: open proposals, submitted reports and filed
//! rectifications of the centers whose decisions are theirs, oldest first.

use chrono::NaiveDate;

use super::{Dashboard, DashboardRow};
use crate::{auth::CurrentUser, domain::jurisdiction::decides_on};

/// One thing that waits on a decider: what, about which center, since when, and where to act.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Waiting {
    pub center_id: i32,
    pub center_name: String,
    /// `proposal_exit`, `proposal_withdrawal`, `report_review`, `report_overdue`,
    /// `cycle_result` or `rectification_decision`.
    pub what: String,
    pub since: NaiveDate,
    pub href: String,
}

/// What waits on `user` among the dashboard's rows, oldest first: the proposals, submitted
/// reports, overdue reports, due cycle evaluations and filed rectifications of the centers whose
/// decisions are theirs
/// (cnipa: national centers; a local office: the local centers it decides on).
pub fn waiting_on(dashboard: &Dashboard, user: &CurrentUser) -> Vec<Waiting> {
    let decides = |row: &DashboardRow| decides_on(user, &row.level, &row.region_code);
    let mut items: Vec<Waiting> = Vec::new();
    for row in dashboard.rows.iter().filter(|r| decides(r)) {
        let item = |what: String, since: NaiveDate, href: String| Waiting {
            center_id: row.center_id,
            center_name: row.name.clone(),
            what,
            since,
            href,
        };
        for p in &row.proposals {
            items.push(item(
                format!("proposal_{}", p.kind),
                p.since,
                format!("/centers/{}/reports#proposals", row.center_id),
            ));
        }
        if let (Some(since), Some(year)) = (row.report_waiting_since, row.report_waiting_year) {
            items.push(item(
                "report_review".into(),
                since,
                format!("/centers/{}/reports/{year}", row.center_id),
            ));
        }
        if let (Some("overdue"), Some(year), Some(due)) = (
            row.report_status.as_deref(),
            row.report_year,
            row.report_due,
        ) {
            items.push(item(
                "report_overdue".into(),
                due,
                format!("/centers/{}/reports/{year}", row.center_id),
            ));
        }
        if let Some(since) = row.cycle_result_waiting_since {
            items.push(item(
                "cycle_result".into(),
                since,
                format!("/centers/{}/reports#decisions", row.center_id),
            ));
        }
        if let Some(since) = row.rectification_waiting_since {
            items.push(item(
                "rectification_decision".into(),
                since,
                format!("/centers/{}/reports#rectification", row.center_id),
            ));
        }
    }
    items.sort_by(|a, b| {
        a.since
            .cmp(&b.since)
            .then_with(|| a.center_name.cmp(&b.center_name))
    });
    items
}
