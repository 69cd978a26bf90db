//! Signed session tokens (HS256) with expiry and the user's token version.

use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};

use crate::{error::AppError, settings::Settings};

/// What a token says: whose it is, which token version and session it belongs to, when it
/// expires.
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: i32,
    pub tv: i32,
    /// The session (`sessions.id`), revoked by logging out.
    pub sid: String,
    pub iat: i64,
    pub exp: i64,
}

/// Issues a token for `user_id` at `token_version` in session `sid`; expiry reads the real time,
/// not the app clock.
pub fn issue(
    settings: &Settings,
    user_id: i32,
    token_version: i32,
    sid: &str,
) -> Result<String, AppError> {
    let now = Utc::now().timestamp();
    let claims = Claims {
        sub: user_id,
        tv: token_version,
        sid: sid.to_string(),
        iat: now,
        exp: now + settings.token_ttl_minutes * 60,
    };
    encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(settings.jwt_secret.expose_secret().as_bytes()),
    )
    .map_err(|e| AppError::Internal(e.into()))
}

/// The claims of a valid, unexpired token.
pub fn verify(settings: &Settings, token: &str) -> Option<Claims> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 0;
    decode::<Claims>(
        token,
        &DecodingKey::from_secret(settings.jwt_secret.expose_secret().as_bytes()),
        &validation,
    )
    .ok()
    .map(|data| data.claims)
}
