//! Input read with errors that name the field: JSON bodies (400 for syntax and types, 422 for
//! values that are not allowed), query strings (422 naming the parameter) and page forms (422
//! naming the field).

use serde::de::DeserializeOwned;

use crate::{
    error::{AppError, FieldErrors},
    i18n::Msg,
};

/// A choice (a unit enum variant) as the word it is sent and stored as (`Intent::JointRd` →
/// `joint_rd`); "" for anything else.
pub fn word<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(word)) => word,
        _ => String::new(),
    }
}

/// Parses a JSON body, classifying serde's errors into 400 (syntax, wrong types) or 422 (values).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        let (line, column) = (e.line(), e.column());
        AppError::BadRequest(Msg::new(
            format!("请求体不是合法的 JSON（第 {line} 行第 {column} 列）"),
            format!("the body is not valid JSON (line {line}, column {column})"),
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

/// Deserializes a query string, naming the parameter whose value is not allowed (in words, never
/// the parser's text).
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, AppError> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let deserializer =
        serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(deserializer).map_err(|err| {
        let message = err.inner().to_string();
        let path = err.path().to_string();
        // behind a flattened part the path is lost: the parameter holding the refused value
        let quoted = message.split('`').nth(1).unwrap_or_default();
        let name = match path.as_str() {
            "." | "" => pairs
                .iter()
                .find(|(_, v)| !quoted.is_empty() && v == quoted)
                .map_or("query".to_string(), |(k, _)| k.clone()),
            _ => path,
        };
        query_error(&name, &message)
    })
}

/// The 422 for query parameter `name` refused with serde's `message`.
pub fn query_error(name: &str, message: &str) -> AppError {
    if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (value, expected) = rest.split_once("`, expected").unwrap_or((rest, ""));
        let expected = expected.replace("one of ", "").replace('`', "");
        let expected = expected.trim();
        return AppError::field(
            name,
            Msg::new(
                format!("查询参数“{name}”的值“{value}”不是允许的值，可选：{expected}"),
                format!(
                    "the query parameter '{name}': '{value}' is not allowed; expected {expected}"
                ),
            ),
        );
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let missing = rest.trim_end_matches('`');
        return AppError::field(
            missing,
            Msg::new(
                format!("缺少查询参数“{missing}”"),
                format!("the query parameter '{missing}' is required"),
            ),
        );
    }
    let number =
        message.contains("digit") || message.contains("number") || message.contains("integer");
    let (zh, en) = if number {
        (
            format!("查询参数“{name}”应为整数"),
            format!("the query parameter '{name}' must be a whole number"),
        )
    } else {
        (
            format!("查询参数“{name}”的值不正确"),
            format!("the value of the query parameter '{name}' is not allowed"),
        )
    };
    AppError::field(name, Msg::new(zh, en))
}

/// Deserializes a page form (`application/x-www-form-urlencoded`, repeated names as lists),
/// naming the field whose value is not allowed (422: a page shows it beside the field).
pub fn parse_form<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    let form = serde_html_form::Deserializer::from_bytes(body);
    serde_path_to_error::deserialize(form).map_err(|err| {
        let path = err.path().to_string();
        let message = err.inner().to_string();
        match classify(&path, &message) {
            AppError::BadRequest(_) => AppError::field(
                path.clone(),
                Msg::new(
                    format!("“{path}”的值不正确"),
                    format!("the value of '{path}' is not allowed"),
                ),
            ),
            other => other,
        }
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

    #[derive(Debug, Deserialize, PartialEq)]
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

    #[derive(Debug, Deserialize, PartialEq)]
    struct Form {
        #[serde(default, deserialize_with = "serde_html_form::de::empty_as_none")]
        kind: Option<Kind>,
        #[serde(default)]
        ids: Vec<i32>,
        version: Option<i32>,
    }

    #[test]
    fn reads_page_forms_naming_the_field() {
        let form = |body: &str| parse_form::<Form>(body.as_bytes());
        assert_eq!(
            form("kind=enterprise&ids=1&ids=2&version=").ok(),
            Some(Form {
                kind: Some(Kind::Enterprise),
                ids: vec![1, 2],
                version: None
            })
        );
        assert_eq!(form("kind=").ok().and_then(|f| f.kind), None);
        for (body, field) in [("kind=bank", "kind"), ("version=x", "version")] {
            match form(body) {
                Err(AppError::Validation(errors)) => {
                    assert_eq!(errors.0.keys().collect::<Vec<_>>(), [field], "{body}")
                }
                other => panic!("{body}: {other:?}"),
            }
        }
    }
}
