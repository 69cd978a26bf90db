//! Request extractors that turn bad input into the error model of `api.md`: 400 for a body that is
//! not JSON or has wrong JSON types, 422 naming the field for values that are not allowed.

use std::{future::Future, pin::Pin};

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use serde::{Deserialize, de::DeserializeOwned};
use utoipa::IntoParams;

use crate::{
    error::AppError,
    i18n::{Msg, byte_size},
    json::{parse_json, parse_query},
};

/// Largest JSON body accepted (413 `too_large` above): four narratives of
/// [`crate::domain::narratives::MAX_CHARS`] Chinese characters even when every one is written
/// as a `\uXXXX` escape (6 bytes) fit with room to spare.
pub const JSON_LIMIT: usize = 1 << 20;

/// Largest page form accepted (413 `too_large` above): four such narratives percent-encoded
/// (9 bytes a Chinese character) fit.
pub const FORM_LIMIT: usize = 1 << 20;

/// Largest body read whole (JSON or a page form); each checks its own limit within it.
pub const BODY_LIMIT: usize = if JSON_LIMIT > FORM_LIMIT {
    JSON_LIMIT
} else {
    FORM_LIMIT
};

/// The 413 of a body over `limit`.
pub(super) fn body_too_large(limit: usize) -> AppError {
    AppError::too_large(
        Msg::new("请求体", "the request body"),
        Msg::new(byte_size(limit), byte_size(limit)),
    )
}

/// A body that could not be read: too large (413), or cut off or malformed (400).
pub(super) fn unreadable_body(err: &actix_web::Error, limit: usize) -> AppError {
    use actix_web::error::{PayloadError, UrlencodedError};
    let overflow = matches!(err.as_error::<PayloadError>(), Some(PayloadError::Overflow))
        || matches!(
            err.as_error::<UrlencodedError>(),
            Some(UrlencodedError::Overflow { .. })
        );
    if overflow {
        body_too_large(limit)
    } else {
        AppError::BadRequest(Msg::new(
            "请求体无法读取",
            "the request body could not be read",
        ))
    }
}

/// A JSON body deserialized with field-naming errors.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = web::Bytes::from_request(req, payload);
        let is_json = req
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json") || v.contains("+json"));
        Box::pin(async move {
            let bytes = body.await.map_err(|e| unreadable_body(&e, JSON_LIMIT))?;
            if !is_json {
                return Err(AppError::BadRequest(Msg::new(
                    "请求体应为 JSON（Content-Type: application/json）",
                    "the body must be JSON (Content-Type: application/json)",
                )));
            }
            if bytes.len() > JSON_LIMIT {
                return Err(body_too_large(JSON_LIMIT));
            }
            parse_json(&bytes).map(ApiJson)
        })
    }
}

/// A JSON body that may be left out: an empty body is `None`; anything else must be valid.
pub struct OptionalJson<T>(pub Option<T>);

impl<T: DeserializeOwned + 'static> FromRequest for OptionalJson<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let bytes = body.await.map_err(|e| unreadable_body(&e, JSON_LIMIT))?;
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return Ok(OptionalJson(None));
            }
            parse_json(&bytes).map(|v| OptionalJson(Some(v)))
        })
    }
}

/// A query string deserialized with errors that name the parameter (422), unlike actix's own.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for ApiQuery<T> {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse_query(req.query_string()).map(ApiQuery))
    }
}

impl<T> ApiQuery<T> {
    /// The query's value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for ApiQuery<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// `?version=` of a delete.
#[derive(Deserialize, IntoParams)]
pub struct VersionQuery {
    pub version: i32,
}
