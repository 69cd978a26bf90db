//! The decision on an application and the objection raised during its public notice.

use entities::{applications, centers};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{
    ReasonInput, Services,
    effect::set_center_status,
    mail_data, require_decider, save, status,
    steps::{require_state, required_reason},
};
use crate::domain::notice;
use crate::{
    auth::CurrentUser,
    domain::{
        audit::AuditEntry,
        centers::status as center_status,
        review::{self, Subject},
    },
    error::AppError,
    i18n::Msg,
    mail::{enqueue, recipients},
};

/// `{"outcome":"accredited|rejected","reason"}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DecideInput {
    pub outcome: Outcome,
    #[serde(default)]
    pub reason: String,
}

/// The decision on an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Accredited,
    Rejected,
}

/// Decides an application under review (cnipa; the deciding local office for a local center),
/// with a reason, recording the rulebook version and the mean score. Accrediting is refused while
/// a hard criterion of the snapshot fails (naming it and its figures) and until every expert
/// still assigned, at least three, has scored. An accreditation opens public notice for the
/// rulebook's working days; the center is mailed (decided, notice started), and so is cnipa.
pub async fn decide(
    services: &Services<'_>,
    user: &CurrentUser,
    application: applications::Model,
    center: &centers::Model,
    input: &DecideInput,
) -> Result<applications::Model, AppError> {
    require_decider(user, center)?;
    let reason = required_reason(&ReasonInput {
        reason: input.reason.clone(),
    })?;
    require_state(&application, &[status::UNDER_REVIEW])?;
    let rulebook = services
        .rulebook
        .in_force_on(services.db, services.today)
        .await?;
    crate::db::write(services.db, async |txn| {
        let all = review::assignments(txn, Subject::Application(application.id)).await?;
        if input.outcome == Outcome::Accredited {
            if let Some(failed) = failing_criterion(&application) {
                return Err(AppError::Conflict(failed));
            }
            if !review::all_scored(&all, rulebook.rules.min_experts) {
                let active = all.iter().filter(|a| a.active).count();
                let scored = all
                    .iter()
                    .filter(|a| a.active && a.scored_at.is_some())
                    .count();
                return Err(AppError::Conflict(Msg::new(
                    format!(
                        "须由至少 {} 位在任专家全部评分后才能认定（在任 {active} 位，已评分 {scored} 位）",
                        rulebook.rules.min_experts
                    ),
                    format!(
                        "every assigned expert, at least {}, must score before accreditation ({active} assigned, {scored} scored)",
                        rulebook.rules.min_experts
                    ),
                )));
            }
        }
        let version = application.version;
        let mut changed = application;
        changed.status = match input.outcome {
            Outcome::Accredited => status::ACCREDITED,
            Outcome::Rejected => status::REJECTED,
        }
        .to_string();
        changed.outcome = Some(changed.status.clone());
        changed.decision_reason = Some(reason.clone());
        changed.decision_rulebook_version = Some(rulebook.version);
        changed.mean_score = review::mean_score(&all);
        changed.decided_by = Some(user.id);
        changed.decided_at = Some(services.now);
        changed.waiting_since = services.now;
        if input.outcome == Outcome::Accredited {
            changed.notice_ends_on = Some(notice::notice_end(
                services.today,
                rulebook.rules.public_notice_working_days,
            ));
        }
        let saved = save(txn, changed, version, services.now).await?;
        if input.outcome == Outcome::Accredited {
            set_center_status(txn, center, center_status::UNDER_NOTICE, services.now)
                .await?;
        }
        AuditEntry::new(Some(user.id), "application.decide", "application", saved.id)
            .after(&serde_json::json!({"outcome": saved.outcome, "reason": reason, "rulebook_version": rulebook.version, "mean_score": saved.mean_score, "notice_ends_on": saved.notice_ends_on}))
            .write(txn, services.now)
            .await?;
        let data = mail_data(services, center, &saved, &reason);
        let staff = recipients::center_staff(txn, center.id).await?;
        enqueue(txn, services.mail(), "decided", &staff, &data).await?;
        if input.outcome == Outcome::Accredited {
            let mut to = staff;
            to.extend(recipients::cnipa(txn).await?);
            enqueue(txn, services.mail(), "notice_started", &to, &data).await?;
        }
        Ok(saved)
    })
    .await
}

/// The first failing hard criterion of the application's snapshot, as a message naming the
/// criterion and its figures.
fn failing_criterion(application: &applications::Model) -> Option<Msg> {
    let snapshot: serde_json::Value =
        serde_json::from_str(application.snapshot.as_deref()?).ok()?;
    let failed = snapshot["criteria"]
        .as_array()?
        .iter()
        .find(|c| c["passed"] == false)?;
    let rule = failed["rule"].as_str().unwrap_or_default();
    Some(Msg::new(
        format!(
            "硬性条件 {rule} 未达到：{}",
            failed["detail_zh"].as_str().unwrap_or_default()
        ),
        format!(
            "hard criterion {rule} fails: {}",
            failed["detail_en"].as_str().unwrap_or_default()
        ),
    ))
}

/// Records an objection raised during public notice (cnipa; the deciding office for a local
/// center): the accreditation does not take effect until the objection is resolved.
pub async fn object(
    services: &Services<'_>,
    user: &CurrentUser,
    application: applications::Model,
    center: &centers::Model,
    input: &ReasonInput,
) -> Result<applications::Model, AppError> {
    require_decider(user, center)?;
    let note = required_reason(input)?;
    if application.status != status::ACCREDITED
        || application.effective_on.is_some()
        || application.objection_open
    {
        return Err(AppError::Conflict(Msg::new(
            format!(
                "申请当前状态为 {}，不在公示期内或已有未处理的异议",
                crate::domain::states::in_words(&application.status).zh
            ),
            format!(
                "the application is {}; it is not under notice, or an objection is open",
                crate::domain::states::in_words(&application.status).en
            ),
        )));
    }
    crate::db::write(services.db, async |txn| {
        let version = application.version;
        let mut changed = application;
        changed.objection = Some(note.clone());
        changed.objection_open = true;
        let saved = save(txn, changed, version, services.now).await?;
        AuditEntry::new(
            Some(user.id),
            "application.objection",
            "application",
            saved.id,
        )
        .after(&serde_json::json!({"objection": note}))
        .write(txn, services.now)
        .await?;
        Ok(saved)
    })
    .await
}
