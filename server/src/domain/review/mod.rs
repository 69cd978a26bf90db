//! Expert review of a subject (an accreditation application; later an annual report):
//! assignment with the automatic conflict-of-interest check, each expert's own declaration
//! (kept as a record), and scores against the rubric of the rulebook.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use entities::{review_assignments, users};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

mod conflicts;
mod steps;
use crate::error::AppError;
pub use conflicts::{Candidate, automatic_conflict, candidates};
pub use steps::{assign, declare, score};

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
    /// The expert's name (empty on accounts made before names).
    pub expert_name: String,
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

/// The e-mail address and name of the experts of `assignments`, by user id (one query).
pub async fn expert_emails(
    db: &impl ConnectionTrait,
    assignments: &[review_assignments::Model],
) -> Result<BTreeMap<i32, (String, String)>, AppError> {
    let ids: Vec<i32> = assignments.iter().map(|a| a.expert_id).collect();
    Ok(users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, (u.email, u.name)))
        .collect())
}

/// The assignments of one subject as `viewer` may see them: deciders see everything; an expert
/// sees the others' scores only once every assigned expert has scored.
pub fn views(
    assignments: &[review_assignments::Model],
    emails: &BTreeMap<i32, (String, String)>,
    viewer_sees_scores: bool,
    viewer_id: i32,
) -> Vec<AssignmentView> {
    let complete = everyone_scored(assignments);
    assignments
        .iter()
        .map(|a| {
            let visible = viewer_sees_scores || complete || a.expert_id == viewer_id;
            let (expert_email, expert_name) = emails.get(&a.expert_id).cloned().unwrap_or_default();
            AssignmentView {
                id: a.id,
                expert_id: a.expert_id,
                expert_email,
                expert_name,
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

/// One rubric item on an expert's scoring form.
pub struct RubricLine {
    pub key: String,
    pub weight: u32,
    /// The expert's own score, when given.
    pub mine: Option<i64>,
}

/// The items of `rubric` with the scores `assignment`'s expert gave.
pub fn rubric_lines(
    rubric: &BTreeMap<String, u32>,
    assignment: Option<&review_assignments::Model>,
) -> Vec<RubricLine> {
    let given: BTreeMap<String, i64> = assignment
        .and_then(|a| a.scores.as_deref())
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default();
    let line = |(key, weight): (&String, &u32)| RubricLine {
        key: key.clone(),
        weight: *weight,
        mine: given.get(key).copied(),
    };
    rubric.iter().map(line).collect()
}
