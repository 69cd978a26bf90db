//! An application as its readers see it, with assignments, experts and attachments read in one
//! query each.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use entities::{applications, centers};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use utoipa::ToSchema;

use super::{attachments, decides};
use crate::{
    auth::CurrentUser,
    domain::{
        narratives::{json_list, json_map},
        review::{self, AssignmentView},
        users::Role,
    },
    error::AppError,
};

/// An application as its readers see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicationView {
    pub id: i32,
    pub center_id: i32,
    pub center_name: String,
    pub center_level: String,
    pub status: String,
    pub narratives: BTreeMap<String, String>,
    pub nothing_to_report: Vec<String>,
    /// The indicators of the last full year, frozen on submission, with each criterion's verdict.
    #[schema(value_type = Object)]
    pub snapshot: Option<serde_json::Value>,
    pub snapshot_year: Option<i32>,
    /// A hard criterion of the snapshot fails (submitting is allowed, accrediting is not).
    pub criteria_failed: bool,
    pub return_reason: Option<String>,
    pub recommend_reason: Option<String>,
    pub outcome: Option<String>,
    pub decision_reason: Option<String>,
    pub decision_rulebook_version: Option<i32>,
    pub mean_score: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Last day of the public notice of an accreditation.
    pub notice_ends_on: Option<NaiveDate>,
    pub objection: Option<String>,
    pub objection_open: bool,
    /// The day the accreditation took effect and cycle 1 started.
    pub effective_on: Option<NaiveDate>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub waiting_since: DateTime<Utc>,
    pub days_waiting: i64,
    /// Deciders see every assignment with its scores; an expert sees the others' scores once all
    /// have scored; center staff see none.
    pub assignments: Vec<AssignmentView>,
    pub attachments: Vec<attachments::AttachmentView>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// An assigned expert who has not declared (no) conflict of interest yet sees only the
    /// summary: the center and the state, no narratives, figures, attachments, reasons or other
    /// experts.
    pub summary_only: bool,
}

/// What an expert may see of an application: nothing of one it is not assigned to, the summary
/// until it declares no conflict, the whole of it afterwards.
enum ExpertSight {
    Nothing,
    Summary,
    Whole,
}

fn expert_sight(user: &CurrentUser, mine: &[entities::review_assignments::Model]) -> ExpertSight {
    match mine.iter().find(|a| a.expert_id == user.id && a.active) {
        None => ExpertSight::Nothing,
        Some(a) if a.conflict_status == review::DECLARED_NONE => ExpertSight::Whole,
        Some(_) => ExpertSight::Summary,
    }
}

/// `view` reduced to its summary (what an undeclared expert sees).
fn summary(mut view: ApplicationView, user: &CurrentUser) -> ApplicationView {
    view.narratives.clear();
    view.nothing_to_report.clear();
    view.snapshot = None;
    view.attachments.clear();
    view.assignments.retain(|a| a.expert_id == user.id);
    (
        view.return_reason,
        view.recommend_reason,
        view.decision_reason,
    ) = (None, None, None);
    (view.objection, view.mean_score) = (None, None);
    view.summary_only = true;
    view
}

/// The view of `application` for `user`.
pub async fn view(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    application: applications::Model,
    center: &centers::Model,
    now: DateTime<Utc>,
) -> Result<ApplicationView, AppError> {
    let mut one = views(db, user, vec![(application, center.clone())], now).await?;
    one.pop().ok_or(AppError::NotFound)
}

/// The views of `items` for `user`, their assignments, experts and attachments read in one query
/// each, whatever their number (the queue).
pub async fn views(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    items: Vec<(applications::Model, centers::Model)>,
    now: DateTime<Utc>,
) -> Result<Vec<ApplicationView>, AppError> {
    let ids: Vec<i32> = items.iter().map(|(a, _)| a.id).collect();
    let mut assignments = if user.role == Role::Center {
        BTreeMap::new()
    } else {
        review::assignments_of_applications(db, &ids).await?
    };
    let all: Vec<_> = assignments.values().flatten().cloned().collect();
    let emails = review::expert_emails(db, &all).await?;
    let mut files = attachments::of_applications(db, &ids).await?;
    Ok(items
        .into_iter()
        .filter_map(|(application, center)| {
            let sees_scores =
                matches!(user.role, Role::Admin | Role::Cnipa) || decides(user, &center);
            let mine = assignments.remove(&application.id).unwrap_or_default();
            let sight = match user.role {
                Role::Expert => expert_sight(user, &mine),
                _ => ExpertSight::Whole,
            };
            let view = ApplicationView {
                id: application.id,
                center_id: center.id,
                center_name: center.name.clone(),
                center_level: center.level.clone(),
                narratives: json_map(&application.narratives),
                nothing_to_report: json_list(&application.nothing_to_report),
                snapshot: application
                    .snapshot
                    .as_deref()
                    .and_then(|s| serde_json::from_str(s).ok()),
                snapshot_year: application.snapshot_year,
                criteria_failed: application.criteria_failed,
                return_reason: application.return_reason,
                recommend_reason: application.recommend_reason,
                outcome: application.outcome,
                decision_reason: application.decision_reason,
                decision_rulebook_version: application.decision_rulebook_version,
                mean_score: application.mean_score,
                decided_at: application.decided_at,
                notice_ends_on: application.notice_ends_on,
                objection: application.objection,
                objection_open: application.objection_open,
                effective_on: application.effective_on,
                submitted_at: application.submitted_at,
                days_waiting: (now - application.waiting_since).num_days().max(0),
                waiting_since: application.waiting_since,
                assignments: review::views(&mine, &emails, sees_scores, user.id),
                attachments: files
                    .remove(&application.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(Into::into)
                    .collect(),
                status: application.status,
                version: application.version,
                created_at: application.created_at,
                updated_at: application.updated_at,
                summary_only: false,
            };
            match sight {
                ExpertSight::Nothing => None,
                ExpertSight::Summary => Some(summary(view, user)),
                ExpertSight::Whole => Some(view),
            }
        })
        .collect())
}

/// The applications of `center`, latest first, as `user` sees them.
pub async fn of_center(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    center: &centers::Model,
    now: DateTime<Utc>,
) -> Result<Vec<ApplicationView>, AppError> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let items = applications::Entity::find()
        .filter(applications::Column::CenterId.eq(center.id))
        .order_by_desc(applications::Column::Id)
        .all(db)
        .await?;
    let items = items.into_iter().map(|a| (a, center.clone())).collect();
    views(db, user, items, now).await
}
