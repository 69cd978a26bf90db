//! Logging in, shared by the JSON route and the HTML form.

use std::net::IpAddr;

use entities::users;

use super::{ratelimit, session};
use crate::{domain::users as user_rules, error::AppError, i18n::Msg, state::AppState};

/// A successful login: the account and its token.
pub struct LoggedIn {
    pub user: users::Model,
    pub token: String,
}

/// The message for any failed login; it never says whether the e-mail exists.
pub fn bad_credentials() -> AppError {
    AppError::Unauthorized(Msg::new("电子邮箱或密码不正确", "wrong e-mail or password"))
}

/// Checks the limits, the password and the account, recording failures; 401 for any wrong
/// credential or disabled account, 429 past the limits.
pub async fn login(
    state: &AppState,
    email: &str,
    password: &str,
    ip: IpAddr,
) -> Result<LoggedIn, AppError> {
    ratelimit::count_attempt(&state.login_limiter, ip)?;
    let email = user_rules::normalize_email(email).unwrap_or_else(|_| email.trim().to_lowercase());
    ratelimit::check_failures(&state.db, &state.settings, &email, ip).await?;
    match user_rules::authenticate(&state.db, &email, password).await? {
        Some(user) => {
            ratelimit::clear_account(&state.db, &email).await?;
            let token = session::open(&state.db, &state.settings, &user).await?;
            Ok(LoggedIn { user, token })
        }
        None => {
            ratelimit::record_failure(&state.db, &state.settings, &email, ip).await?;
            Err(bad_credentials())
        }
    }
}
