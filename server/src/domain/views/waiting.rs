//! How many things wait on a person, by where they wait: the menu shows each count beside the
//! page that lists them.

use entities::join_requests;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde::Serialize;

use crate::{
    auth::CurrentUser,
    domain::{
        accreditation::waiting_on, dashboard, services::Services, users::Role,
        users::links::pending_for, views::expert_home::expert_tasks,
    },
    error::AppError,
};

/// The counts of what waits on one person.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Waiting {
    /// Applications whose next step is theirs; for an expert, the reviews to declare or score.
    pub applications: usize,
    /// Annual reviews, withdrawals and exits that wait on a decider (cnipa, a local office).
    pub reviews: usize,
    /// Requests to be linked to an organization that they decide.
    pub links: usize,
    /// Requests to join the alliance of their center (center staff).
    pub join_requests: usize,
}

impl Waiting {
    /// Everything that waits: the count beside the home page, which lists it all.
    pub fn total(&self) -> usize {
        self.applications + self.reviews + self.links + self.join_requests
    }
}

/// What waits on `user` now (the same lists as the home page shows, counted).
pub async fn waiting(
    services: &Services<'_>,
    dashboards: &dashboard::DashboardCache,
    user: &CurrentUser,
) -> Result<Waiting, AppError> {
    let db = services.db;
    let applications = match user.role {
        Role::Expert => expert_tasks(db, user.id).await?.len(),
        Role::Member => 0,
        _ => waiting_on(db, user, services.now).await?.len(),
    };
    let reviews = if matches!(user.role, Role::Cnipa | Role::LocalOffice) {
        let scope = dashboard::scope_of(user)?;
        let snapshot = dashboard::snapshot(services, dashboards, &scope).await?;
        dashboard::waiting_on(&snapshot, user).len()
    } else {
        0
    };
    let join_requests = match (user.role, user.center_id) {
        (Role::Center, Some(center_id)) => {
            join_requests::Entity::find()
                .filter(join_requests::Column::CenterId.eq(center_id))
                .filter(join_requests::Column::Status.eq("pending"))
                .count(db)
                .await? as usize
        }
        _ => 0,
    };
    Ok(Waiting {
        applications,
        reviews,
        links: pending_for(db, user, services.today).await?.len(),
        join_requests,
    })
}
