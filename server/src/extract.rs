//! Request extractors that turn bad input into the error model of `api.md`: 400 for a body that is
//! not JSON or has wrong JSON types, 422 naming the field for values that are not allowed.

use std::{future::Future, pin::Pin};

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use serde::de::DeserializeOwned;

use crate::{
    error::{AppError, FieldErrors},
    i18n::{Msg, byte_size},
};

/// Largest JSON body accepted (413 `too_large` above): four narratives of
/// [`crate::domain::narratives::MAX_CHARS`] Chinese characters even when every one is written
/// as a `\uXXXX` escape (6 bytes) fit with room to spare.
pub const JSON_LIMIT: usize = 1 << 20;

/// Largest page form accepted (413 `too_large` above): four such narratives percent-encoded
/// (9 bytes a Chinese character) fit.
pub const FORM_LIMIT: usize = 1 << 20;

/// The 413 of a body over `limit`.
fn body_too_large(limit: usize) -> AppError {
    AppError::too_large(
        Msg::new("请求体", "the request body"),
        Msg::new(byte_size(limit), byte_size(limit)),
    )
}

/// A body that could not be read: too large (413), or cut off or malformed (400).
fn unreadable_body(err: &actix_web::Error, limit: usize) -> AppError {
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

/// Parses a JSON body, classifying serde's errors into 400 (syntax, wrong types) or 422 (values).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        AppError::BadRequest(Msg::new(
            format!("请求体不是合法的 JSON：{e}"),
            format!("the body is not valid JSON: {e}"),
        ))
    })?;
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        let message = err.inner().to_string();
        classify(&path, &message)
    })
}

fn classify(path: &str, message: &str) -> AppError {
    let field = |name: &str| {
        if path == "." || path.is_empty() {
            name.to_string()
        } else if name.is_empty() {
            path.to_string()
        } else {
            format!("{path}.{name}")
        }
    };
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let name = field("");
        return AppError::BadRequest(Msg::new(
            format!("字段“{name}”的 JSON 类型不对：{rest}"),
            format!("field '{name}' has the wrong JSON type: {rest}"),
        ));
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let name = field(rest.trim_end_matches('`'));
        return AppError::field(
            name.clone(),
            Msg::new(
                format!("缺少必填字段“{name}”"),
                format!("'{name}' is required"),
            ),
        );
    }
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (value, expected) = rest.split_once("`, expected").unwrap_or((rest, ""));
        let expected = expected.replace("one of ", "").replace('`', "");
        let expected = expected.trim();
        return AppError::field(
            field(""),
            Msg::new(
                format!("“{value}”不是允许的值，可选：{expected}"),
                format!("'{value}' is not an allowed value; expected {expected}"),
            ),
        );
    }
    let mut errors = FieldErrors::default();
    errors.add(
        field(""),
        Msg::new(
            format!("值不被接受：{message}"),
            format!("value not accepted: {message}"),
        ),
    );
    AppError::Validation(errors)
}

/// The fields of an HTML form (`application/x-www-form-urlencoded`), repeated names kept.
#[derive(Debug, Default, Clone)]
pub struct FormFields(pub Vec<(String, String)>);

impl FormFields {
    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// Every value of `name` (checkbox groups).
    pub fn get_all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

impl FromRequest for FormFields {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let form = web::Form::<Vec<(String, String)>>::from_request(req, payload);
        Box::pin(async move {
            form.await
                .map(|f| FormFields(f.into_inner()))
                .map_err(|e| unreadable_body(&e, FORM_LIMIT))
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

/// Deserializes a query string, naming the parameter whose value is not allowed.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, AppError> {
    let pairs = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(pairs).map_err(|err| {
        let path = err.path().to_string();
        let name = if path == "." || path.is_empty() {
            "query".to_string()
        } else {
            path
        };
        let message = err.inner().to_string();
        AppError::field(
            name.clone(),
            Msg::new(
                format!("查询参数“{name}”的值不正确：{message}"),
                format!("the query parameter '{name}' is not allowed: {message}"),
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Body {
        email: String,
        kind: Kind,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Enterprise,
    }

    fn status(body: &str) -> (u16, String) {
        match parse_json::<Body>(body.as_bytes()) {
            Ok(_) => (200, String::new()),
            Err(AppError::BadRequest(m)) => (400, m.en),
            Err(AppError::Validation(f)) => {
                (422, f.0.keys().cloned().collect::<Vec<_>>().join(","))
            }
            Err(other) => (500, other.to_string()),
        }
    }

    #[test]
    fn classifies_serde_errors() {
        assert_eq!(status(r#"{"email":"a","kind":"enterprise"}"#).0, 200);
        assert_eq!(status("{not json").0, 400);
        assert_eq!(status(r#"{"email":1,"kind":"enterprise"}"#).0, 400);
        assert_eq!(status(r#"{"kind":"enterprise"}"#), (422, "email".into()));
        assert_eq!(
            status(r#"{"email":"a","kind":"bank"}"#),
            (422, "kind".into())
        );
    }
}
