//! Rectification (整改): opened by an unqualified annual result with a deadline (rulebook
//! `rectification_days`), answered by the center's rectification report, decided by cnipa.

use chrono::{DateTime, Days, NaiveDate, Utc};
use entities::{centers, rectifications};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, sea_query::Expr,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::audit::AuditEntry;
use crate::domain::states::DecisionKind;
use crate::{auth::CurrentUser, error::AppError, i18n::Msg};

/// Rectification states.
pub mod status {
    pub const OPEN: &str = "open";
    pub const SUBMITTED: &str = "submitted";
    pub const ACCEPTED: &str = "accepted";
    pub const REJECTED: &str = "rejected";
}

/// `{"report"}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RectificationInput {
    #[serde(default)]
    pub report: String,
}

/// A rectification as readers see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RectificationView {
    pub year: i32,
    pub deadline: NaiveDate,
    pub report: Option<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub status: String,
    /// The deadline passed without an accepted rectification.
    pub lapsed: bool,
}

/// The view of `r` on `today`.
pub fn view(r: rectifications::Model, today: NaiveDate) -> RectificationView {
    RectificationView {
        lapsed: today > r.deadline && matches!(r.status.as_str(), status::OPEN | status::SUBMITTED),
        year: r.year,
        deadline: r.deadline,
        report: r.report,
        submitted_at: r.submitted_at,
        status: r.status,
    }
}

/// The center's latest rectification, if any.
pub async fn latest(
    db: &impl ConnectionTrait,
    center_id: i32,
) -> Result<Option<rectifications::Model>, AppError> {
    Ok(rectifications::Entity::find()
        .filter(rectifications::Column::CenterId.eq(center_id))
        .order_by_desc(rectifications::Column::Id)
        .one(db)
        .await?)
}

/// Opens the rectification an unqualified result of `year` calls for, due `days` after `today`
/// (inside the decision's transaction).
pub async fn open(
    db: &impl ConnectionTrait,
    center_id: i32,
    year: i32,
    today: NaiveDate,
    days: u32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    rectifications::ActiveModel {
        center_id: Set(center_id),
        year: Set(year),
        deadline: Set(today
            .checked_add_days(Days::new(u64::from(days)))
            .unwrap_or(today)),
        status: Set(status::OPEN.to_string()),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Files (or replaces) the center's rectification report (its staff) until the deadline; 409
/// when no rectification is open or the deadline has passed.
pub async fn file(
    db: &DatabaseConnection,
    user: &CurrentUser,
    center: &centers::Model,
    input: &RectificationInput,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<rectifications::Model, AppError> {
    let report = input.report.trim();
    if report.is_empty() {
        return Err(AppError::field(
            "report",
            Msg::new("请填写整改报告", "the rectification report is required"),
        ));
    }
    crate::db::write(db, async |txn| {
        let current = latest(txn, center.id)
            .await?
            .filter(|r| matches!(r.status.as_str(), status::OPEN | status::SUBMITTED))
            .ok_or_else(|| {
                AppError::Conflict(Msg::new("当前没有待整改事项", "no rectification is open"))
            })?;
        if today > current.deadline {
            return Err(AppError::Conflict(Msg::new(
                format!("整改期限 {} 已过", current.deadline),
                format!("the rectification deadline {} has passed", current.deadline),
            )));
        }
        rectifications::Entity::update_many()
            .col_expr(rectifications::Column::Report, Expr::value(report))
            .col_expr(rectifications::Column::SubmittedAt, Expr::value(now))
            .col_expr(
                rectifications::Column::Status,
                Expr::value(status::SUBMITTED),
            )
            .col_expr(
                rectifications::Column::Version,
                Expr::value(current.version + 1),
            )
            .col_expr(rectifications::Column::UpdatedAt, Expr::value(now))
            .filter(rectifications::Column::Id.eq(current.id))
            .exec(txn)
            .await?;
        AuditEntry::new(
            Some(user.id),
            "rectification.file",
            "rectification",
            current.id,
        )
        .write(txn, now)
        .await?;
        Ok(())
    })
    .await?;
    latest(db, center.id).await?.ok_or(AppError::NotFound)
}

/// Records cnipa's acceptance or rejection of the open rectification, once it is filed or its
/// deadline has passed (inside the decision's transaction; of two at once one is recorded). Returns
/// the year it answered.
pub async fn decide(
    db: &impl ConnectionTrait,
    center_id: i32,
    accepted: bool,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<i32, AppError> {
    let current = latest(db, center_id)
        .await?
        .filter(|r| {
            r.status == status::SUBMITTED || (r.status == status::OPEN && today > r.deadline)
        })
        .ok_or_else(|| {
            AppError::Conflict(Msg::new(
                "没有待决定的整改（整改报告尚未提交，且未过期限）",
                "no rectification awaits a decision (not filed, deadline not passed)",
            ))
        })?;
    let claimed = rectifications::Entity::update_many()
        .col_expr(
            rectifications::Column::Status,
            Expr::value(if accepted {
                status::ACCEPTED
            } else {
                status::REJECTED
            }),
        )
        .col_expr(
            rectifications::Column::Version,
            Expr::value(current.version + 1),
        )
        .col_expr(rectifications::Column::UpdatedAt, Expr::value(now))
        .filter(rectifications::Column::Id.eq(current.id))
        .filter(rectifications::Column::Version.eq(current.version))
        .exec(db)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(AppError::Conflict(Msg::new(
            "整改已被决定",
            "the rectification was decided meanwhile",
        )));
    }
    Ok(current.year)
}

/// Records cnipa's decision on the open rectification with its reason: accepted, or rejected.
pub async fn record_decision(
    txn: &impl ConnectionTrait,
    services: &crate::domain::services::Services<'_>,
    user: &CurrentUser,
    center: &centers::Model,
    accepted: bool,
    reason: String,
    rulebook_version: i32,
) -> Result<entities::decisions::Model, AppError> {
    let year = decide(txn, center.id, accepted, services.today, services.now).await?;
    let saved = entities::decisions::ActiveModel {
        center_id: Set(center.id),
        kind: Set(DecisionKind::Rectification.as_str().into()),
        year: Set(Some(year)),
        accepted: Set(Some(accepted)),
        reason: Set(Some(reason)),
        rulebook_version: Set(rulebook_version),
        decided_by: Set(user.id),
        decided_at: Set(services.now),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(super::record::once)?;
    AuditEntry::new(Some(user.id), "decision.record", "center", center.id)
        .after(&super::record::DecisionView::from(saved.clone()))
        .write(txn, services.now)
        .await?;
    Ok(saved)
}
