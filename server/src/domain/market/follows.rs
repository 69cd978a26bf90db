//! Following listings: an enterprise's members keep favourites (收藏) to come back to, and
//! subscribe (订阅) to be mailed when a listing's status or terms change. Both are a person's own,
//! added and removed as often as it likes (both idempotent).

use chrono::{DateTime, Utc};
use entities::{listing_follows as follows, organizations};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::{reads::views_of, rows::ListingView};
use crate::{auth::CurrentUser, domain::users::Role, error::AppError, i18n::Msg};

/// How a person follows a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Follow {
    Favourite,
    Subscription,
}

impl Follow {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Follow::Favourite => "favourite",
            Follow::Subscription => "subscription",
        }
    }
}

/// 403 unless `user` is a member of an enterprise.
async fn enterprise_member(db: &impl ConnectionTrait, user: &CurrentUser) -> Result<(), AppError> {
    let kind = match (user.role, user.organization_id) {
        (Role::Member, Some(org)) => organizations::Entity::find_by_id(org)
            .one(db)
            .await?
            .map(|o| o.kind),
        _ => None,
    };
    match kind.as_deref() {
        Some("enterprise") => Ok(()),
        _ => Err(AppError::ForbiddenBecause(Msg::new(
            "企业用户可以收藏和订阅专利",
            "members of an enterprise keep favourites and subscribe",
        ))),
    }
}

/// Whether `user` may follow listings.
pub async fn may_follow(db: &impl ConnectionTrait, user: &CurrentUser) -> Result<bool, AppError> {
    match enterprise_member(db, user).await {
        Ok(()) => Ok(true),
        Err(AppError::ForbiddenBecause(_)) => Ok(false),
        Err(other) => Err(other),
    }
}

/// `user` follows listing `id` as `how`: true when it did not yet (404 for a listing the caller
/// cannot read, 403 for anyone but an enterprise's member).
pub async fn add(
    txn: &impl ConnectionTrait,
    user: &CurrentUser,
    (id, how): (i32, Follow),
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    super::listings::get(txn, user, id).await?;
    enterprise_member(txn, user).await?;
    if follows_it(txn, user, (id, how)).await? {
        return Ok(false);
    }
    let row = follows::ActiveModel {
        listing_id: Set(id),
        user_id: Set(user.id),
        kind: Set(how.as_str().into()),
        created_at: Set(now),
        ..Default::default()
    };
    match row.insert(txn).await {
        Ok(_) => Ok(true),
        // the same request twice at once: the unique index keeps one
        Err(e)
            if e.to_string().contains("ux_listing_follows_once")
                || e.to_string().contains("UNIQUE") =>
        {
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

/// `user` no longer follows listing `id` as `how` (nothing when it did not).
pub async fn remove(
    txn: &impl ConnectionTrait,
    user: &CurrentUser,
    (id, how): (i32, Follow),
) -> Result<(), AppError> {
    super::listings::get(txn, user, id).await?;
    enterprise_member(txn, user).await?;
    follows::Entity::delete_many()
        .filter(follows::Column::UserId.eq(user.id))
        .filter(follows::Column::ListingId.eq(id))
        .filter(follows::Column::Kind.eq(how.as_str()))
        .exec(txn)
        .await?;
    Ok(())
}

/// Whether `user` follows listing `id` as `how`.
pub async fn follows_it(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    (id, how): (i32, Follow),
) -> Result<bool, AppError> {
    Ok(follows::Entity::find()
        .filter(follows::Column::UserId.eq(user.id))
        .filter(follows::Column::ListingId.eq(id))
        .filter(follows::Column::Kind.eq(how.as_str()))
        .one(db)
        .await?
        .is_some())
}

/// The listings `user` follows as `how`, still listed, the latest first (403 for anyone but an
/// enterprise's member).
pub async fn mine(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    how: Follow,
) -> Result<Vec<ListingView>, AppError> {
    enterprise_member(db, user).await?;
    let ids: Vec<i32> = follows::Entity::find()
        .select_only()
        .column(follows::Column::ListingId)
        .filter(follows::Column::UserId.eq(user.id))
        .filter(follows::Column::Kind.eq(how.as_str()))
        .order_by_desc(follows::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let mut found = views_of(db, user, &ids, false).await?;
    found.sort_by_key(|l| ids.iter().position(|id| *id == l.id));
    Ok(found)
}

/// The people subscribed to listing `id`: their e-mail addresses.
pub async fn subscribers(db: &impl ConnectionTrait, id: i32) -> Result<Vec<String>, AppError> {
    let users: Vec<i32> = follows::Entity::find()
        .select_only()
        .column(follows::Column::UserId)
        .filter(follows::Column::ListingId.eq(id))
        .filter(follows::Column::Kind.eq(Follow::Subscription.as_str()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(entities::users::Entity::find()
        .select_only()
        .column(entities::users::Column::Email)
        .filter(entities::users::Column::Id.is_in(users))
        .filter(entities::users::Column::Disabled.eq(false))
        .into_tuple()
        .all(db)
        .await?)
}
