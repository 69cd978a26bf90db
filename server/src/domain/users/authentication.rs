//! Passwords and signing in: the password rules, and an account found by e-mail and password.

use super::accounts::find_by_email;
use entities::users;
use sea_orm::ConnectionTrait;

use crate::{auth::password, error::AppError, i18n::Msg};

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// Longest password accepted (argon2 input stays bounded).
pub(super) const MAX_PASSWORD_CHARS: usize = 128;

/// Checks the password rules: at least 10 characters, at most 128.
pub fn check_password(raw: &str) -> Result<(), Msg> {
    let chars = raw.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        Err(Msg::new(
            format!("密码至少 {MIN_PASSWORD_CHARS} 个字符"),
            format!("the password needs at least {MIN_PASSWORD_CHARS} characters"),
        ))
    } else if chars > MAX_PASSWORD_CHARS {
        Err(Msg::new(
            format!("密码最多 {MAX_PASSWORD_CHARS} 个字符"),
            format!("the password may have at most {MAX_PASSWORD_CHARS} characters"),
        ))
    } else {
        Ok(())
    }
}

/// The account whose e-mail and password match and which is enabled. Unknown e-mails cost the
/// same time as wrong passwords.
#[tracing::instrument(skip_all)]
pub async fn authenticate(
    db: &impl ConnectionTrait,
    email: &str,
    password: &str,
) -> Result<Option<users::Model>, AppError> {
    let user = find_by_email(db, email).await?;
    let ok = password::verify(
        password.to_string(),
        user.as_ref().map(|u| u.password_hash.clone()),
    )
    .await;
    Ok(user.filter(|u| ok && !u.disabled))
}
