//! What waits on whom: the open applications whose next step is the caller's, oldest first.

use chrono::{DateTime, Utc};
use entities::{applications, centers};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::{self as workflow, ApplicationView, status};
use crate::{
    auth::CurrentUser,
    domain::{review, users::Role},
    error::AppError,
};

/// The applications whose next step is `user`'s, oldest first: a provincial office's national
/// applications to recommend and local ones to review; cnipa's recommended and under-review
/// national ones (and accredited ones with an open objection); an expert's assignments not yet
/// scored; a center's drafts and returned applications.
pub async fn waiting_on(
    db: &DatabaseConnection,
    user: &CurrentUser,
    now: DateTime<Utc>,
) -> Result<Vec<ApplicationView>, AppError> {
    let open = [
        status::DRAFT,
        status::RETURNED,
        status::SUBMITTED,
        status::RECOMMENDED,
        status::UNDER_REVIEW,
        status::ACCREDITED,
    ];
    let open_applications = applications::Entity::find()
        .filter(applications::Column::Status.is_in(open))
        .filter(applications::Column::EffectiveOn.is_null())
        .order_by_asc(applications::Column::WaitingSince)
        .all(db)
        .await?;
    let center_ids: Vec<i32> = open_applications.iter().map(|a| a.center_id).collect();
    let centers: std::collections::HashMap<i32, centers::Model> = centers::Entity::find()
        .filter(centers::Column::Id.is_in(center_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let experts_on = if user.role == Role::Expert {
        review::assignments_of_applications(
            db,
            &open_applications.iter().map(|a| a.id).collect::<Vec<_>>(),
        )
        .await?
    } else {
        Default::default()
    };
    let waiting = open_applications
        .into_iter()
        .filter_map(|a| {
            let center = centers.get(&a.center_id)?.clone();
            let assigned = experts_on.get(&a.id).map(Vec::as_slice).unwrap_or_default();
            waits_on(user, &a, &center, assigned).then_some((a, center))
        })
        .collect();
    workflow::views(db, user, waiting, now).await
}

/// Whether `application`'s next step is `user`'s (`assigned`: its review assignments).
fn waits_on(
    user: &CurrentUser,
    application: &applications::Model,
    center: &centers::Model,
    assigned: &[entities::review_assignments::Model],
) -> bool {
    let s = application.status.as_str();
    match user.role {
        Role::Center => {
            user.center_id == Some(center.id) && matches!(s, status::DRAFT | status::RETURNED)
        }
        Role::LocalOffice if workflow::is_national(center) => {
            s == status::SUBMITTED
                && user.region_code.as_deref() == Some(workflow::authority_region(center).as_str())
        }
        Role::LocalOffice | Role::Cnipa => {
            workflow::decides(user, center)
                && (matches!(s, status::RECOMMENDED | status::UNDER_REVIEW)
                    || (s == status::ACCREDITED && application.objection_open))
        }
        Role::Expert => {
            s == status::UNDER_REVIEW
                && assigned
                    .iter()
                    .any(|a| a.expert_id == user.id && a.active && a.scored_at.is_none())
        }
        Role::Admin | Role::Member => false,
    }
}

/// Every application in the scope of a reviewer (cnipa: all; a local office: its region's;
/// an admin: all), in `state` when one is given, newest first; nobody else lists them here.
pub async fn in_scope(
    db: &DatabaseConnection,
    user: &CurrentUser,
    state: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<ApplicationView>, AppError> {
    if !matches!(user.role, Role::Cnipa | Role::LocalOffice | Role::Admin) {
        return Ok(Vec::new());
    }
    let mut query = applications::Entity::find().order_by_desc(applications::Column::Id);
    if let Some(state) = state {
        query = query.filter(applications::Column::Status.eq(state));
    }
    let all = query.all(db).await?;
    let center_ids: Vec<i32> = all.iter().map(|a| a.center_id).collect();
    let centers: std::collections::HashMap<i32, centers::Model> = centers::Entity::find()
        .filter(centers::Column::Id.is_in(center_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let readable = all.into_iter().filter_map(|a| {
        let center = centers.get(&a.center_id)?;
        crate::domain::access::can_read(user, center).then(|| (a, center.clone()))
    });
    workflow::views(db, user, readable.collect(), now).await
}
