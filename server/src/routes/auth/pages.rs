//! The login form and logging out.

use actix_web::{
    HttpRequest, HttpResponse,
    cookie::{Cookie, SameSite},
    get,
    http::StatusCode,
    post, web,
};
use serde::{Deserialize, Serialize};

use crate::web::extract::ApiQuery;
use crate::web::{
    page::{render, see_other},
    page_form::{Blank, PageForm},
};
use crate::{
    auth::{SESSION_COOKIE, VerifiedToken, login, ratelimit, session},
    error::AppError,
    i18n::Lang,
    state::AppState,
};

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// A local path to go to after logging in (never another site).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/home".to_string(),
    }
}

#[derive(Serialize, Default)]
struct LoginPage {
    email: String,
    next: String,
    error: Option<String>,
}

fn session_cookie(state: &AppState, token: String) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, token)
        .path("/")
        .http_only(true)
        .secure(state.settings.cookie_secure)
        .same_site(SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::minutes(
            state.settings.token_ttl_minutes,
        ))
        .finish()
}

#[get("/login")]
async fn login_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: ApiQuery<NextQuery>,
) -> Result<HttpResponse, AppError> {
    let page = LoginPage {
        next: safe_next(query.next.as_deref()),
        ..Default::default()
    };
    render(
        &state,
        &req,
        None,
        "auth/login",
        "login_title",
        StatusCode::OK,
        page,
    )
    .await
}

/// The login form.
#[derive(Deserialize, Default)]
#[serde(default)]
struct LoginForm {
    email: String,
    password: String,
    next: String,
}

/// The login page again, with why the login was refused (401, or 429 with `Retry-After`).
async fn refused(
    state: &AppState,
    req: &HttpRequest,
    (email, next): (String, String),
    err: AppError,
) -> Result<HttpResponse, AppError> {
    let error = Some(err.message().text(Lang::of_request(req)).to_string());
    let page = LoginPage { email, next, error };
    let status = actix_web::ResponseError::status_code(&err);
    let mut response = render(state, req, None, "auth/login", "login_title", status, page).await?;
    if let AppError::RateLimited { retry_after_secs } = err {
        let retry = actix_web::http::header::HeaderValue::from(retry_after_secs);
        (response.headers_mut()).insert(actix_web::http::header::RETRY_AFTER, retry);
    }
    Ok(response)
}

/// The answer that logs the browser in with `token` and goes on to `next`.
pub(super) fn logged_in(
    state: &AppState,
    token: String,
    next: &str,
) -> Result<HttpResponse, AppError> {
    let mut response = see_other(next);
    let cookie = session_cookie(state, token);
    response
        .add_cookie(&cookie)
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(response)
}

/// Logs in from the login form and goes on to the page asked for (a local path only).
#[post("/login")]
async fn login_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: PageForm<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.input?;
    let next = safe_next(Some(&form.next));
    let ip = ratelimit::client_ip(&req, &state.settings);
    match login::login(&state, &form.email, &form.password, ip).await {
        Ok(session) => logged_in(&state, session.token, &next),
        Err(err @ (AppError::Unauthorized(_) | AppError::RateLimited { .. })) => {
            refused(&state, &req, (form.email, next), err).await
        }
        Err(other) => Err(other),
    }
}

/// Logs out: this session is revoked (its token no longer opens anything) and its cookie removed.
#[post("/logout")]
async fn logout(
    state: web::Data<AppState>,
    token: Option<VerifiedToken>,
    _form: PageForm<Blank>,
) -> Result<HttpResponse, AppError> {
    if let Some(VerifiedToken(claims)) = token {
        // a session already ended leaves nothing to revoke
        session::revoke(&state.db, &claims).await?;
    }
    let mut response = see_other("/");
    let mut gone = Cookie::build(SESSION_COOKIE, "").path("/").finish();
    gone.make_removal();
    response
        .add_cookie(&gone)
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(response)
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes =
    &[("GET", "/login"), ("POST", "/login"), ("POST", "/logout")];

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(login_form)
        .service(login_submit)
        .service(logout);
}
