//! The reviewing steps: recommend or return, assign experts, declare conflicts, score, decide,
//! object during public notice.

use entities::{applications, centers};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{
    ReasonInput, Services, authority_region, decides, is_national, mail_data, save, status,
    wrong_state,
};
use crate::domain::notice;
use crate::{
    auth::CurrentUser,
    domain::{
        audit::AuditEntry,
        centers::status as center_status,
        review::{self, AssignInput, ConflictInput, ScoresInput, Subject},
        users::Role,
    },
    error::AppError,
    i18n::Msg,
    mail::{enqueue, recipients},
};

fn required_reason(input: &ReasonInput) -> Result<String, AppError> {
    let reason = input.reason.trim();
    if reason.is_empty() {
        Err(AppError::field(
            "reason",
            Msg::new("请说明理由", "a reason is required"),
        ))
    } else {
        Ok(reason.to_string())
    }
}

fn require_state(application: &applications::Model, states: &[&str]) -> Result<(), AppError> {
    if states.contains(&application.status.as_str()) {
        Ok(())
    } else {
        Err(wrong_state(application))
    }
}

/// The provincial office of a national center's province recommends its submitted application
/// to cnipa, or returns it to the center with the reason (it goes back to being editable).
/// Other readers of the center get 403.
pub async fn recommend_or_return(
    services: &Services<'_>,
    user: &CurrentUser,
    application: applications::Model,
    center: &centers::Model,
    input: &ReasonInput,
    recommend: bool,
) -> Result<applications::Model, AppError> {
    let recommends = is_national(center)
        && user.role == Role::LocalOffice
        && user.region_code.as_deref() == Some(authority_region(center).as_str());
    if !recommends {
        return Err(AppError::ForbiddenBecause(Msg::new(
            "只有中心所在省的省级知识产权局可以推荐或退回国家级中心的申请",
            "only the provincial office of the center's province recommends or returns a national application",
        )));
    }
    let reason = required_reason(input)?;
    require_state(&application, &[status::SUBMITTED])?;
    crate::db::write(services.db, async |txn| {
        let version = application.version;
        let mut changed = application;
        if recommend {
            changed.status = status::RECOMMENDED.to_string();
            changed.recommend_reason = Some(reason.clone());
        } else {
            changed.status = status::RETURNED.to_string();
            changed.return_reason = Some(reason.clone());
        }
        changed.waiting_since = services.now;
        let saved = save(txn, changed, version, services.now).await?;
        let action = if recommend {
            "application.recommend"
        } else {
            "application.return"
        };
        AuditEntry::new(Some(user.id), action, "application", saved.id)
            .after(&serde_json::json!({"status": saved.status, "reason": reason}))
            .write(txn, services.now)
            .await?;
        let (template, to) = if recommend {
            ("recommended", recipients::cnipa(txn).await?)
        } else {
            ("returned", recipients::center_staff(txn, center.id).await?)
        };
        enqueue(
            txn,
            services.mail(),
            template,
            &to,
            &mail_data(services, center, &saved, &reason),
        )
        .await?;
        Ok(saved)
    })
    .await
}

/// 403 unless `user` decides the applications of `center`.
pub(super) fn require_decider(user: &CurrentUser, center: &centers::Model) -> Result<(), AppError> {
    if decides(user, center) {
        Ok(())
    } else {
        Err(AppError::ForbiddenBecause(Msg::new(
            "国家级中心由国家知识产权局评审决定，地方中心由所在地知识产权局评审决定",
            "cnipa reviews national centers; the local office of the region reviews local ones",
        )))
    }
}

/// Adds experts to the review (cnipa; the deciding local office for a local center): a
/// recommended application moves to `under_review`; each new expert is mailed.
pub async fn assign(
    services: &Services<'_>,
    user: &CurrentUser,
    application: applications::Model,
    center: &centers::Model,
    input: &AssignInput,
) -> Result<applications::Model, AppError> {
    require_decider(user, center)?;
    require_state(&application, &[status::RECOMMENDED, status::UNDER_REVIEW])?;
    crate::db::write(services.db, async |txn| {
        let experts = review::assign(
            txn,
            Subject::Application(application.id),
            center,
            input,
            user.id,
            services.now,
        )
        .await?;
        let version = application.version;
        let mut changed = application;
        if changed.status == status::RECOMMENDED {
            changed.status = status::UNDER_REVIEW.to_string();
            changed.waiting_since = services.now;
        }
        let saved = save(txn, changed, version, services.now).await?;
        let ids: Vec<i32> = experts.iter().map(|e| e.id).collect();
        AuditEntry::new(Some(user.id), "application.assign", "application", saved.id)
            .after(&serde_json::json!({"expert_ids": ids}))
            .write(txn, services.now)
            .await?;
        let to: Vec<String> = experts.into_iter().map(|e| e.email).collect();
        enqueue(
            txn,
            services.mail(),
            "expert_assigned",
            &to,
            &mail_data(services, center, &saved, ""),
        )
        .await?;
        Ok(saved)
    })
    .await
}

/// The assigned expert's own declaration of (no) conflict of interest, kept as a record.
pub async fn declare_conflict(
    services: &Services<'_>,
    user: &CurrentUser,
    application: applications::Model,
    input: &ConflictInput,
) -> Result<applications::Model, AppError> {
    require_state(&application, &[status::UNDER_REVIEW])?;
    crate::db::write(services.db, async |txn| {
        let assignment = review::active_assignment(txn, Subject::Application(application.id), user.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let declared = review::declare(txn, assignment, input, services.now).await?;
        AuditEntry::new(Some(user.id), "application.conflict", "review_assignment", declared.id)
            .after(&serde_json::json!({"conflict_status": declared.conflict_status, "note": declared.conflict_note}))
            .write(txn, services.now)
            .await?;
        Ok(application)
    })
    .await
}

/// The expert's scores (changeable until the decision); when the last assigned expert has
/// scored, the decider is mailed.
pub async fn score(
    services: &Services<'_>,
    user: &CurrentUser,
    application: applications::Model,
    center: &centers::Model,
    input: &ScoresInput,
) -> Result<applications::Model, AppError> {
    require_state(&application, &[status::UNDER_REVIEW])?;
    let rules = services
        .rulebook
        .in_force_on(services.db, services.today)
        .await?
        .rules;
    crate::db::write(services.db, async |txn| {
        let subject = Subject::Application(application.id);
        let assignment = review::active_assignment(txn, subject, user.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let complete_before = review::all_scored(
            &review::assignments(txn, subject).await?,
            rules.min_experts,
        );
        let scored = review::score(txn, assignment, &rules.rubric, input, services.now).await?;
        AuditEntry::new(Some(user.id), "application.score", "review_assignment", scored.id)
            .after(&serde_json::json!({"scores": scored.scores, "total": scored.total, "comment": scored.comment}))
            .write(txn, services.now)
            .await?;
        let all = review::assignments(txn, subject).await?;
        if !complete_before && review::all_scored(&all, rules.min_experts) {
            let to = if is_national(center) {
                recipients::cnipa(txn).await?
            } else {
                recipients::local_office(txn, &authority_region(center)).await?
            };
            let mut data = mail_data(services, center, &application, "");
            data["mean_score"] = review::mean_score(&all).unwrap_or_default().into();
            enqueue(txn, services.mail(), "scores_complete", &to, &data).await?;
        }
        Ok(application)
    })
    .await
}

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
            super::effect::set_center_status(txn, center, center_status::UNDER_NOTICE, services.now)
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
                application.status
            ),
            format!(
                "the application is {}; it is not under notice, or an objection is open",
                application.status
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
