//! One error type for the whole application, written out as the JSON error body of `api.md` or
//! as an HTML error page, in the caller's language.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, ResponseError, http::StatusCode};
use sea_orm::{DbErr, SqlErr};
use serde::Serialize;
use utoipa::ToSchema;

use crate::i18n::{Lang, Msg};

mod fault;
mod rows;

pub use fault::Fault;
pub use rows::{RowError, RowErrorBody, RowErrors};

/// Field name → what is wrong with it, in both languages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub BTreeMap<String, Vec<Msg>>);

impl FieldErrors {
    /// Adds a message for `field`.
    pub fn add(&mut self, field: impl Into<String>, msg: Msg) {
        self.0.entry(field.into()).or_default().push(msg);
    }

    /// Adds every message of `other`.
    pub fn merge(&mut self, other: FieldErrors) {
        for (field, messages) in other.0 {
            self.0.entry(field).or_default().extend(messages);
        }
    }

    /// Whether no field is wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(value)` when no field is wrong, else the validation error.
    pub fn into_result<T>(self, value: T) -> Result<T, AppError> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(AppError::Validation(self))
        }
    }

    /// A single field error.
    pub fn single(field: impl Into<String>, msg: Msg) -> FieldErrors {
        let mut errors = FieldErrors::default();
        errors.add(field, msg);
        errors
    }

    /// The messages of each field in `lang`.
    pub fn in_lang(&self, lang: Lang) -> BTreeMap<String, Vec<String>> {
        self.0
            .iter()
            .map(|(field, msgs)| {
                (
                    field.clone(),
                    msgs.iter().map(|m| m.text(lang).to_string()).collect(),
                )
            })
            .collect()
    }
}

/// Every way a request can fail.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("bad request")]
    BadRequest(Msg),
    #[error("unauthorized")]
    Unauthorized(Msg),
    #[error("forbidden")]
    Forbidden,
    #[error("forbidden")]
    ForbiddenBecause(Msg),
    #[error("not found")]
    NotFound,
    #[error("conflict")]
    Conflict(Msg),
    #[error("validation failed")]
    Validation(FieldErrors),
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    #[error("import rejected")]
    ImportRejected(RowErrors),
    #[error("too large")]
    TooLarge(Msg),
    #[error("unavailable: {0:?}")]
    Unavailable(Fault),
    #[error("internal error: {0:#}")]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// A validation error on one field.
    pub fn field(field: impl Into<String>, msg: Msg) -> AppError {
        AppError::Validation(FieldErrors::single(field, msg))
    }

    /// The error for a status produced outside ipoc's handlers (e.g. by actix itself).
    pub fn from_status(status: StatusCode) -> AppError {
        match status.as_u16() {
            401 => AppError::Unauthorized(Msg::new("未登录", "not logged in")),
            403 => AppError::Forbidden,
            404 | 405 => AppError::NotFound,
            409 => AppError::Conflict(Msg::new("冲突", "conflict")),
            413 => AppError::TooLarge(Msg::new("请求体过大", "the request body is too large")),
            400..=499 => AppError::BadRequest(Msg::new("请求无效", "bad request")),
            _ => AppError::Internal(anyhow::anyhow!("status {status} from the framework")),
        }
    }

    /// The machine-readable code of `api.md`.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest(_) => "bad_request",
            AppError::Unauthorized(_) => "unauthorized",
            AppError::Forbidden | AppError::ForbiddenBecause(_) => "forbidden",
            AppError::NotFound => "not_found",
            AppError::Conflict(_) => "conflict",
            AppError::Validation(_) => "validation_failed",
            AppError::RateLimited { .. } => "rate_limited",
            AppError::ImportRejected(_) => "import_rejected",
            AppError::TooLarge(_) => "too_large",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }

    /// The message shown to the caller (opaque for internal errors).
    pub fn message(&self) -> Msg {
        match self {
            AppError::BadRequest(m)
            | AppError::Unauthorized(m)
            | AppError::ForbiddenBecause(m)
            | AppError::Conflict(m)
            | AppError::TooLarge(m) => m.clone(),
            AppError::Unavailable(fault) => fault.message(),
            AppError::Forbidden => Msg::new("无权执行此操作", "you are not allowed to do this"),
            AppError::NotFound => Msg::new("未找到", "not found"),
            AppError::Validation(_) => {
                Msg::new("请更正标出的字段", "please correct the marked fields")
            }
            AppError::ImportRejected(rows) => Msg::new(
                format!(
                    "文件有 {} 处错误，未导入任何数据",
                    crate::i18n::thousands(rows.total as u64)
                ),
                format!(
                    "the file has {} errors; nothing was imported",
                    crate::i18n::thousands(rows.total as u64)
                ),
            ),
            AppError::RateLimited { .. } => Msg::new(
                "尝试次数过多，请稍后再试",
                "too many attempts; please try again later",
            ),
            AppError::Internal(_) => Msg::new("服务器内部错误", "internal server error"),
        }
    }

    /// The seconds a client should wait before trying again (`Retry-After`), if it should.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            AppError::RateLimited { retry_after_secs } => Some(*retry_after_secs),
            AppError::Unavailable(fault) => Some(fault.retry_after_secs()),
            _ => None,
        }
    }

    /// A body, file or sheet over `limit`: 413 `too_large` naming the limit.
    pub fn too_large(what: Msg, limit: Msg) -> AppError {
        AppError::TooLarge(Msg::new(
            format!("{}超过上限（{}）", what.zh, limit.zh),
            format!("{} exceeds the limit of {}", what.en, limit.en),
        ))
    }

    /// The JSON error body in `lang`.
    pub fn body(&self, lang: Lang) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code().to_string(),
                message: self.message().text(lang).to_string(),
                fields: match self {
                    AppError::Validation(fields) => Some(fields.in_lang(lang)),
                    _ => None,
                },
                rows: match self {
                    AppError::ImportRejected(rows) => Some(
                        rows.shown
                            .iter()
                            .map(|r| RowErrorBody {
                                row: r.row,
                                column: r.column.clone(),
                                message: r.message.text(lang).to_string(),
                            })
                            .collect(),
                    ),
                    _ => None,
                },
                rows_total: match self {
                    AppError::ImportRejected(rows) => Some(rows.total),
                    _ => None,
                },
            },
        }
    }

    /// The JSON response in `lang`.
    pub fn json_response(&self, lang: Lang) -> HttpResponse {
        let mut builder = HttpResponse::build(self.status_code());
        if let Some(seconds) = self.retry_after_secs() {
            builder.insert_header(("Retry-After", seconds.to_string()));
        }
        if let AppError::Unauthorized(_) = self {
            builder.insert_header(("WWW-Authenticate", "Bearer"));
        }
        builder.json(self.body(lang))
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::ForbiddenBecause(_) => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::ImportRejected(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Written in Chinese here; the `localize` middleware rewrites it in the caller's language
    /// (and as a page outside `/api`).
    fn error_response(&self) -> HttpResponse {
        if let AppError::Internal(cause) = self {
            tracing::error!(error = format!("{cause:#}"), "internal error");
        }
        self.json_response(Lang::Zh)
    }
}

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        if let Some(fault) = Fault::of(&err) {
            tracing::warn!(fault = fault.label(), error = %err, "database fault");
            return AppError::Unavailable(fault);
        }
        match err {
            DbErr::RecordNotFound(_) => AppError::NotFound,
            err => match err.sql_err() {
                Some(SqlErr::UniqueConstraintViolation(_)) => {
                    AppError::Conflict(Msg::new("记录已存在", "the record already exists"))
                }
                _ => AppError::Internal(anyhow::Error::new(err)),
            },
        }
    }
}

/// The error body of every failed request.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What failed: a code, a message in the caller's language, and per-field messages for 422.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// One of `bad_request`, `unauthorized`, `forbidden`, `not_found`, `conflict`,
    /// `validation_failed`, `import_rejected`, `too_large`, `rate_limited`, `unavailable`, `internal`.
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<BTreeMap<String, Vec<String>>>,
    /// For `import_rejected`: the first bad cells (at most `IPOC_IMPORT_ERRORS_SHOWN`; rows as
    /// Excel numbers them, header = 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<Vec<RowErrorBody>>,
    /// For `import_rejected`: how many bad cells the file has in all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows_total: Option<usize>,
}
