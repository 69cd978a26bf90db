//! A center's request to withdraw (主动退出): its staff ask with a reason while it is accredited;
//! the request shows among the center's proposals and is mailed to cnipa, who confirms it with an
//! exit decision (public notice and exit as for any exit); the staff may cancel it before then.

use chrono::NaiveDate;
use entities::{centers, withdrawal_requests};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    sea_query::Expr,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::states::DecisionKind;
use crate::domain::{audit::AuditEntry, centers::status as center_status, services::Services};
use crate::{auth::CurrentUser, error::AppError, i18n::Msg};

/// Request states.
pub mod status {
    pub const OPEN: &str = "open";
    pub const CONFIRMED: &str = "confirmed";
    pub const CANCELLED: &str = "cancelled";
}

/// `{"reason"}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct WithdrawalInput {
    #[serde(default)]
    pub reason: String,
}

/// A withdrawal request as its readers see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WithdrawalView {
    pub id: i32,
    pub reason: String,
    pub requested_on: NaiveDate,
    /// `open`, `confirmed` or `cancelled`.
    pub status: String,
}

impl From<withdrawal_requests::Model> for WithdrawalView {
    fn from(w: withdrawal_requests::Model) -> Self {
        WithdrawalView {
            id: w.id,
            reason: w.reason,
            requested_on: w.requested_on,
            status: w.status,
        }
    }
}

/// Records the staff's request that their accredited `center` withdraw, and mails cnipa; 422
/// without a reason, 409 when the center is not accredited or a request is already open (one
/// open request per center, even when two arrive at once).
pub async fn request(
    services: &Services<'_>,
    user: &CurrentUser,
    center: &centers::Model,
    input: &WithdrawalInput,
) -> Result<withdrawal_requests::Model, AppError> {
    let reason = input.reason.trim();
    if reason.is_empty() {
        return Err(AppError::field(
            "reason",
            Msg::new("请说明退出理由", "the reason is required"),
        ));
    }
    if center.status != center_status::ACCREDITED {
        return Err(AppError::Conflict(Msg::new(
            format!(
                "中心当前状态为 {}，不能申请退出",
                crate::domain::states::in_words(&center.status).zh
            ),
            format!(
                "the center is {}; it cannot ask to withdraw",
                crate::domain::states::in_words(&center.status).en
            ),
        )));
    }
    crate::db::write(services.db, async |txn| {
        let exit_decided = entities::decisions::Entity::find()
            .filter(entities::decisions::Column::CenterId.eq(center.id))
            .filter(entities::decisions::Column::Kind.eq(DecisionKind::Exit.as_str()))
            .one(txn)
            .await?;
        if exit_decided.is_some() {
            return Err(AppError::Conflict(Msg::new(
                "该中心的退出已决定",
                "the center's exit is already decided",
            )));
        }
        let saved = withdrawal_requests::ActiveModel {
            center_id: Set(center.id),
            reason: Set(reason.to_string()),
            requested_by: Set(user.id),
            requested_on: Set(services.today),
            status: Set(status::OPEN.into()),
            created_at: Set(services.now),
            updated_at: Set(services.now),
            ..Default::default()
        }
        .insert(txn)
        .await
        .map_err(|e| match e.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => already_open(),
            _ => e.into(),
        })?;
        AuditEntry::new(Some(user.id), "withdrawal.request", "center", center.id)
            .after(&WithdrawalView::from(saved.clone()))
            .write(txn, services.now)
            .await?;
        let to = crate::mail::recipients::cnipa(txn).await?;
        let data = serde_json::json!({
            "center_name": center.name,
            "reason": reason,
            "link": format!("{}/centers/{}", services.public_url.trim_end_matches('/'), center.id),
        });
        crate::mail::enqueue(txn, services.mail(), "withdrawal_requested", &to, &data).await?;
        Ok(saved)
    })
    .await
}

fn already_open() -> AppError {
    AppError::Conflict(Msg::new(
        "已有待确认的退出申请",
        "a withdrawal request is already open",
    ))
}

/// Cancels the center's open request (its staff); 409 when none is open.
pub async fn cancel(
    services: &Services<'_>,
    user: &CurrentUser,
    center: &centers::Model,
) -> Result<withdrawal_requests::Model, AppError> {
    crate::db::write(services.db, async |txn| {
        let open = close_open(txn, center.id, status::CANCELLED, services.now)
            .await?
            .ok_or_else(|| {
                AppError::Conflict(Msg::new(
                    "没有待确认的退出申请",
                    "no withdrawal request is open",
                ))
            })?;
        AuditEntry::new(Some(user.id), "withdrawal.cancel", "center", center.id)
            .after(&WithdrawalView::from(open.clone()))
            .write(txn, services.now)
            .await?;
        Ok(open)
    })
    .await
}

/// Closes the center's open request as `closed_as` (inside the caller's transaction), returning
/// it as closed; `None` when none was open.
pub async fn close_open(
    db: &impl ConnectionTrait,
    center_id: i32,
    closed_as: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<withdrawal_requests::Model>, AppError> {
    let Some(mut open) = withdrawal_requests::Entity::find()
        .filter(withdrawal_requests::Column::CenterId.eq(center_id))
        .filter(withdrawal_requests::Column::Status.eq(status::OPEN))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let closed = withdrawal_requests::Entity::update_many()
        .col_expr(withdrawal_requests::Column::Status, Expr::value(closed_as))
        .col_expr(withdrawal_requests::Column::UpdatedAt, Expr::value(now))
        .filter(withdrawal_requests::Column::Id.eq(open.id))
        .filter(withdrawal_requests::Column::Status.eq(status::OPEN))
        .exec(db)
        .await?;
    if closed.rows_affected == 0 {
        return Ok(None);
    }
    open.status = closed_as.to_string();
    Ok(Some(open))
}

/// Every withdrawal request of a center, newest first.
pub async fn of_center(
    db: &impl ConnectionTrait,
    center_id: i32,
) -> Result<Vec<WithdrawalView>, AppError> {
    Ok(withdrawal_requests::Entity::find()
        .filter(withdrawal_requests::Column::CenterId.eq(center_id))
        .order_by_desc(withdrawal_requests::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(WithdrawalView::from)
        .collect())
}
