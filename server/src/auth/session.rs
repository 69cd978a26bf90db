//! Sessions: each login is a row named in its token (`sid`); every request reads the account
//! only through a live session of it, in the same statement, and logging out revokes that one
//! session. Times are real time, as the token's expiry is.

use chrono::{Duration, Utc};
use entities::{sessions, users};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, sea_query::Expr,
};

use super::token;
use crate::{error::AppError, settings::Settings};

/// The join that admits an account `u` only with the live session named by the parameter
/// `$<n>`: every statement that reads the caller's account includes it.
pub fn live_session_join(parameter: usize) -> String {
    format!(
        "JOIN sessions se ON se.user_id = u.id AND se.id = ${parameter} AND se.revoked_at IS NULL"
    )
}

/// Opens a session of `user` and returns its token.
pub async fn open(
    db: &impl ConnectionTrait,
    settings: &Settings,
    user: &users::Model,
) -> Result<String, AppError> {
    let sid = crate::auth::csrf::new_token();
    let now = Utc::now();
    sessions::ActiveModel {
        id: Set(sid.clone()),
        user_id: Set(user.id),
        created_at: Set(now),
        expires_at: Set(now + Duration::minutes(settings.token_ttl_minutes)),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    token::issue(settings, user.id, user.token_version, &sid)
}

/// Revokes the session of `claims` (and nothing else of its account); false when it was not
/// live (revoked before, or unknown).
pub async fn revoke(db: &impl ConnectionTrait, claims: &token::Claims) -> Result<bool, AppError> {
    let revoked = sessions::Entity::update_many()
        .col_expr(sessions::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(sessions::Column::Id.eq(claims.sid.as_str()))
        .filter(sessions::Column::UserId.eq(claims.sub))
        .filter(sessions::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(revoked.rows_affected > 0)
}

/// Forgets sessions that expired more than a day ago (scheduled work).
pub async fn forget_expired(db: &impl ConnectionTrait) -> Result<u64, AppError> {
    let gone = sessions::Entity::delete_many()
        .filter(sessions::Column::ExpiresAt.lt(Utc::now() - Duration::days(1)))
        .exec(db)
        .await?;
    Ok(gone.rows_affected)
}

/// The account of the token `claims` if its session is live: one statement.
pub async fn account(
    db: &impl ConnectionTrait,
    claims: &token::Claims,
) -> Result<Option<users::Model>, AppError> {
    use sea_orm::{FromQueryResult, Statement};
    let sql = format!(
        "SELECT u.* FROM users u {} WHERE u.id = $1",
        live_session_join(2)
    );
    let statement = Statement::from_sql_and_values(
        db.get_database_backend(),
        sql,
        [claims.sub.into(), claims.sid.clone().into()],
    );
    Ok(users::Model::find_by_statement(statement).one(db).await?)
}
