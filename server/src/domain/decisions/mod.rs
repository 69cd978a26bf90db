//! Decisions on a center after accreditation (annual results, extensions, rectifications, cycle
//! results, exits), each
//! recorded with the rulebook version in force and the proposal it was made against: a person
//! decides; the system only proposes.

use chrono::{DateTime, NaiveDate, Utc};
use entities::{centers, decisions};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    accreditation::{self, Services},
    audit::AuditEntry,
    reports::{self, review as report_review, status as report_status},
};
use crate::{auth::CurrentUser, error::AppError, i18n::Msg};

mod annual;
use annual::{claim_report, require_scores};

/// A decision to record: `{"kind":"annual_result","year","result","reason"}` or
/// `{"kind":"extension","year","new_due_date","reason"}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DecisionInput {
    AnnualResult {
        year: i32,
        result: AnnualResult,
        #[serde(default)]
        reason: String,
    },
    Extension {
        year: i32,
        new_due_date: NaiveDate,
        #[serde(default)]
        reason: String,
    },
    Rectification {
        accepted: bool,
        #[serde(default)]
        reason: String,
    },
    CycleResult {
        result: CycleResult,
        #[serde(default)]
        reason: String,
    },
    Exit {
        #[serde(default)]
        reason: String,
    },
}

/// The evaluation of a cycle after its third year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CycleResult {
    /// Renewed: the next cycle opens by itself.
    Qualified,
    /// Exit is proposed.
    Unqualified,
}

/// An annual result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AnnualResult {
    Qualified,
    BasicallyQualified,
    Unqualified,
}

impl AnnualResult {
    /// The stored key.
    pub fn as_str(self) -> &'static str {
        match self {
            AnnualResult::Qualified => report_review::QUALIFIED,
            AnnualResult::BasicallyQualified => report_review::BASICALLY_QUALIFIED,
            AnnualResult::Unqualified => report_review::UNQUALIFIED,
        }
    }
}

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

/// Every decision on `center`, oldest first.
pub async fn list(
    db: &impl ConnectionTrait,
    center_id: i32,
) -> Result<Vec<DecisionView>, AppError> {
    Ok(decisions::Entity::find()
        .filter(decisions::Column::CenterId.eq(center_id))
        .order_by_asc(decisions::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Into::into)
        .collect())
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

/// The trimmed reason, or 422 on `reason`.
fn required(reason: &str) -> Result<String, AppError> {
    let reason = reason.trim();
    if reason.is_empty() {
        Err(AppError::field(
            "reason",
            Msg::new("请说明理由", "a reason is required"),
        ))
    } else {
        Ok(reason.to_string())
    }
}

pub(super) fn conflict(zh: String, en: String) -> AppError {
    AppError::Conflict(Msg::new(zh, en))
}

/// Records `input` on `center` (cnipa; the deciding local office for a local center): a
/// rectification's acceptance, a cycle result, an annual result for a submitted or overdue report — a result other than the proposal needs a
/// reason (422) —, or an extension of a report's due date granted before that date has passed.
pub async fn record(
    services: &Services<'_>,
    user: &CurrentUser,
    center: &centers::Model,
    input: &DecisionInput,
) -> Result<decisions::Model, AppError> {
    if !accreditation::decides(user, center) {
        return Err(AppError::ForbiddenBecause(Msg::new(
            "国家级中心由国家知识产权局决定，地方中心由所在地知识产权局决定",
            "cnipa decides on national centers; the local office of the region on local ones",
        )));
    }
    if center.status == super::centers::status::EXITED {
        // its history stays readable; nothing more is decided on it
        return Err(conflict(
            "中心已退出，不再记录决定".into(),
            "the center has exited; no more decisions are recorded".into(),
        ));
    }
    let rulebook = services
        .rulebook
        .in_force_on(services.db, services.today)
        .await?;
    let (year, reason) = match input {
        DecisionInput::AnnualResult { year, reason, .. }
        | DecisionInput::Extension { year, reason, .. } => (*year, reason.trim().to_string()),
        DecisionInput::Rectification { accepted, reason } => {
            let reason = required(reason)?;
            return super::rectification::record_decision(
                services,
                user,
                center,
                *accepted,
                reason,
                rulebook.version,
            )
            .await;
        }
        DecisionInput::Exit { reason } => {
            let reason = required(reason)?;
            let days = rulebook.rules.public_notice_working_days;
            return super::exit::decide(services, user, center, reason, rulebook.version, days)
                .await;
        }
        DecisionInput::CycleResult { result, reason } => {
            let reason = required(reason)?;
            return super::cycles::record_result(
                services,
                user,
                center,
                *result == CycleResult::Qualified,
                reason,
                rulebook.version,
            )
            .await;
        }
    };
    let calendar = reports::calendar(services, center).await?;
    let report = calendar.iter().find(|r| r.year == year).ok_or_else(|| {
        AppError::field(
            "year",
            Msg::new("该年度不属于任何建设周期", "the year lies in no cycle"),
        )
    })?;
    let mut decision = decisions::ActiveModel {
        center_id: Set(center.id),
        year: Set(Some(year)),
        reason: Set((!reason.is_empty()).then(|| reason.clone())),
        rulebook_version: Set(rulebook.version),
        decided_by: Set(user.id),
        decided_at: Set(services.now),
        ..Default::default()
    };
    match input {
        DecisionInput::AnnualResult { result, .. } => {
            if !matches!(
                report.status.as_str(),
                report_status::SUBMITTED | report_status::OVERDUE
            ) {
                return Err(conflict(
                    format!(
                        "{year} 年度报告当前状态为 {}，不能记录年度结果",
                        report.status
                    ),
                    format!(
                        "the {year} report is {}; no annual result can be recorded",
                        report.status
                    ),
                ));
            }
            if report.status == report_status::SUBMITTED {
                require_scores(services, center, year, rulebook.rules.min_experts).await?;
            }
            if report.proposed_result.as_deref() != Some(result.as_str()) && reason.is_empty() {
                return Err(AppError::field(
                    "reason",
                    Msg::new(
                        format!(
                            "结果与系统建议（{}）不同，须说明理由",
                            report.proposed_result.as_deref().unwrap_or("无")
                        ),
                        format!(
                            "a result other than the proposal ({}) needs a reason",
                            report.proposed_result.as_deref().unwrap_or("none")
                        ),
                    ),
                ));
            }
            decision.kind = Set("annual_result".into());
            decision.result = Set(Some(result.as_str().to_string()));
            decision.proposed_result = Set(report.proposed_result.clone());
        }
        DecisionInput::Extension { new_due_date, .. } => {
            if reason.is_empty() {
                return Err(AppError::field(
                    "reason",
                    Msg::new("请说明理由", "a reason is required"),
                ));
            }
            if services.today > report.due_date
                || !matches!(
                    report.status.as_str(),
                    report_status::NOT_DUE | report_status::DRAFT
                )
            {
                return Err(conflict(
                    format!(
                        "{year} 年度报告当前状态为 {}（截止 {}），不能延期",
                        report.status, report.due_date
                    ),
                    format!(
                        "the {year} report is {} (due {}); it cannot be extended",
                        report.status, report.due_date
                    ),
                ));
            }
            if *new_due_date <= report.due_date {
                return Err(AppError::field(
                    "new_due_date",
                    Msg::new(
                        format!("须晚于 {}", report.due_date),
                        format!("must follow {}", report.due_date),
                    ),
                ));
            }
            decision.kind = Set("extension".into());
            decision.new_due_date = Set(Some(*new_due_date));
        }
        DecisionInput::Rectification { .. }
        | DecisionInput::CycleResult { .. }
        | DecisionInput::Exit { .. } => {
            return Err(AppError::NotFound);
        }
    }
    let before = super::proposals::of_center(services.db, center.id, services.today).await?;
    crate::db::write(services.db, async |txn| {
        if let DecisionInput::AnnualResult { result, .. } = input {
            claim_report(txn, center, year, services.now).await?;
            if *result == AnnualResult::Unqualified {
                super::rectification::open(
                    txn,
                    center.id,
                    year,
                    services.today,
                    rulebook.rules.rectification_days,
                    services.now,
                )
                .await?;
            }
        }
        let saved = decision.insert(txn).await.map_err(once)?;
        super::proposals::after_decision(txn, services, center, &before).await?;
        AuditEntry::new(Some(user.id), "decision.record", "center", center.id)
            .after(&DecisionView::from(saved.clone()))
            .write(txn, services.now)
            .await?;
        Ok(saved)
    })
    .await
}
