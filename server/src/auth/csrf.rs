//! CSRF protection for forms: a random token in an HttpOnly, SameSite=Strict cookie, repeated in a
//! hidden field of every form (double submit), compared in constant time.

use actix_web::{
    HttpMessage, HttpRequest,
    cookie::{Cookie, SameSite},
};

use crate::{error::AppError, i18n::Msg};

/// The cookie holding the CSRF token.
pub const CSRF_COOKIE: &str = "ipoc_csrf";
/// The hidden form field repeating it.
pub const CSRF_FIELD: &str = "csrf_token";

/// A token minted for this request because it had no cookie yet (set by the `csrf` middleware).
#[derive(Debug, Clone)]
pub struct FreshCsrf(pub String);

/// A new random token.
pub fn new_token() -> String {
    use rand::{Rng, distr::Alphanumeric};
    rand::rng()
        .sample_iter(&Alphanumeric)
        .take(43)
        .map(char::from)
        .collect()
}

/// The token to put into this request's forms.
pub fn token_for(req: &HttpRequest) -> String {
    if let Some(fresh) = req.extensions().get::<FreshCsrf>() {
        return fresh.0.clone();
    }
    req.cookie(CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .unwrap_or_default()
}

/// The cookie that carries `token`.
pub fn cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build(CSRF_COOKIE, token)
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .finish()
}

/// Refuses (403) a form whose token does not match the cookie.
pub fn verify(req: &HttpRequest, submitted: &str) -> Result<(), AppError> {
    let expected = req
        .cookie(CSRF_COOKIE)
        .map(|c| c.value().to_string())
        .unwrap_or_default();
    let same = expected.len() == submitted.len()
        && expected
            .bytes()
            .zip(submitted.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if same && !expected.is_empty() {
        Ok(())
    } else {
        Err(AppError::ForbiddenBecause(Msg::new(
            "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试",
            "the form has expired or did not come from this site (CSRF check failed); reload the page and try again",
        )))
    }
}
