//! Middleware of every request: security headers, the caller's language (and errors rewritten in
//! it), and the database's faults (503 at once while it cannot be reached).

use actix_web::{
    HttpMessage, HttpResponse,
    body::{BoxBody, MessageBody},
    cookie::{Cookie, SameSite},
    dev::{ServiceRequest, ServiceResponse},
    error::InternalError,
    http::{
        Method,
        header::{self, HeaderName, HeaderValue},
    },
    middleware::{DefaultHeaders, Next},
    web,
};

use super::error_page::{ErrorContext, error_page};
use crate::{
    auth::{
        CallerCell,
        csrf::{self, CSRF_COOKIE, FreshCsrf},
    },
    error::{AppError, Fault},
    i18n::{LANG_COOKIE, Lang},
    state::AppState,
};

/// The security headers of every response: a CSP without inline script, no sniffing, no framing.
const SECURITY_HEADERS: [(&str, &str); 4] = [
    (
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
         connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
];

/// Adds [`SECURITY_HEADERS`] to every response, the CSP reporting to `report_uri` when given.
pub fn security_headers(report_uri: Option<&str>) -> DefaultHeaders {
    SECURITY_HEADERS
        .into_iter()
        .map(|(name, value)| match (name, report_uri) {
            ("Content-Security-Policy", Some(uri)) => (name, format!("{value}; report-uri {uri}")),
            _ => (name, value.to_string()),
        })
        .fold(DefaultHeaders::new(), DefaultHeaders::add)
}

/// `response` with [`SECURITY_HEADERS`] (for a response that bypasses [`security_headers`]).
fn with_security_headers(mut response: HttpResponse) -> HttpResponse {
    for (name, value) in SECURITY_HEADERS {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::from_str(value)) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

/// Marks every answer to a signed-in caller (a bearer token or the session cookie) — pages, JSON,
/// downloads — `Cache-Control: no-store`, so that no shared or browser cache keeps another
/// person's data; an answer that sets its own caching keeps it.
pub async fn private_responses(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let signed_in = req.headers().contains_key(header::AUTHORIZATION)
        || req.cookie(crate::auth::SESSION_COOKIE).is_some();
    let mut res = next.call(req).await?;
    if signed_in && !res.headers().contains_key(header::CACHE_CONTROL) {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(res)
}

/// Picks the caller's language, mints a CSRF cookie for pages, remembers `?lang=`, and rewrites
/// every error in the caller's language: JSON under `/api` and `/health`, a page elsewhere.
pub async fn localize(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let path = req.path().to_string();
    let is_api = path.starts_with("/api/") || path == "/health";
    let lang = Lang::of_request(req.request());
    let chosen = Lang::from_query(req.query_string());
    req.extensions_mut().insert(lang);
    let fresh_csrf = (!is_api && req.cookie(CSRF_COOKIE).is_none()).then(csrf::new_token);
    if let Some(token) = &fresh_csrf {
        req.extensions_mut().insert(FreshCsrf(token.clone()));
    }
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let secure = state.as_ref().is_some_and(|s| s.settings.cookie_secure);
    let reload = (req.method() == Method::GET).then(|| req.uri().to_string());
    // the caller, filled in by the `CurrentUser` extractor when the handler gets that far
    let caller = CallerCell::default();
    req.extensions_mut().insert(caller.clone());
    let back = crate::web::page::came_from(req.request());
    let page_csrf = csrf::token_for(req.request());
    let render = |app_err: &AppError| {
        if is_api {
            return app_err.json_response(lang);
        }
        let user = caller.get();
        let at = ErrorContext {
            path: &path,
            reload: reload.as_deref(),
            back: back.clone(),
            user: user.as_ref(),
            csrf: page_csrf.clone(),
        };
        error_page(state.as_ref().map(|s| s.get_ref()), app_err, lang, at)
    };
    let mut res = match next.call(req).await {
        Ok(res) => res.map_into_boxed_body(),
        // an error without its request (a request ended early): answered as rendered here
        Err(err) => {
            let Some(app_err) = err.as_error::<AppError>() else {
                return Err(err);
            };
            let response = with_security_headers(render(app_err));
            return Err(InternalError::from_response(app_err.to_string(), response).into());
        }
    };
    let rewritten = res
        .response()
        .error()
        .map(|err| match err.as_error::<AppError>() {
            Some(app_err) => render(app_err),
            None => AppError::from_status(res.status()).json_response(lang),
        });
    if let Some(response) = rewritten {
        res = res.into_response(response);
    }
    if let Some(lang) = chosen {
        let cookie = Cookie::build(LANG_COOKIE, lang.tag())
            .path("/")
            .same_site(SameSite::Lax)
            .max_age(actix_web::cookie::time::Duration::days(365))
            .finish();
        let _ = res.response_mut().add_cookie(&cookie);
    }
    if let Some(token) = fresh_csrf {
        let _ = res.response_mut().add_cookie(&csrf::cookie(token, secure));
    }
    Ok(res)
}

/// Paths served without the database: `/health` reports on it, the rest are files in the binary.
fn needs_no_database(path: &str) -> bool {
    path == "/health"
        || path.starts_with("/static/")
        || path.starts_with("/api/docs")
        || path == "/api/openapi.json"
}

/// While the database cannot be reached, answers 503 `unavailable` at once (and ends requests
/// still waiting for a connection when it is found so) instead of letting each wait for the
/// pool's timeout; tells the database's health what each request met — a storage fault, a
/// connection fault, or a write that committed.
pub async fn database_faults(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let Some(state) = state.filter(|_| !needs_no_database(req.path())) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let health = &state.db_health;
    let unreachable = || AppError::Unavailable(Fault::Unreachable);
    if health.is_unreachable() {
        return Ok(req.error_response(unreachable()));
    }
    let writes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let res = if state.settings.is_sqlite() {
        // a file: never unreachable
        next.call(req).await?.map_into_boxed_body()
    } else {
        tokio::select! {
            res = next.call(req) => res?.map_into_boxed_body(),
            // the request is dropped with what it waited for; `localize` answers for it
            () = health.until_unreachable() => return Err(unreachable().into()),
        }
    };
    match res
        .response()
        .error()
        .and_then(|e| e.as_error::<AppError>())
    {
        Some(AppError::Unavailable(fault)) => health.saw(*fault),
        None if writes && res.status().is_success() => health.wrote(),
        _ => {}
    }
    Ok(res)
}
