//! Requests to join an alliance: an organization's member asks, the center approves or declines.

use super::memberships::{already_member, insert_membership};
use chrono::{DateTime, NaiveDate, Utc};
use entities::{join_requests, memberships, organizations as org_entity};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, sea_query::Expr,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::{
    audit::AuditEntry,
    organizations::{self, OrganizationView},
};
use crate::{error::AppError, i18n::Msg};

/// A join request as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JoinRequestView {
    pub id: i32,
    pub center_id: i32,
    pub organization: OrganizationView,
    pub message: String,
    /// `pending`, `approved` or `declined`.
    pub status: String,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub version: i32,
}

pub(super) async fn request_view(
    db: &impl ConnectionTrait,
    r: join_requests::Model,
) -> Result<JoinRequestView, AppError> {
    let org = organizations::find_by_id(db, r.organization_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(request_view_with(r, org))
}

pub(super) fn request_view_with(
    r: join_requests::Model,
    org: org_entity::Model,
) -> JoinRequestView {
    JoinRequestView {
        id: r.id,
        center_id: r.center_id,
        organization: OrganizationView::from(org),
        message: r.message,
        status: r.status,
        reason: r.reason,
        created_at: r.created_at,
        version: r.version,
    }
}

/// A member's request for its organization to join `center_id`; 409 when it is already a member
/// or a request is pending.
pub async fn request_to_join(
    db: &DatabaseConnection,
    center_id: i32,
    organization_id: i32,
    user_id: i32,
    message: &str,
    now: DateTime<Utc>,
) -> Result<JoinRequestView, AppError> {
    let message = message.trim();
    if message.chars().count() > 2000 {
        return Err(AppError::field(
            "message",
            Msg::new(
                "留言最多 2000 个字符",
                "the message may have at most 2000 characters",
            ),
        ));
    }
    crate::db::write(db, async |txn| {
        let member = memberships::Entity::find()
            .filter(memberships::Column::CenterId.eq(center_id))
            .filter(memberships::Column::OrganizationId.eq(organization_id))
            .filter(memberships::Column::LeftOn.is_null())
            .filter(memberships::Column::DeletedAt.is_null())
            .one(txn)
            .await?;
        if member.is_some() {
            return Err(already_member());
        }
        let pending = || {
            AppError::Conflict(Msg::new(
                "已有待处理的入盟申请（状态：pending）",
                "a join request is already pending (state: pending)",
            ))
        };
        let request = join_requests::ActiveModel {
            center_id: Set(center_id),
            organization_id: Set(organization_id),
            requested_by: Set(user_id),
            message: Set(message.to_string()),
            status: Set("pending".into()),
            version: Set(1),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await
        .map_err(|e| match AppError::from(e) {
            AppError::Conflict(_) => pending(),
            other => other,
        })?;
        let created = request_view(txn, request).await?;
        AuditEntry::new(
            Some(user_id),
            "join_request.create",
            "join_request",
            created.id,
        )
        .after(&created)
        .write(txn, now)
        .await?;
        Ok(created)
    })
    .await
}

/// The join request `id` (any center).
pub async fn find_request(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<join_requests::Model, AppError> {
    join_requests::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Approves (membership active from today) or declines (reason required) a pending request; 409
/// naming the current state otherwise. Two deciders at once: exactly one succeeds.
pub async fn decide_request(
    db: &DatabaseConnection,
    request: join_requests::Model,
    approve: bool,
    reason: Option<&str>,
    actor_user_id: i32,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<JoinRequestView, AppError> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if !approve && reason.is_none() {
        return Err(AppError::field(
            "reason",
            Msg::new("拒绝须说明理由", "a reason is required to decline"),
        ));
    }
    let status = if approve { "approved" } else { "declined" };
    crate::db::write(db, async |txn| {
        let claimed = join_requests::Entity::update_many()
            .col_expr(join_requests::Column::Status, Expr::value(status))
            .col_expr(
                join_requests::Column::Reason,
                Expr::value(reason.map(str::to_string)),
            )
            .col_expr(join_requests::Column::DecidedBy, Expr::value(actor_user_id))
            .col_expr(join_requests::Column::DecidedAt, Expr::value(now))
            .col_expr(
                join_requests::Column::Version,
                Expr::value(request.version + 1),
            )
            .filter(join_requests::Column::Id.eq(request.id))
            .filter(join_requests::Column::Status.eq("pending"))
            .exec(txn)
            .await?;
        if claimed.rows_affected == 0 {
            let current = find_request(txn, request.id).await?;
            return Err(AppError::Conflict(Msg::new(
                format!("申请已处理（状态：{}）", current.status),
                format!(
                    "the request is no longer pending (state: {})",
                    current.status
                ),
            )));
        }
        if approve {
            insert_membership(
                txn,
                request.center_id,
                request.organization_id,
                today.into(),
                actor_user_id,
                None,
                now,
            )
            .await?;
        }
        let after = request_view(txn, find_request(txn, request.id).await?).await?;
        AuditEntry::new(
            Some(actor_user_id),
            if approve {
                "join_request.approve"
            } else {
                "join_request.decline"
            },
            "join_request",
            request.id,
        )
        .after(&after)
        .write(txn, now)
        .await?;
        Ok(after)
    })
    .await
}

/// Join requests of a center, or of one organization there; pending first.
pub async fn list_requests(
    db: &impl ConnectionTrait,
    center_id: i32,
    organization_id: Option<i32>,
) -> Result<Vec<JoinRequestView>, AppError> {
    let mut query = join_requests::Entity::find()
        .filter(join_requests::Column::CenterId.eq(center_id))
        .order_by_desc(join_requests::Column::CreatedAt);
    if let Some(org) = organization_id {
        query = query.filter(join_requests::Column::OrganizationId.eq(org));
    }
    let requests = query.all(db).await?;
    let orgs: std::collections::HashMap<i32, org_entity::Model> = org_entity::Entity::find()
        .filter(
            org_entity::Column::Id.is_in(
                requests
                    .iter()
                    .map(|r| r.organization_id)
                    .collect::<Vec<_>>(),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let mut items: Vec<JoinRequestView> = requests
        .into_iter()
        .filter_map(|r| {
            orgs.get(&r.organization_id)
                .cloned()
                .map(|o| request_view_with(r, o))
        })
        .collect();
    items.sort_by_key(|r| r.status != "pending");
    Ok(items)
}

/// Center `id` while members may ask to join it (it has not exited); 404 otherwise.
async fn joinable_center(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<entities::centers::Model, AppError> {
    let center = entities::centers::Entity::find_by_id(id).one(db).await?;
    let exited = crate::domain::centers::status::EXITED;
    center
        .filter(|c| c.status != exited)
        .ok_or(AppError::NotFound)
}

/// A member asks for its organization to join the alliance of center `center_id` (403 for an
/// account without an organization; 404 for a center that has exited).
pub async fn ask_to_join(
    db: &DatabaseConnection,
    user: &crate::auth::CurrentUser,
    center_id: i32,
    message: &str,
    now: DateTime<Utc>,
) -> Result<JoinRequestView, AppError> {
    user.require(&[crate::domain::users::Role::Member])?;
    let center = joinable_center(db, center_id).await?;
    let organization_id = user.organization_id.ok_or_else(|| {
        AppError::ForbiddenBecause(Msg::new(
            "您的账户未关联机构",
            "your account has no organization",
        ))
    })?;
    request_to_join(db, center.id, organization_id, user.id, message, now).await
}

/// The join requests `user` sees at center `center_id`: a member its organization's (while the
/// center has not exited), the center's readers all of them.
pub async fn requests_seen_by(
    db: &impl ConnectionTrait,
    user: &crate::auth::CurrentUser,
    center_id: i32,
) -> Result<Vec<JoinRequestView>, AppError> {
    if user.role == crate::domain::users::Role::Member {
        let center = joinable_center(db, center_id).await?;
        let organization = user.organization_id.unwrap_or(-1);
        return list_requests(db, center.id, Some(organization)).await;
    }
    let center = crate::domain::access::readable_center(db, user, center_id).await?;
    list_requests(db, center.id, None).await
}
