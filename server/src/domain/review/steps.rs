//! The review's steps: assigning experts, an expert's declaration, an expert's scores.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use entities::{centers, review_assignments, users};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};

use super::{
    AssignInput, ConflictInput, DECLARED_CONFLICT, DECLARED_NONE, NOT_ASKED, ScoresInput, Subject,
    active_assignment, automatic_conflict,
};
use crate::{
    domain::users::Role,
    error::{AppError, FieldErrors},
    i18n::Msg,
};

/// Adds the experts `input.expert_ids` to the assignment of `subject` of `center`: each must be
/// an enabled expert, not already assigned, and free of an automatic conflict (422 naming the
/// expert and the reason otherwise). Returns the experts newly assigned.
pub async fn assign(
    db: &impl ConnectionTrait,
    subject: Subject,
    center: &centers::Model,
    input: &AssignInput,
    actor_user_id: i32,
    now: DateTime<Utc>,
) -> Result<Vec<users::Model>, AppError> {
    let mut errors = FieldErrors::default();
    if input.expert_ids.is_empty() {
        errors.add(
            "expert_ids",
            Msg::new("请至少指派一位专家", "name at least one expert"),
        );
    }
    let mut experts = Vec::new();
    for (i, id) in input.expert_ids.iter().enumerate() {
        let field = format!("expert_ids[{i}]");
        let expert = users::Entity::find_by_id(*id).one(db).await?;
        let Some(expert) = expert.filter(|u| u.role == Role::Expert.as_str() && !u.disabled) else {
            errors.add(
                field,
                Msg::new(
                    format!("用户 {id} 不是专家"),
                    format!("user {id} is not an expert"),
                ),
            );
            continue;
        };
        if active_assignment(db, subject, expert.id).await?.is_some()
            || experts.iter().any(|e: &users::Model| e.id == expert.id)
        {
            errors.add(
                field,
                Msg::new("该专家已被指派", "this expert is already assigned"),
            );
            continue;
        }
        if let Some(reason) = automatic_conflict(db, center, &expert).await? {
            errors.add(
                field,
                Msg::new(
                    format!("存在利益冲突：{}", reason.zh),
                    format!("conflict of interest: {}", reason.en),
                ),
            );
            continue;
        }
        experts.push(expert);
    }
    errors.into_result(())?;
    for expert in &experts {
        review_assignments::ActiveModel {
            subject_kind: Set(subject.kind().to_string()),
            subject_id: Set(subject.id()),
            expert_id: Set(expert.id),
            active: Set(true),
            conflict_status: Set(NOT_ASKED.to_string()),
            assigned_by: Set(actor_user_id),
            assigned_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(experts)
}

/// Records the expert's own declaration: none (the expert may then read and score) or a
/// conflict (the expert leaves the assignment; another may be added). Declared once.
pub async fn declare(
    db: &impl ConnectionTrait,
    assignment: review_assignments::Model,
    input: &ConflictInput,
    now: DateTime<Utc>,
) -> Result<review_assignments::Model, AppError> {
    if assignment.conflict_status != NOT_ASKED {
        return Err(AppError::Conflict(Msg::new(
            format!("已声明：{}", assignment.conflict_status),
            format!("already declared: {}", assignment.conflict_status),
        )));
    }
    let note = input
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    if input.declared_conflict && note.is_none() {
        return Err(AppError::field(
            "note",
            Msg::new("请说明利益冲突", "describe the conflict of interest"),
        ));
    }
    let version = assignment.version;
    let mut active: review_assignments::ActiveModel = assignment.into();
    active.conflict_status = Set(if input.declared_conflict {
        DECLARED_CONFLICT
    } else {
        DECLARED_NONE
    }
    .to_string());
    active.conflict_note = Set(note.map(str::to_string));
    active.declared_at = Set(Some(now));
    if input.declared_conflict {
        active.active = Set(false);
    }
    active.version = Set(version + 1);
    Ok(active.update(db).await?)
}

/// Records (or replaces) the expert's scores: every rubric item scored 0..=its weight, a
/// comment; only after declaring no conflict.
pub async fn score(
    db: &impl ConnectionTrait,
    assignment: review_assignments::Model,
    rubric: &BTreeMap<String, u32>,
    input: &ScoresInput,
    now: DateTime<Utc>,
) -> Result<review_assignments::Model, AppError> {
    if assignment.conflict_status != DECLARED_NONE {
        return Err(AppError::ForbiddenBecause(Msg::new(
            "评分前须声明无利益冲突",
            "declare that you have no conflict of interest before scoring",
        )));
    }
    let mut errors = FieldErrors::default();
    for key in input.items.keys().filter(|k| !rubric.contains_key(*k)) {
        errors.add(
            format!("items.{key}"),
            Msg::new("评分表中无此项", "not an item of the rubric"),
        );
    }
    let mut total = 0i64;
    for (key, weight) in rubric {
        match input.items.get(key) {
            None => errors.add(
                format!("items.{key}"),
                Msg::new("请评分", "a score is required"),
            ),
            Some(n) if *n < 0 || *n > i64::from(*weight) => errors.add(
                format!("items.{key}"),
                Msg::new(
                    format!("须在 0 至 {weight} 之间"),
                    format!("must lie between 0 and {weight}"),
                ),
            ),
            Some(n) => total += n,
        }
    }
    let comment = input
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if comment.is_none() {
        errors.add("comment", Msg::new("请填写评语", "a comment is required"));
    }
    errors.into_result(())?;
    let version = assignment.version;
    let mut active: review_assignments::ActiveModel = assignment.into();
    active.scores = Set(Some(
        serde_json::to_string(&input.items).map_err(anyhow::Error::from)?,
    ));
    active.total = Set(Some(i32::try_from(total).unwrap_or(i32::MAX)));
    active.comment = Set(comment.map(str::to_string));
    active.scored_at = Set(Some(now));
    active.version = Set(version + 1);
    Ok(active.update(db).await?)
}
