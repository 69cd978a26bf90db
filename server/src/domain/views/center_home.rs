//! A center's home: its profile, this year's progress to each threshold with the verdicts, its
//! active alliance members and latest deals, and whether the caller may add records there.

use chrono::Datelike;
use entities::centers;

use crate::{
    auth::CurrentUser,
    domain::{
        alliance::{self, MemberStatusFilter, MembershipView},
        centers::CenterView,
        identifiers::Yuan,
        ledger::{TransactionView, records, transactions_filter},
        metrics::{self, Metrics},
        organizations,
        paging::Paged,
        services::Services,
    },
    error::AppError,
};

/// Members and deals shown on the home (the full lists are a link away).
const MEMBERS_SHOWN: u64 = 20;
const DEALS_SHOWN: u64 = 10;

/// A figure on its way to a threshold.
pub enum Figure {
    Amount(Yuan),
    Count(i64),
}

/// One figure's progress to its threshold.
pub struct Progress {
    /// The figure's name (`operation_amount`, `projects_cumulative`, `alliance_counting_members`).
    pub figure: &'static str,
    pub value: Figure,
    pub threshold: Figure,
    /// 0..=100.
    pub percent: u32,
    pub passed: bool,
}

/// A center's home.
pub struct CenterHome {
    pub center: CenterView,
    pub metrics: Metrics,
    pub progress: Vec<Progress>,
    pub members: Paged<MembershipView>,
    pub deals: Paged<TransactionView>,
    /// Whether the caller is the center's staff (its forms are shown).
    pub can_write: bool,
    /// The last day of the public notice of its exit, while one runs.
    pub exit_notice_ends_on: Option<chrono::NaiveDate>,
    /// The requests to join its alliance waiting on its staff (for the staff only).
    pub join_requests: Vec<crate::domain::alliance::JoinRequestView>,
}

/// `value` as a share of `threshold`, 0..=100 (100 when there is no threshold).
fn percent(value: f64, threshold: f64) -> u32 {
    if threshold <= 0.0 {
        100
    } else {
        ((value / threshold) * 100.0).clamp(0.0, 100.0) as u32
    }
}

/// The progress of this year's figures in `m` to the thresholds of its rulebook.
fn progress(m: &Metrics) -> Vec<Progress> {
    let (rules, f) = (&m.rulebook.rules, &m.figures);
    let count = |figure, value: i64, threshold: u32| Progress {
        figure,
        value: Figure::Count(value),
        threshold: Figure::Count(i64::from(threshold)),
        percent: percent(value as f64, f64::from(threshold)),
        passed: value >= i64::from(threshold),
    };
    vec![
        Progress {
            figure: "operation_amount",
            value: Figure::Amount(f.operation_amount),
            threshold: Figure::Amount(rules.annual_amount_threshold),
            percent: percent(
                f.operation_amount.fen() as f64,
                rules.annual_amount_threshold.fen() as f64,
            ),
            passed: f.operation_amount >= rules.annual_amount_threshold,
        },
        count(
            "projects_cumulative",
            f.projects_cumulative,
            rules.project_threshold,
        ),
        count(
            "alliance_counting_members",
            f.alliance_counting_members,
            rules.alliance_threshold,
        ),
    ]
}

/// The home of `center` (which `user` reads) as of today.
pub async fn center_home(
    services: &Services<'_>,
    user: &CurrentUser,
    center: centers::Model,
) -> Result<CenterHome, AppError> {
    let (db, today) = (services.db, services.today);
    let host = organizations::find_by_id(db, center.host_organization_id).await?;
    let (rulebook, figures) = (services.rulebook, services.figures);
    let m = metrics::evaluate(
        db,
        rulebook,
        figures,
        &center,
        host.as_ref(),
        today.year(),
        today,
    )
    .await?;
    let active = MemberStatusFilter::Active;
    let members = alliance::list(db, center.id, active, 1, MEMBERS_SHOWN).await?;
    let all_deals = transactions_filter(None, None);
    let deals = records::list_transactions(db, center.id, &all_deals, 1, DEALS_SHOWN).await?;
    let exit_notice_ends_on = crate::domain::lifecycle::exit::notice_ends_on(db, center.id).await?;
    let can_write = crate::domain::access::can_write_center(user, &center);
    let join_requests = match can_write {
        true => (alliance::list_requests(db, center.id, None)
            .await?
            .into_iter())
        .filter(|r| r.status == "pending")
        .collect(),
        false => Vec::new(),
    };
    Ok(CenterHome {
        exit_notice_ends_on,
        join_requests,
        can_write,
        progress: progress(&m),
        metrics: m,
        members,
        deals,
        center: CenterView::new(center, host),
    })
}
