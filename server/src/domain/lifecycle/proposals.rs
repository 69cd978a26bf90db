//! What the system proposes about a center, computed from its decisions and rectifications: exit
//! when two consecutive annual results are unqualified, when a cycle result is unqualified, or
//! when a rectification is rejected or its deadline passes; and a center's own request to
//! withdraw, until confirmed or cancelled. A person (cnipa) decides.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use entities::{decisions, rectifications, withdrawal_requests};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use utoipa::ToSchema;

use super::rectification::status as rectification_status;
use crate::domain::reports::review::UNQUALIFIED;
use crate::domain::states::DecisionKind;
use crate::{clock::china_date, error::AppError};

/// One open proposal: `{"kind":"exit","reason","since"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Proposal {
    pub kind: &'static str,
    pub reason: String,
    pub since: NaiveDate,
}

fn exit(reason: String, since: NaiveDate) -> Proposal {
    Proposal {
        kind: "exit",
        reason,
        since,
    }
}

/// The exit proposals that `decisions` (in the order made) and `rectifications` of one center
/// call for on `today` — none once an exit is decided: the proposal has been answered.
pub fn exit_proposals(
    decisions: &[decisions::Model],
    rectifications: &[rectifications::Model],
    today: NaiveDate,
) -> Vec<Proposal> {
    let mut proposals = Vec::new();
    if decisions.iter().any(|d| DecisionKind::Exit.is(&d.kind)) {
        return proposals;
    }
    let mut annual: Vec<&decisions::Model> = decisions
        .iter()
        .filter(|d| DecisionKind::AnnualResult.is(&d.kind))
        .collect();
    annual.sort_by_key(|d| d.year);
    for pair in annual.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let unqualified = |d: &decisions::Model| d.result.as_deref() == Some(UNQUALIFIED);
        if unqualified(a) && unqualified(b) && a.year.map(|y| y + 1) == b.year {
            let (y1, y2) = (a.year.unwrap_or_default(), b.year.unwrap_or_default());
            proposals.push(exit(
                format!("连续两年年度考核不合格（{y1}、{y2}） / two consecutive unqualified annual results ({y1}, {y2})"),
                china_date(a.decided_at.max(b.decided_at)),
            ));
        }
    }
    for d in decisions {
        let year = d.year.unwrap_or_default();
        if DecisionKind::CycleResult.is(&d.kind) && d.result.as_deref() == Some(UNQUALIFIED) {
            proposals.push(exit(
                format!(
                    "建设周期考核不合格（至 {year} 年） / the cycle ending {year} is unqualified"
                ),
                china_date(d.decided_at),
            ));
        }
        if DecisionKind::Rectification.is(&d.kind) && d.accepted == Some(false) {
            proposals.push(exit(
                format!("{year} 年度整改未通过 / the rectification of {year} was rejected"),
                china_date(d.decided_at),
            ));
        }
    }
    for r in rectifications {
        let pending = matches!(
            r.status.as_str(),
            rectification_status::OPEN | rectification_status::SUBMITTED
        );
        if pending && today > r.deadline {
            proposals.push(exit(
                format!(
                    "{} 年度整改逾期（期限 {}） / the rectification of {} passed its deadline ({})",
                    r.year, r.deadline, r.year, r.deadline
                ),
                r.deadline
                    .checked_add_days(Days::new(1))
                    .unwrap_or(r.deadline),
            ));
        }
    }
    proposals
}

/// Every open proposal of one center on `today`: the exit proposals of its `decisions` and
/// `rectifications`, and its open withdrawal request — none once an exit is decided.
pub fn open_proposals(
    decisions: &[decisions::Model],
    rectifications: &[rectifications::Model],
    withdrawals: &[withdrawal_requests::Model],
    today: NaiveDate,
) -> Vec<Proposal> {
    let mut proposals = exit_proposals(decisions, rectifications, today);
    if decisions.iter().any(|d| DecisionKind::Exit.is(&d.kind)) {
        return proposals;
    }
    proposals.extend(
        withdrawals
            .iter()
            .filter(|w| w.status == super::withdrawal::status::OPEN)
            .map(|w| Proposal {
                kind: "withdrawal",
                reason: format!(
                    "中心申请主动退出：{} / the center asks to withdraw: {}",
                    w.reason, w.reason
                ),
                since: w.requested_on,
            }),
    );
    proposals
}

/// The open proposals of the centers `ids` on `today` (three queries, whatever their number).
pub async fn of_centers(
    db: &impl ConnectionTrait,
    ids: &[i32],
    today: NaiveDate,
) -> Result<HashMap<i32, Vec<Proposal>>, AppError> {
    let mut decided: HashMap<i32, Vec<decisions::Model>> = HashMap::new();
    for d in decisions::Entity::find()
        .filter(decisions::Column::CenterId.is_in(ids.iter().copied()))
        .order_by_asc(decisions::Column::Id)
        .all(db)
        .await?
    {
        decided.entry(d.center_id).or_default().push(d);
    }
    let mut rectified: HashMap<i32, Vec<rectifications::Model>> = HashMap::new();
    for r in rectifications::Entity::find()
        .filter(rectifications::Column::CenterId.is_in(ids.iter().copied()))
        .all(db)
        .await?
    {
        rectified.entry(r.center_id).or_default().push(r);
    }
    let mut asked: HashMap<i32, Vec<withdrawal_requests::Model>> = HashMap::new();
    for w in withdrawal_requests::Entity::find()
        .filter(withdrawal_requests::Column::CenterId.is_in(ids.iter().copied()))
        .filter(withdrawal_requests::Column::Status.eq(super::withdrawal::status::OPEN))
        .all(db)
        .await?
    {
        asked.entry(w.center_id).or_default().push(w);
    }
    Ok(ids
        .iter()
        .map(|id| {
            let proposals = open_proposals(
                decided.get(id).map(Vec::as_slice).unwrap_or_default(),
                rectified.get(id).map(Vec::as_slice).unwrap_or_default(),
                asked.get(id).map(Vec::as_slice).unwrap_or_default(),
                today,
            );
            (*id, proposals)
        })
        .collect())
}

/// After a decision on `center` inside its transaction: moves the center's version (its list
/// item shows proposals) and mails cnipa about each exit proposal the decision opened, given the
/// proposals `before` it.
pub async fn after_decision(
    db: &impl ConnectionTrait,
    services: &crate::domain::services::Services<'_>,
    center: &entities::centers::Model,
    before: &[Proposal],
) -> Result<(), AppError> {
    crate::domain::centers::touch(db, center.id, services.now).await?;
    let now_open = of_centers(db, &[center.id], services.today)
        .await?
        .remove(&center.id)
        .unwrap_or_default();
    let opened: Vec<String> = now_open
        .into_iter()
        .filter(|p| !before.contains(p))
        .map(|p| p.reason)
        .collect();
    if opened.is_empty() {
        return Ok(());
    }
    let to = crate::mail::recipients::cnipa(db).await?;
    let data = serde_json::json!({
        "center_name": center.name,
        "reasons": opened.join("；"),
        "link": format!("{}/centers/{}", services.public_url.trim_end_matches('/'), center.id),
    });
    crate::mail::enqueue(db, services.mail(), "exit_proposed", &to, &data).await
}

/// The open proposals of one center on `today`.
pub async fn of_center(
    db: &impl ConnectionTrait,
    center_id: i32,
    today: NaiveDate,
) -> Result<Vec<Proposal>, AppError> {
    Ok(of_centers(db, &[center_id], today)
        .await?
        .remove(&center_id)
        .unwrap_or_default())
}
