//! Expert review of a subject (an accreditation application; later an annual report):
//! assignment with the automatic conflict-of-interest check, each expert's own declaration
//! (kept as a record), and scores against the rubric of the rulebook.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use entities::{centers, memberships, organizations, review_assignments, users};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::users::Role;
use crate::{
    error::{AppError, FieldErrors},
    i18n::Msg,
};

/// What experts review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Application(i32),
    /// An annual report, by its id.
    Report(i32),
}

impl Subject {
    fn kind(self) -> &'static str {
        match self {
            Subject::Application(_) => "application",
            Subject::Report(_) => "report",
        }
    }

    fn id(self) -> i32 {
        match self {
            Subject::Application(id) | Subject::Report(id) => id,
        }
    }
}

/// The expert has not declared yet.
pub const NOT_ASKED: &str = "not_asked";
/// The expert declared no conflict of interest.
pub const DECLARED_NONE: &str = "declared_none";
/// The expert declared a conflict and left the assignment.
pub const DECLARED_CONFLICT: &str = "declared_conflict";

/// `{"expert_ids":[…]}`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AssignInput {
    pub expert_ids: Vec<i32>,
}

/// `{"declared_conflict":bool,"note"}`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ConflictInput {
    pub declared_conflict: bool,
    #[serde(default)]
    pub note: Option<String>,
}

/// `{"items":{"<rubric key>":n,…},"comment"}`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ScoresInput {
    pub items: BTreeMap<String, i64>,
    #[serde(default)]
    pub comment: Option<String>,
}

/// One expert's assignment as a reader may see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssignmentView {
    pub id: i32,
    pub expert_id: i32,
    pub expert_email: String,
    pub active: bool,
    pub conflict_status: String,
    pub conflict_note: Option<String>,
    pub declared_at: Option<DateTime<Utc>>,
    pub scored: bool,
    /// Hidden (null) until every assigned expert has scored, except to the expert and deciders.
    pub scores: Option<BTreeMap<String, i64>>,
    pub total: Option<i32>,
    pub comment: Option<String>,
    pub scored_at: Option<DateTime<Utc>>,
}

/// Every assignment of `subject`, in the order made.
pub async fn assignments(
    db: &impl ConnectionTrait,
    subject: Subject,
) -> Result<Vec<review_assignments::Model>, AppError> {
    Ok(review_assignments::Entity::find()
        .filter(review_assignments::Column::SubjectKind.eq(subject.kind()))
        .filter(review_assignments::Column::SubjectId.eq(subject.id()))
        .order_by_asc(review_assignments::Column::Id)
        .all(db)
        .await?)
}

/// Every assignment of the applications `ids`, by application id (one query).
pub async fn assignments_of_applications(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<BTreeMap<i32, Vec<review_assignments::Model>>, AppError> {
    let mut by_subject: BTreeMap<i32, Vec<review_assignments::Model>> = BTreeMap::new();
    for a in review_assignments::Entity::find()
        .filter(review_assignments::Column::SubjectKind.eq(Subject::Application(0).kind()))
        .filter(review_assignments::Column::SubjectId.is_in(ids.iter().copied()))
        .order_by_asc(review_assignments::Column::Id)
        .all(db)
        .await?
    {
        by_subject.entry(a.subject_id).or_default().push(a);
    }
    Ok(by_subject)
}

/// The active assignment of `expert_id` on `subject`, if any.
pub async fn active_assignment(
    db: &impl ConnectionTrait,
    subject: Subject,
    expert_id: i32,
) -> Result<Option<review_assignments::Model>, AppError> {
    Ok(review_assignments::Entity::find()
        .filter(review_assignments::Column::SubjectKind.eq(subject.kind()))
        .filter(review_assignments::Column::SubjectId.eq(subject.id()))
        .filter(review_assignments::Column::ExpertId.eq(expert_id))
        .filter(review_assignments::Column::Active.eq(true))
        .one(db)
        .await?)
}

/// Whether every expert still assigned — at least the rulebook's `min_experts` — has scored.
pub fn all_scored(assignments: &[review_assignments::Model], min_experts: u32) -> bool {
    let active: Vec<_> = assignments.iter().filter(|a| a.active).collect();
    active.len() >= usize::try_from(min_experts).unwrap_or(usize::MAX)
        && everyone_scored(assignments)
}

/// Whether there are experts still assigned and every one of them has scored (the scores then
/// become visible to each other).
pub fn everyone_scored(assignments: &[review_assignments::Model]) -> bool {
    let mut active = assignments.iter().filter(|a| a.active).peekable();
    active.peek().is_some() && active.all(|a| a.scored_at.is_some())
}

/// The mean total of the active experts' scores, two decimals ("82.33"), if any scored.
pub fn mean_score(assignments: &[review_assignments::Model]) -> Option<String> {
    let totals: Vec<i64> = assignments
        .iter()
        .filter(|a| a.active)
        .filter_map(|a| a.total.map(i64::from))
        .collect();
    if totals.is_empty() {
        return None;
    }
    let n = totals.len() as i64;
    let hundredths = (totals.iter().sum::<i64>() * 200 + n) / (2 * n);
    Some(format!("{}.{:02}", hundredths / 100, hundredths % 100))
}

/// Why `expert`'s organization may not review `center` (rule: the expert's organization is the
/// host, an alliance member, or a counterparty of one of the center's deals), if it may not.
pub async fn automatic_conflict(
    db: &impl ConnectionTrait,
    center: &centers::Model,
    expert: &users::Model,
) -> Result<Option<Msg>, AppError> {
    let Some(org_id) = expert.organization_id else {
        return Ok(None);
    };
    if org_id == center.host_organization_id {
        return Ok(Some(Msg::new(
            "专家所在单位是该中心的建设主体",
            "the expert's organization is the center's host",
        )));
    }
    let member = memberships::Entity::find()
        .filter(memberships::Column::CenterId.eq(center.id))
        .filter(memberships::Column::OrganizationId.eq(org_id))
        .filter(memberships::Column::DeletedAt.is_null())
        .filter(memberships::Column::LeftOn.is_null())
        .one(db)
        .await?;
    if member.is_some() {
        return Ok(Some(Msg::new(
            "专家所在单位是该中心的联盟成员",
            "the expert's organization is a member of the center's alliance",
        )));
    }
    let Some(org) = organizations::Entity::find_by_id(org_id).one(db).await? else {
        return Ok(None);
    };
    let counterparty = entities::transactions::Entity::find()
        .filter(entities::transactions::Column::CenterId.eq(center.id))
        .filter(entities::transactions::Column::DeletedAt.is_null())
        .filter(
            entities::transactions::Column::CounterpartyUscc.contains(format!("\"{}\"", org.uscc)),
        )
        .one(db)
        .await?;
    Ok(counterparty.map(|_| {
        Msg::new(
            "专家所在单位是该中心交易的交易对方",
            "the expert's organization is a counterparty of one of the center's deals",
        )
    }))
}

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

/// The e-mail addresses of the experts of `assignments`, by user id (one query).
pub async fn expert_emails(
    db: &impl ConnectionTrait,
    assignments: &[review_assignments::Model],
) -> Result<BTreeMap<i32, String>, AppError> {
    let ids: Vec<i32> = assignments.iter().map(|a| a.expert_id).collect();
    Ok(users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect())
}

/// The assignments of one subject as `viewer` may see them: deciders see everything; an expert
/// sees the others' scores only once every assigned expert has scored.
pub fn views(
    assignments: &[review_assignments::Model],
    emails: &BTreeMap<i32, String>,
    viewer_sees_scores: bool,
    viewer_id: i32,
) -> Vec<AssignmentView> {
    let complete = everyone_scored(assignments);
    assignments
        .iter()
        .map(|a| {
            let visible = viewer_sees_scores || complete || a.expert_id == viewer_id;
            AssignmentView {
                id: a.id,
                expert_id: a.expert_id,
                expert_email: emails.get(&a.expert_id).cloned().unwrap_or_default(),
                active: a.active,
                conflict_status: a.conflict_status.clone(),
                conflict_note: a.conflict_note.clone(),
                declared_at: a.declared_at,
                scored: a.scored_at.is_some(),
                scores: a
                    .scores
                    .as_deref()
                    .filter(|_| visible)
                    .and_then(|s| serde_json::from_str(s).ok()),
                total: a.total.filter(|_| visible),
                comment: a.comment.clone().filter(|_| visible),
                scored_at: a.scored_at,
            }
        })
        .collect()
}
