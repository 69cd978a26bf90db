//! A center's reviews page: its open proposals, the reports of every cycle, the latest
//! rectification, its withdrawal requests and every decision, and what the reader may do there.

use entities::{centers, rectifications};

use crate::{
    auth::CurrentUser,
    domain::{
        centers::status as center_status,
        jurisdiction::decides,
        lifecycle::{
            decisions,
            proposals::{self, Proposal},
            record::DecisionView,
            rectification,
            withdrawal::{self, WithdrawalView},
        },
        reports::{self, ReportView},
        services::Services,
        users::Role,
    },
    error::AppError,
};

/// A center's reviews.
pub struct CenterReviews {
    pub proposals: Vec<Proposal>,
    pub reports: Vec<ReportView>,
    pub decisions: Vec<DecisionView>,
    pub rectification: Option<rectifications::Model>,
    /// A rectification waits for its report or its decision.
    pub rectification_open: bool,
    pub withdrawals: Vec<WithdrawalView>,
    pub withdrawal_open: bool,
    /// The reader is the center's staff (and the center has not exited).
    pub can_write: bool,
    /// Whether its staff may ask to withdraw (an accredited center only).
    pub can_withdraw: bool,
    /// The reader decides on the center.
    pub can_decide: bool,
}

/// The reviews of `center`, which `user` reads.
pub async fn center_reviews(
    services: &Services<'_>,
    user: &CurrentUser,
    center: &centers::Model,
) -> Result<CenterReviews, AppError> {
    let db = services.db;
    let rectification = rectification::latest(db, center.id).await?;
    let open = [
        rectification::status::OPEN,
        rectification::status::SUBMITTED,
    ];
    let withdrawals = withdrawal::of_center(db, center.id).await?;
    let staff = user.role == Role::Center && user.center_id == Some(center.id);
    Ok(CenterReviews {
        proposals: proposals::of_center(db, center.id, services.today).await?,
        reports: reports::calendar(services.db, services, center).await?,
        decisions: decisions::list(db, center.id).await?,
        rectification_open: (rectification.as_ref())
            .is_some_and(|r| open.contains(&r.status.as_str())),
        rectification,
        withdrawal_open: withdrawals
            .iter()
            .any(|w| w.status == withdrawal::status::OPEN),
        withdrawals,
        can_write: staff && center.status != center_status::EXITED,
        can_withdraw: staff && center.status == center_status::ACCREDITED,
        can_decide: decides(user, center),
    })
}
