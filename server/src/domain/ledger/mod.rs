//! The ledger of a center: deals, projects and service events, with the shared rules for dates,
//! identifier lists, versioned edits and soft deletes.

mod deal_patents;
mod deals;
mod events;
mod projects;
pub mod record;
pub mod totals;
mod transactions;

pub use events::{EventInput, EventKind, EventView};
pub use projects::{ProjectInput, ProjectKind, ProjectStatus, ProjectView};
pub use transactions::{
    TransactionFilter, TransactionInput, TransactionKind, TransactionView, ValidTransaction,
};

/// The deals-list filter of a year and a kind.
pub fn transactions_filter(year: Option<i32>, kind: Option<TransactionKind>) -> TransactionFilter {
    TransactionFilter { year, kind }
}

pub mod records {
    //! Create, edit and soft-delete of each ledger record kind.
    pub use super::deals::{
        Deal, contract_used, insert_validated as insert_transactions, live_contracts,
    };
    pub use super::events::{Event, list as list_events};
    pub use super::projects::{Project, list as list_projects};
    pub use super::record::{LedgerRecord, create, delete, find_view, update};
    pub use super::transactions::{list as list_transactions, validate as validate_transaction};
}

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait},
};
use serde::de::DeserializeOwned;

use super::identifiers::InvalidIdentifier;
use crate::{
    error::{AppError, FieldErrors},
    i18n::Msg,
};

/// Project statuses that count as organized (`planned` does not).
pub const ORGANIZED_PROJECT_STATUSES: [&str; 3] = ["running", "completed", "stopped"];

/// Earliest date a ledger record may carry.
pub fn earliest_ledger_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or(NaiveDate::MIN)
}

/// A ledger date: `YYYY-MM-DD`, not after `today`, not before 2000.
pub fn ledger_date(
    field: &str,
    raw: &str,
    today: NaiveDate,
    errors: &mut FieldErrors,
) -> Option<NaiveDate> {
    if raw.trim().is_empty() {
        errors.add(
            field,
            Msg::new("请填写日期（YYYY-MM-DD）", "enter the date (YYYY-MM-DD)"),
        );
        return None;
    }
    let Ok(date) = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d") else {
        let raw = crate::i18n::quote(raw);
        errors.add(
            field,
            Msg::new(
                format!("日期“{raw}”格式应为 YYYY-MM-DD"),
                format!("date '{raw}' must be YYYY-MM-DD"),
            ),
        );
        return None;
    };
    if date > today {
        errors.add(
            field,
            Msg::new(
                format!("日期 {date} 晚于今天（{today}）"),
                format!("date {date} lies after today ({today})"),
            ),
        );
        None
    } else if date < earliest_ledger_date() {
        errors.add(
            field,
            Msg::new(
                "日期不得早于 2000-01-01",
                "the date may not lie before 2000-01-01",
            ),
        );
        None
    } else {
        Some(date)
    }
}

/// Parses each entry of a list of identifiers, naming a bad one as `field[i]`.
pub fn identifier_list<T>(
    field: &str,
    raw: &[String],
    parse: impl Fn(&str) -> Result<T, InvalidIdentifier>,
    errors: &mut FieldErrors,
) -> Vec<T> {
    let mut parsed = Vec::new();
    for (i, item) in raw.iter().enumerate() {
        match parse(item) {
            Ok(value) => parsed.push(value),
            Err(e) => errors.add(format!("{field}[{i}]"), e.0),
        }
    }
    parsed
}

/// A list stored as a JSON array of strings.
pub fn to_json_list<T: ToString>(items: &[T]) -> String {
    serde_json::Value::from(items.iter().map(ToString::to_string).collect::<Vec<_>>()).to_string()
}

/// The strings of a stored JSON array.
pub fn from_json_list(raw: &str) -> Vec<String> {
    serde_json::from_str(raw).unwrap_or_default()
}

/// An optional text, trimmed, at most `max` characters; empty is none.
pub fn optional_text(
    field: &str,
    raw: Option<&str>,
    max: usize,
    errors: &mut FieldErrors,
) -> Option<String> {
    let text = raw.map(str::trim).filter(|t| !t.is_empty())?;
    if text.chars().count() > max {
        errors.add(
            field,
            Msg::new(
                format!("最多 {max} 个字符"),
                format!("at most {max} characters"),
            ),
        );
        return None;
    }
    Some(text.to_string())
}

/// The record `current` (as its input) with the fields of `patch` laid over it: what an edit
/// validates. `version` is not part of the input.
pub fn merge_patch<T: serde::Serialize + DeserializeOwned>(
    current: &T,
    mut patch: serde_json::Map<String, serde_json::Value>,
) -> Result<T, AppError> {
    patch.remove("version");
    let mut merged = match serde_json::to_value(current) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => {
            return Err(AppError::Internal(anyhow::anyhow!(
                "record input is not an object"
            )));
        }
    };
    for (key, value) in patch {
        if !merged.contains_key(&key) {
            return Err(AppError::field(
                key.clone(),
                Msg::new(format!("未知字段“{key}”"), format!("unknown field '{key}'")),
            ));
        }
        merged.insert(key, value);
    }
    crate::json::parse_json(serde_json::Value::Object(merged).to_string().as_bytes())
}

/// The `version` of an edit body (422 when missing).
pub fn version_of(patch: &serde_json::Map<String, serde_json::Value>) -> Result<i32, AppError> {
    match patch.get("version") {
        Some(serde_json::Value::Number(n)) => n
            .as_i64()
            .and_then(|v| i32::try_from(v).ok())
            .ok_or_else(missing_version),
        Some(_) => Err(AppError::BadRequest(Msg::new(
            "version 应为整数",
            "version must be an integer",
        ))),
        None => Err(missing_version()),
    }
}

fn missing_version() -> AppError {
    AppError::field(
        "version",
        Msg::new("缺少记录版本号 version", "the record's version is required"),
    )
}

/// The conflict answered for a stale version.
pub fn stale(current_version: i32) -> AppError {
    AppError::Conflict(Msg::new(
        format!("记录已被他人修改（当前版本 {current_version}），请刷新后重试"),
        format!(
            "the record was changed by someone else (current version {current_version}); reload and try again"
        ),
    ))
}

/// The columns every versioned, soft-deletable record table has.
pub struct Versioned<C> {
    pub id: C,
    pub center_id: C,
    pub version: C,
    pub deleted_at: C,
    pub updated_at: C,
}

/// A table of versioned, soft-deletable records (deals, projects, events, memberships).
pub trait VersionedTable: EntityTrait {
    /// Its id, version, deletion and update-time columns.
    fn columns() -> Versioned<Self::Column>;
}

macro_rules! versioned_tables {
    ($($table:ident),*) => {$(
        impl VersionedTable for entities::$table::Entity {
            fn columns() -> Versioned<Self::Column> {
                use entities::$table::Column as C;
                Versioned { id: C::Id, center_id: C::CenterId, version: C::Version, deleted_at: C::DeletedAt, updated_at: C::UpdatedAt }
            }
        }
    )*};
}
versioned_tables!(transactions, projects, service_events, memberships);

/// `id` as a value of the id column's own type (404 when it cannot be one): PostgreSQL keeps a
/// prepared statement with the parameter types it was first sent, and refuses an `int8` where
/// the same statement was prepared with an `int4` (`find_by_id` on an `i32` id writes the same SQL).
pub(crate) fn id_value<E: VersionedTable>(id: i64) -> Result<sea_orm::Value, AppError> {
    match E::columns().id.def().get_column_type() {
        sea_orm::ColumnType::BigInteger => Ok(id.into()),
        _ => i32::try_from(id)
            .map(Into::into)
            .map_err(|_| AppError::NotFound),
    }
}

/// The live (not deleted) record `id` of `center_id`; 404 for any other.
pub async fn find_live<E: VersionedTable>(
    db: &impl ConnectionTrait,
    center_id: i32,
    id: i64,
) -> Result<E::Model, AppError> {
    let columns = E::columns();
    E::find()
        .filter(columns.id.eq(id_value::<E>(id)?))
        .filter(columns.center_id.eq(center_id))
        .filter(columns.deleted_at.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Runs a guarded `UPDATE … SET version = version + 1, updated_at = now … WHERE id = ? AND version
/// = ? AND deleted_at IS NULL` with `changes`; 409 naming `current_version` when no row matched
/// (someone else changed or deleted it).
pub async fn update_if_current<E: VersionedTable>(
    db: &impl ConnectionTrait,
    (id, version, current_version): (i64, i32, i32),
    changes: Vec<(E::Column, Expr)>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    let columns = E::columns();
    let mut update = E::update_many()
        .col_expr(columns.version, Expr::col(columns.version).add(1))
        .col_expr(columns.updated_at, Expr::value(now));
    for (column, value) in changes {
        update = update.col_expr(column, value);
    }
    let result = update
        .filter(columns.id.eq(id_value::<E>(id)?))
        .filter(columns.version.eq(version))
        .filter(columns.deleted_at.is_null())
        .exec(db)
        .await?;
    if result.rows_affected == 0 {
        Err(stale(current_version))
    } else {
        Ok(())
    }
}
