//! Decisions on a center after accreditation (annual results, extensions, rectifications, cycle
//! results, exits), each
//! recorded with the rulebook version in force and the proposal it was made against: a person
//! decides; the system only proposes.

use chrono::NaiveDate;
use entities::{centers, decisions};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::domain::{
    audit::AuditEntry,
    reports::{self, review as report_review, status as report_status},
    services::Services,
};
use crate::{auth::CurrentUser, error::AppError, i18n::Msg};

use super::{
    annual::{claim_report, require_scores},
    cycles, exit, proposals,
    record::{DecisionView, conflict, once},
    rectification,
};
use crate::domain::states::DecisionKind;

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

/// The evaluation of a cycle after its last year (rulebook `cycle_years`).
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

/// Records `input` on `center` (cnipa; the deciding local office for a local center): a
/// rectification's acceptance, a cycle result, an exit, an annual result for a submitted or
/// overdue report — a result other than the proposal needs a reason (422) —, or an extension of
/// a report's due date granted before that date has passed. The decision, what it moves (the
/// report claimed, a rectification opened, a cycle renewed, a withdrawal confirmed) and the exit
/// proposals it opens are written inside the caller's transaction.
pub async fn record(
    txn: &DatabaseTransaction,
    services: &Services<'_>,
    user: &CurrentUser,
    center: &centers::Model,
    input: &DecisionInput,
) -> Result<decisions::Model, AppError> {
    if !crate::domain::jurisdiction::decides(user, center) {
        return Err(AppError::ForbiddenBecause(Msg::new(
            "国家级中心由国家知识产权局决定，地方中心由所在地知识产权局决定",
            "cnipa decides on national centers; the local office of the region on local ones",
        )));
    }
    if center.status == crate::domain::centers::status::EXITED {
        // its history stays readable; nothing more is decided on it
        return Err(conflict(
            "中心已退出，不再记录决定".into(),
            "the center has exited; no more decisions are recorded".into(),
        ));
    }
    let rulebook = services.rulebook.in_force_on(txn, services.today).await?;
    let on_report = match input {
        DecisionInput::AnnualResult { .. } | DecisionInput::Extension { .. } => {
            Some(on_report(txn, services, (user, center), input, &rulebook).await?)
        }
        _ => None,
    };
    let before = proposals::of_center(txn, center.id, services.today).await?;
    let (version, days) = (rulebook.version, rulebook.rules.public_notice_working_days);
    let saved = match (input, on_report) {
        (DecisionInput::Rectification { accepted, reason }, _) => {
            let reason = required(reason)?;
            rectification::record_decision(txn, services, user, center, *accepted, reason, version)
                .await?
        }
        (DecisionInput::Exit { reason }, _) => {
            exit::decide(
                txn,
                services,
                user,
                center,
                required(reason)?,
                version,
                days,
            )
            .await?
        }
        (DecisionInput::CycleResult { result, reason }, _) => {
            let qualified = *result == CycleResult::Qualified;
            let reason = required(reason)?;
            cycles::record_result(txn, services, user, center, qualified, reason, version).await?
        }
        (_, Some(decision)) => {
            let rectification_days = rulebook.rules.rectification_days;
            record_on_report(
                txn,
                services,
                user,
                center,
                input,
                decision,
                rectification_days,
            )
            .await?
        }
        (_, None) => return Err(AppError::NotFound),
    };
    proposals::after_decision(txn, services, center, &before).await?;
    Ok(saved)
}

/// Checks an annual result or an extension against the report of its year, and the decision to
/// record if it passes.
async fn on_report(
    db: &impl ConnectionTrait,
    services: &Services<'_>,
    (user, center): (&CurrentUser, &centers::Model),
    input: &DecisionInput,
    rulebook: &crate::domain::rulebook::RulebookVersion,
) -> Result<decisions::ActiveModel, AppError> {
    let (year, reason) = match input {
        DecisionInput::AnnualResult { year, reason, .. }
        | DecisionInput::Extension { year, reason, .. } => (*year, reason.trim().to_string()),
        _ => return Err(AppError::NotFound),
    };
    let calendar = reports::calendar(db, services, center).await?;
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
                        crate::domain::states::in_words(&report.status).zh
                    ),
                    format!(
                        "the {year} report is {}; no annual result can be recorded",
                        crate::domain::states::in_words(&report.status).en
                    ),
                ));
            }
            if report.status == report_status::SUBMITTED {
                require_scores(db, center, year, rulebook.rules.min_experts).await?;
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
            decision.kind = Set(DecisionKind::AnnualResult.as_str().into());
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
                        crate::domain::states::in_words(&report.status).zh,
                        report.due_date
                    ),
                    format!(
                        "the {year} report is {} (due {}); it cannot be extended",
                        crate::domain::states::in_words(&report.status).en,
                        report.due_date
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
            decision.kind = Set(DecisionKind::Extension.as_str().into());
            decision.new_due_date = Set(Some(*new_due_date));
        }
        _ => return Err(AppError::NotFound),
    }
    Ok(decision)
}

/// Writes an annual result or an extension inside the transaction: the report claimed as
/// decided, a rectification opened by an unqualified result, the decision and its audit row.
async fn record_on_report(
    txn: &impl ConnectionTrait,
    services: &Services<'_>,
    user: &CurrentUser,
    center: &centers::Model,
    input: &DecisionInput,
    decision: decisions::ActiveModel,
    rectification_days: u32,
) -> Result<decisions::Model, AppError> {
    if let DecisionInput::AnnualResult { year, result, .. } = input {
        claim_report(txn, center, *year, services.now).await?;
        if *result == AnnualResult::Unqualified {
            rectification::open(
                txn,
                center.id,
                *year,
                services.today,
                rectification_days,
                services.now,
            )
            .await?;
        }
    }
    let saved = decision.insert(txn).await.map_err(once)?;
    AuditEntry::new(Some(user.id), "decision.record", "center", center.id)
        .after(&DecisionView::from(saved.clone()))
        .write(txn, services.now)
        .await?;
    Ok(saved)
}
