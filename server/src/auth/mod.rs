//! Authentication and authorization: passwords, tokens, the current user, CSRF, login limits.

pub mod csrf;
pub mod login;
pub mod password;
pub mod ratelimit;
pub mod session;
pub mod token;
mod user;

pub use user::{
    CallerCell, CurrentUser, MaybeUser, SESSION_COOKIE, VerifiedToken, expired as session_ended,
};
