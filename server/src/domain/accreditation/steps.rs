//! The reviewing steps before the decision: recommend or return, assign experts, declare
//! conflicts, score.

use entities::{applications, centers};

use super::{
    ReasonInput, Services, authority_region, is_national, mail_data, require_decider, save, status,
    wrong_state,
};
use crate::{
    auth::CurrentUser,
    domain::{
        audit::AuditEntry,
        review::{self, AssignInput, ConflictInput, ScoresInput, Subject},
        users::Role,
    },
    error::AppError,
    i18n::Msg,
    mail::{enqueue, recipients},
};

pub(super) fn required_reason(input: &ReasonInput) -> Result<String, AppError> {
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

pub(super) fn require_state(
    application: &applications::Model,
    states: &[&str],
) -> Result<(), AppError> {
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

/// An expert's recorded declaration.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Declaration {
    pub application_id: i32,
    /// `declared_none` or `declared_conflict`.
    pub conflict_status: String,
    /// Still assigned (false after declaring a conflict).
    pub active: bool,
}

/// The expert assigned to application `id` declares no conflict of interest (then reads and
/// scores it) or a conflict (and leaves the assignment); 404 for an application they are not
/// assigned to.
pub async fn declare(
    services: &Services<'_>,
    user: &CurrentUser,
    id: i32,
    input: &ConflictInput,
) -> Result<Declaration, AppError> {
    use sea_orm::EntityTrait;
    user.require(&[Role::Expert])?;
    let application = applications::Entity::find_by_id(id)
        .one(services.db)
        .await?;
    let application = application.ok_or(AppError::NotFound)?;
    // outside the expert's assignments it is 404, whatever state the application is in
    let subject = Subject::Application(id);
    if review::active_assignment(services.db, subject, user.id)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    declare_conflict(services, user, application, input).await?;
    let assignments = review::assignments(services.db, Subject::Application(id)).await?;
    let assignment = assignments.into_iter().rfind(|a| a.expert_id == user.id);
    Ok(Declaration {
        application_id: id,
        conflict_status: (assignment.as_ref())
            .map(|a| a.conflict_status.clone())
            .unwrap_or_default(),
        active: assignment.is_some_and(|a| a.active),
    })
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
