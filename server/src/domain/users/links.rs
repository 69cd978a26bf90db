//! Linking an account to an organization already registered: asked when a person registers with
//! its code, decided by the staff of a center whose alliance holds the organization, else by an
//! admin. Until it is approved the account has no organization and sees only itself.

use chrono::{DateTime, NaiveDate, Utc};
use entities::{memberships, organization_links as links, organizations, users};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, Set, sea_query::Expr,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::Role;
use crate::{auth::CurrentUser, domain::audit::AuditEntry, error::AppError, i18n::Msg};

/// The states of a link request.
pub mod status {
    pub const PENDING: &str = "pending";
    pub const APPROVED: &str = "approved";
    pub const DECLINED: &str = "declined";
}

/// A link request as its decider and its person see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LinkView {
    pub id: i32,
    pub user_id: i32,
    pub user_email: String,
    pub user_name: String,
    pub organization_id: i32,
    pub organization_name: String,
    pub uscc: String,
    /// `pending`, `approved` or `declined`.
    pub status: String,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The day it was asked (China time).
    pub asked_on: NaiveDate,
    pub decided_at: Option<DateTime<Utc>>,
}

/// Asks, inside the registration's transaction, to link `user_id` to `organization_id`.
pub(super) async fn request(
    txn: &impl ConnectionTrait,
    user_id: i32,
    organization_id: i32,
    now: DateTime<Utc>,
) -> Result<links::Model, AppError> {
    let asked = links::ActiveModel {
        user_id: Set(user_id),
        organization_id: Set(organization_id),
        status: Set(status::PENDING.into()),
        version: Set(1),
        created_at: Set(now),
        ..Default::default()
    };
    Ok(asked.insert(txn).await?)
}

/// The requests `rows` with their person and organization.
async fn views(
    db: &impl ConnectionTrait,
    rows: Vec<links::Model>,
) -> Result<Vec<LinkView>, AppError> {
    let people: std::collections::HashMap<i32, users::Model> = users::Entity::find()
        .filter(users::Column::Id.is_in(rows.iter().map(|l| l.user_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let orgs: std::collections::HashMap<i32, organizations::Model> = organizations::Entity::find()
        .filter(organizations::Column::Id.is_in(rows.iter().map(|l| l.organization_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let view = |l: links::Model| {
        let (person, org) = (people.get(&l.user_id)?, orgs.get(&l.organization_id)?);
        Some(LinkView {
            id: l.id,
            user_id: l.user_id,
            user_email: person.email.clone(),
            user_name: person.name.clone(),
            organization_id: l.organization_id,
            organization_name: org.name.clone(),
            uscc: org.uscc.clone(),
            status: l.status,
            reason: l.reason,
            created_at: l.created_at,
            asked_on: crate::clock::china_date(l.created_at),
            decided_at: l.decided_at,
        })
    };
    Ok(rows.into_iter().filter_map(view).collect())
}

/// The organizations whose links `user` decides: `None` for all (an admin); the live members of
/// the alliance of a center's staff; nothing for everyone else.
async fn decided_by(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    today: NaiveDate,
) -> Result<Option<Vec<i32>>, AppError> {
    let center_id = match (user.role, user.center_id) {
        (Role::Admin, _) => return Ok(None),
        (Role::Center, Some(center_id)) => center_id,
        _ => return Ok(Some(Vec::new())),
    };
    let live = memberships::Entity::find()
        .filter(memberships::Column::CenterId.eq(center_id))
        .filter(memberships::Column::DeletedAt.is_null())
        .filter(
            Condition::any()
                .add(memberships::Column::LeftOn.is_null())
                .add(memberships::Column::LeftOn.gt(today)),
        )
        .all(db)
        .await?;
    Ok(Some(live.into_iter().map(|m| m.organization_id).collect()))
}

/// The pending link requests `user` decides, oldest first.
pub async fn pending_for(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    today: NaiveDate,
) -> Result<Vec<LinkView>, AppError> {
    let mut query = links::Entity::find()
        .filter(links::Column::Status.eq(status::PENDING))
        .order_by_asc(links::Column::Id);
    if let Some(orgs) = decided_by(db, user, today).await? {
        query = query.filter(links::Column::OrganizationId.is_in(orgs));
    }
    views(db, query.all(db).await?).await
}

/// The latest link request of `user_id`, if any.
pub async fn latest_of(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<Option<LinkView>, AppError> {
    let latest = links::Entity::find()
        .filter(links::Column::UserId.eq(user_id))
        .order_by_desc(links::Column::Id)
        .one(db)
        .await?;
    Ok(views(db, latest.into_iter().collect()).await?.pop())
}

/// Approves (the account then belongs to the organization) or declines (a reason required) the
/// pending request `id`; 404 when `user` does not decide it, 409 naming its state once decided.
/// Two deciders at once: exactly one succeeds.
pub async fn decide(
    db: &DatabaseConnection,
    user: &CurrentUser,
    id: i32,
    (approve, reason): (bool, Option<&str>),
    (today, now): (NaiveDate, DateTime<Utc>),
) -> Result<LinkView, AppError> {
    let link = links::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(orgs) = decided_by(db, user, today).await?
        && !orgs.contains(&link.organization_id)
    {
        return Err(AppError::NotFound);
    }
    let reason = reason
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string);
    if !approve && reason.is_none() {
        let why = Msg::new("拒绝须说明理由", "a reason is required to decline");
        return Err(AppError::field("reason", why));
    }
    let state = if approve {
        status::APPROVED
    } else {
        status::DECLINED
    };
    crate::db::write(db, async |txn| {
        let claimed = links::Entity::update_many()
            .col_expr(links::Column::Status, Expr::value(state))
            .col_expr(links::Column::Reason, Expr::value(reason.clone()))
            .col_expr(links::Column::DecidedBy, Expr::value(user.id))
            .col_expr(links::Column::DecidedAt, Expr::value(now))
            .col_expr(links::Column::Version, Expr::value(link.version + 1))
            .filter(links::Column::Id.eq(id))
            .filter(links::Column::Status.eq(status::PENDING))
            .exec(txn)
            .await?;
        if claimed.rows_affected == 0 {
            return Err(AppError::Conflict(Msg::new(
                "该关联申请已处理",
                "this link request has already been decided",
            )));
        }
        if approve {
            users::Entity::update_many()
                .col_expr(
                    users::Column::OrganizationId,
                    Expr::value(link.organization_id),
                )
                .col_expr(users::Column::UpdatedAt, Expr::value(now))
                .filter(users::Column::Id.eq(link.user_id))
                .exec(txn)
                .await?;
        }
        let decided = links::Entity::find_by_id(id)
            .one(txn)
            .await?
            .ok_or(AppError::NotFound)?;
        let after = views(txn, vec![decided])
            .await?
            .pop()
            .ok_or(AppError::NotFound)?;
        let action = if approve {
            "organization_link.approve"
        } else {
            "organization_link.decline"
        };
        AuditEntry::new(Some(user.id), action, "organization_link", id)
            .after(&after)
            .write(txn, now)
            .await?;
        Ok(after)
    })
    .await
}
