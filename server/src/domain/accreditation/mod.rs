//! Accreditation (认定): one state machine from the center's application to the start of its
//! first cycle — `draft → submitted → recommended → under_review → accredited | rejected`, with
//! `returned` from `submitted`; local-level centers go `submitted → under_review` directly.

pub mod attachments;
mod decision;
mod effect;
mod filing;
pub mod page;
mod queue;
mod steps;
mod view;

use chrono::{DateTime, Utc};
use entities::{applications, centers};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Deserialize;
use utoipa::ToSchema;

pub use crate::domain::metrics::frozen_figures;
pub use crate::domain::narratives::{AREAS, NarrativeInput as ApplicationInput};
pub use crate::domain::{
    jurisdiction::{authority_region, authority_region_of, decides, decides_on, is_national},
    services::Services,
};
pub use decision::{DecideInput, Outcome, decide, object};
pub use effect::{Resolution, ResolveInput, resolve_objection, take_effect_due};
pub use filing::{create, save_draft, submit};
pub use queue::{in_scope, waiting_on};
pub use steps::{Declaration, assign, declare, declare_conflict, recommend_or_return, score};
pub use view::{ApplicationView, of_center, view, views};

use super::{
    access,
    review::{self, Subject},
    users::Role,
};
use crate::{auth::CurrentUser, error::AppError, i18n::Msg};

/// Application states.
pub mod status {
    pub const DRAFT: &str = "draft";
    pub const SUBMITTED: &str = "submitted";
    pub const RETURNED: &str = "returned";
    pub const RECOMMENDED: &str = "recommended";
    pub const UNDER_REVIEW: &str = "under_review";
    pub const ACCREDITED: &str = "accredited";
    pub const REJECTED: &str = "rejected";
}

/// 403 unless `user` decides the applications of `center`.
fn require_decider(user: &CurrentUser, center: &centers::Model) -> Result<(), AppError> {
    if decides(user, center) {
        Ok(())
    } else {
        Err(AppError::ForbiddenBecause(Msg::new(
            "国家级中心由国家知识产权局评审决定，地方中心由所在地知识产权局评审决定",
            "cnipa reviews national centers; the local office of the region reviews local ones",
        )))
    }
}

/// `{"reason"}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReasonInput {
    #[serde(default)]
    pub reason: String,
}

/// The application and its center if `user` reads it: the center's staff, cnipa, admin, the
/// local offices reading the center, and assigned experts once they declared no conflict (403
/// before) while its review is open; 404 for everyone else (an expert, once it is decided).
pub async fn readable(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: i32,
) -> Result<(applications::Model, centers::Model), AppError> {
    let application = applications::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let center = centers::Entity::find_by_id(application.center_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if user.role == Role::Expert {
        let open = [status::RECOMMENDED, status::UNDER_REVIEW];
        if !open.contains(&application.status.as_str()) {
            return Err(AppError::NotFound);
        }
        let assignment = review::active_assignment(db, Subject::Application(id), user.id)
            .await?
            .ok_or(AppError::NotFound)?;
        if assignment.conflict_status != review::DECLARED_NONE {
            return Err(AppError::ForbiddenBecause(Msg::new(
                "查看申请前须声明无利益冲突",
                "declare that you have no conflict of interest before reading the application",
            )));
        }
        return Ok((application, center));
    }
    if access::can_read(user, &center) {
        Ok((application, center))
    } else {
        Err(AppError::NotFound)
    }
}

/// The application and its center for a step by the center's own staff (404 for others).
pub async fn writable(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: i32,
) -> Result<(applications::Model, centers::Model), AppError> {
    let (application, center) = readable(db, user, id).await?;
    access::writable_center(db, user, center.id).await?;
    Ok((application, center))
}

/// A draft or a returned application may be edited and submitted; anything else is 409.
pub(crate) fn editable(application: &applications::Model) -> Result<(), AppError> {
    if matches!(
        application.status.as_str(),
        status::DRAFT | status::RETURNED
    ) {
        Ok(())
    } else {
        Err(wrong_state(application))
    }
}

/// 409 naming the application's current state.
pub fn wrong_state(application: &applications::Model) -> AppError {
    AppError::Conflict(Msg::new(
        format!(
            "申请当前状态为 {}，不能进行此操作",
            crate::domain::states::in_words(&application.status).zh
        ),
        format!(
            "the application is {}; this step does not apply",
            crate::domain::states::in_words(&application.status).en
        ),
    ))
}

/// Writes `changed` over the application if it is still at `expected_version` (409 otherwise),
/// with the next version.
async fn save(
    db: &impl ConnectionTrait,
    mut changed: applications::Model,
    expected_version: i32,
    now: DateTime<Utc>,
) -> Result<applications::Model, AppError> {
    changed.version = expected_version + 1;
    changed.updated_at = now;
    let id = changed.id;
    let active: applications::ActiveModel = changed.clone().into();
    let result = applications::Entity::update_many()
        .set(active.reset_all())
        .filter(applications::Column::Id.eq(id))
        .filter(applications::Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    if result.rows_affected == 1 {
        Ok(changed)
    } else {
        let current = applications::Entity::find_by_id(id).one(db).await?;
        Err(AppError::Conflict(Msg::new(
            format!(
                "申请已被他人修改（当前状态 {}），请刷新后重试",
                current.as_ref().map_or("?", |c| c.status.as_str())
            ),
            format!(
                "the application changed meanwhile (now {}); reload and try again",
                current.as_ref().map_or("?", |c| c.status.as_str())
            ),
        )))
    }
}

/// What every application mail template reads.
fn mail_data(
    services: &Services<'_>,
    center: &centers::Model,
    application: &applications::Model,
    reason: &str,
) -> serde_json::Value {
    serde_json::json!({
        "center_name": center.name,
        "application_id": application.id,
        "status": application.status,
        "reason": reason,
        "outcome_zh": match application.outcome.as_deref() {
            Some(status::ACCREDITED) => "予以认定",
            Some(_) => "不予认定",
            None => "",
        },
        "outcome_en": application.outcome.clone().unwrap_or_default(),
        "mean_score": application.mean_score.clone().unwrap_or_default(),
        "notice_ends_on": application.notice_ends_on.map(|d| d.to_string()).unwrap_or_default(),
        "effective_on": application.effective_on.map(|d| d.to_string()).unwrap_or_default(),
        "link": format!("{}/applications/{}", services.public_url.trim_end_matches('/'), application.id),
    })
}
