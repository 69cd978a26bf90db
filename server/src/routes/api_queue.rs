//! What waits on the caller: the applications whose next step is theirs, oldest first.

use actix_web::{HttpResponse, get, web};
use entities::{applications, centers};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    auth::CurrentUser,
    domain::{
        accreditation::{self as workflow, ApplicationView, status},
        review,
        users::Role,
    },
    error::{AppError, ErrorBody},
    state::AppState,
};

/// What waits on me.
#[derive(Serialize, ToSchema)]
pub struct Queue {
    /// Applications waiting on the caller's step, oldest first, with days waiting.
    pub items: Vec<ApplicationView>,
}

/// The applications waiting on the caller, oldest first: a provincial office's national
/// applications to recommend and local ones to review; cnipa's recommended and under-review
/// national ones; an expert's assignments; a center's drafts and returned applications.
#[utoipa::path(get, path = "/api/v1/applications", tag = "accreditation", security(("bearer" = [])),
    responses((status = 200, body = Queue), (status = 401, body = ErrorBody)))]
#[get("/applications")]
pub async fn queue(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    Ok(HttpResponse::Ok().json(Queue {
        items: waiting_on(&state, &user).await?,
    }))
}

/// The applications whose next step is `user`'s, oldest first.
pub async fn waiting_on(
    state: &AppState,
    user: &CurrentUser,
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
        .all(&state.db)
        .await?;
    let center_ids: Vec<i32> = open_applications.iter().map(|a| a.center_id).collect();
    let centers: std::collections::HashMap<i32, centers::Model> = centers::Entity::find()
        .filter(centers::Column::Id.is_in(center_ids))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let experts_on = if user.role == Role::Expert {
        review::assignments_of_applications(
            &state.db,
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
    workflow::views(&state.db, user, waiting, state.clock.now()).await
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

/// Registers the route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(queue);
}
