//! A recorded decision as it is shown, and the guard that records a decision once.

use chrono::{DateTime, NaiveDate, Utc};
use entities::decisions;
use serde::Serialize;
use utoipa::ToSchema;

use crate::{error::AppError, i18n::Msg};

/// A recorded decision.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionView {
    pub id: i32,
    pub kind: String,
    pub year: Option<i32>,
    pub result: Option<String>,
    /// A rectification decision: whether the rectification was accepted.
    pub accepted: Option<bool>,
    pub new_due_date: Option<NaiveDate>,
    pub reason: Option<String>,
    pub proposed_result: Option<String>,
    pub rulebook_version: i32,
    pub decided_by: i32,
    pub decided_at: DateTime<Utc>,
    /// An exit's public notice ends on this day.
    pub notice_ends_on: Option<NaiveDate>,
    /// The day an exit took effect.
    pub effective_on: Option<NaiveDate>,
}

impl From<decisions::Model> for DecisionView {
    fn from(d: decisions::Model) -> Self {
        DecisionView {
            id: d.id,
            kind: d.kind,
            year: d.year,
            result: d.result,
            accepted: d.accepted,
            new_due_date: d.new_due_date,
            reason: d.reason,
            proposed_result: d.proposed_result,
            rulebook_version: d.rulebook_version,
            decided_by: d.decided_by,
            decided_at: d.decided_at,
            notice_ends_on: d.notice_ends_on,
            effective_on: d.effective_on,
        }
    }
}

/// A decision already recorded (the unique index of decisions made once) as 409; other errors
/// as they are.
pub fn once(err: sea_orm::DbErr) -> AppError {
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AppError::Conflict(Msg::new(
            "该决定已记录",
            "this decision is already recorded",
        )),
        _ => err.into(),
    }
}

/// A decision that cannot be recorded in the center's present state (409).
pub fn conflict(zh: String, en: String) -> AppError {
    AppError::Conflict(Msg::new(zh, en))
}
