//! The caller: `CurrentUser` for routes that need a login, `MaybeUser` for pages that work without.

use std::{future::Future, pin::Pin};

use actix_web::{
    FromRequest, HttpMessage, HttpRequest, dev::Payload, http::header::AUTHORIZATION, web,
};
use entities::users;

use super::token;
use crate::{domain::users::Role, error::AppError, i18n::Msg, state::AppState};

/// The HttpOnly cookie that carries the token for pages.
pub const SESSION_COOKIE: &str = "ipoc_session";

/// A logged-in, enabled user whose token is current.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: i32,
    pub email: String,
    pub role: Role,
    pub organization_id: Option<i32>,
    pub center_id: Option<i32>,
    pub region_code: Option<String>,
}

impl CurrentUser {
    /// Refuses (403) a caller whose role is not among `roles`.
    pub fn require(&self, roles: &[Role]) -> Result<(), AppError> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

/// The caller of one request, once an extractor has read it: the error page of that request
/// shows who is logged in.
#[derive(Clone, Default)]
pub struct CallerCell(std::rc::Rc<std::cell::RefCell<Option<CurrentUser>>>);

impl CallerCell {
    fn set(&self, user: CurrentUser) {
        *self.0.borrow_mut() = Some(user);
    }

    /// The caller, if read.
    pub fn get(&self) -> Option<CurrentUser> {
        self.0.borrow().clone()
    }
}

/// 401: not logged in, or the session has ended.
pub fn expired() -> AppError {
    AppError::Unauthorized(Msg::new(
        "未登录或登录已失效，请重新登录",
        "not logged in or the session has ended; please log in again",
    ))
}

/// The token of the request: `/api` reads only `Authorization: Bearer`, pages only the cookie.
fn token_of(req: &HttpRequest) -> Option<String> {
    if req.path().starts_with("/api/") {
        req.headers()
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| t.trim().to_string())
    } else {
        req.cookie(SESSION_COOKIE).map(|c| c.value().to_string())
    }
}

async fn load(state: &AppState, token: &str) -> Result<CurrentUser, AppError> {
    let claims = token::verify(&state.settings, token).ok_or_else(expired)?;
    let user = super::session::account(&state.db, &claims).await?;
    CurrentUser::from_account(user, &claims)
}

impl CurrentUser {
    /// The caller whose account is `user`, if it is enabled and the token `claims` is current
    /// for it (401 otherwise: a disabled account or a changed role revokes tokens at once).
    pub fn from_account(
        user: Option<users::Model>,
        claims: &token::Claims,
    ) -> Result<CurrentUser, AppError> {
        let user = user
            .filter(|u| u.id == claims.sub && !u.disabled && u.token_version == claims.tv)
            .ok_or_else(expired)?;
        let role = Role::parse(&user.role).ok_or_else(expired)?;
        Ok(CurrentUser {
            id: user.id,
            email: user.email,
            role,
            organization_id: user.organization_id,
            center_id: user.center_id,
            region_code: user.region_code,
        })
    }
}

/// A request's verified token whose account is not read yet: for a hot route that reads the
/// account in the same statement as its own first row, then makes it a [`CurrentUser`] with
/// [`CurrentUser::from_account`].
pub struct VerifiedToken(pub token::Claims);

impl FromRequest for VerifiedToken {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let verified = state_of(req).and_then(|state| {
            token_of(req)
                .and_then(|t| token::verify(&state.settings, &t))
                .map(VerifiedToken)
                .ok_or_else(expired)
        });
        std::future::ready(verified)
    }
}

fn state_of(req: &HttpRequest) -> Result<web::Data<AppState>, AppError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("application state missing")))
}

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = token_of(req);
        let state = state_of(req);
        let cell = req.extensions().get::<CallerCell>().cloned();
        Box::pin(async move {
            let state = state?;
            let token = token.ok_or_else(expired)?;
            let user = load(&state, &token).await?;
            // kept for the error page of this request (its header shows who is logged in)
            if let Some(cell) = cell {
                cell.set(user.clone());
            }
            Ok(user)
        })
    }
}

/// The caller if logged in. A bad Bearer token is still an error; a stale page cookie counts as
/// logged out (the login page clears it).
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<CurrentUser>);

impl FromRequest for MaybeUser {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = token_of(req);
        let is_api = req.path().starts_with("/api/");
        let state = state_of(req);
        let cell = req.extensions().get::<CallerCell>().cloned();
        Box::pin(async move {
            let state = state?;
            let Some(token) = token else {
                return Ok(MaybeUser(None));
            };
            match load(&state, &token).await {
                Ok(user) => {
                    if let Some(cell) = cell {
                        cell.set(user.clone());
                    }
                    Ok(MaybeUser(Some(user)))
                }
                Err(AppError::Unauthorized(_)) if !is_api => Ok(MaybeUser(None)),
                Err(err) => Err(err),
            }
        })
    }
}
