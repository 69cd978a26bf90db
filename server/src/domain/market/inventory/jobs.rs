//! An inventory import as a job: started once per file (its sha256) and caller's scope, its
//! progress while it runs, then what it changed or why it was refused; read by its scope only.

use chrono::{DateTime, Utc};
use entities::import_jobs as jobs;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    auth::CurrentUser,
    domain::users::Role,
    error::{AppError, RowErrors},
    i18n::{Lang, Msg},
};

/// A running import silent this long has stopped (its instance went away).
const SILENT_SECONDS: i64 = 600;

/// A row the import changed: a new listing, or the fields of one it corrected.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ChangedRow {
    pub row: usize,
    pub application_number: String,
    /// Empty for a new listing.
    pub fields: Vec<String>,
}

/// What an import came to, as stored.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    Done {
        changes: Vec<ChangedRow>,
    },
    Rejected {
        rows: Vec<(usize, String, String, String)>,
        total: usize,
    },
    Failed {
        zh: String,
        en: String,
    },
}

/// A bad cell of a refused import.
#[derive(Debug, Serialize, ToSchema)]
pub struct BadCell {
    pub row: usize,
    pub column: String,
    pub message: String,
}

/// An import as its caller reads it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportJobView {
    pub id: i32,
    /// `running`, `done`, `rejected` or `failed`.
    pub state: String,
    pub file_name: String,
    pub sha256: String,
    pub rows_total: i32,
    /// Rows written so far.
    pub rows_done: i32,
    pub created: i32,
    pub updated: i32,
    /// The rows added or corrected (`done`).
    pub changes: Vec<ChangedRow>,
    /// The first bad cells (`rejected`), and how many there are.
    pub rows: Vec<BadCell>,
    pub rows_total_bad: usize,
    /// Why it failed (`failed`).
    pub message: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// Whose imports `user` makes and reads: its organization's, or its center's.
pub fn scope_of(user: &CurrentUser) -> Result<String, AppError> {
    match (user.role, user.center_id, user.organization_id) {
        (Role::Center, Some(center), _) => Ok(format!("center:{center}")),
        (Role::Member, _, Some(org)) => Ok(format!("organization:{org}")),
        _ => Err(AppError::Forbidden),
    }
}

/// Starts an import of `file_name` (`rows` rows): 409 when the same file was imported, or is
/// being imported, in this scope.
pub async fn start(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    (file_name, sha256, rows): (&str, &str, usize),
    now: DateTime<Utc>,
) -> Result<jobs::Model, AppError> {
    let scope = scope_of(user)?;
    let again = || {
        AppError::Conflict(Msg::new(
            "该文件已导入过（内容完全相同），如有更正请修改后再导入",
            "this file (the same content) was imported already; correct it before importing again",
        ))
    };
    let earlier = jobs::Entity::find()
        .filter(jobs::Column::Kind.eq("patents"))
        .filter(jobs::Column::Scope.eq(scope.as_str()))
        .filter(jobs::Column::Sha256.eq(sha256))
        .filter(jobs::Column::State.is_in(["running", "done"]))
        .one(db)
        .await?;
    if earlier.is_some() {
        return Err(again());
    }
    let row = jobs::ActiveModel {
        kind: Set("patents".into()),
        scope: Set(scope),
        requested_by: Set(user.id),
        file_name: Set(file_name.chars().take(200).collect()),
        sha256: Set(sha256.into()),
        state: Set("running".into()),
        rows_total: Set(i32::try_from(rows).unwrap_or(i32::MAX)),
        heartbeat_at: Set(now),
        created_at: Set(now),
        ..Default::default()
    };
    row.insert(db).await.map_err(|e| {
        match e.to_string().contains("ux_import_jobs_once") || e.to_string().contains("UNIQUE") {
            true => again(),
            false => e.into(),
        }
    })
}

/// Records that import `id` wrote `done` rows.
pub async fn progress(
    db: &impl ConnectionTrait,
    id: i32,
    done: usize,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    jobs::Entity::update_many()
        .col_expr(
            jobs::Column::RowsDone,
            i32::try_from(done).unwrap_or(i32::MAX).into(),
        )
        .col_expr(jobs::Column::HeartbeatAt, now.into())
        .filter(jobs::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// How an import ended: the rows it changed, or the error that refused or stopped it.
pub enum Finished {
    Done {
        created: usize,
        updated: usize,
        changes: Vec<ChangedRow>,
    },
    Refused(AppError),
}

/// Records how import `id` ended.
pub async fn finish(
    db: &impl ConnectionTrait,
    id: i32,
    how: &Finished,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    let (state, outcome, created, updated) = match how {
        Finished::Done {
            created,
            updated,
            changes,
        } => {
            let changes = changes.clone();
            (
                "done",
                Outcome::Done { changes },
                count(*created),
                count(*updated),
            )
        }
        Finished::Refused(AppError::ImportRejected(RowErrors { shown, total, .. })) => {
            let rows = (shown.iter())
                .map(|e| {
                    (
                        e.row,
                        e.column.clone(),
                        e.message.zh.clone(),
                        e.message.en.clone(),
                    )
                })
                .collect();
            (
                "rejected",
                Outcome::Rejected {
                    rows,
                    total: *total,
                },
                0,
                0,
            )
        }
        Finished::Refused(other) => {
            let m = other.message();
            ("failed", Outcome::Failed { zh: m.zh, en: m.en }, 0, 0)
        }
    };
    jobs::Entity::update_many()
        .col_expr(jobs::Column::State, state.into())
        .col_expr(
            jobs::Column::Outcome,
            serde_json::to_string(&outcome).ok().into(),
        )
        .col_expr(jobs::Column::Created, created.into())
        .col_expr(jobs::Column::Updated, updated.into())
        .col_expr(jobs::Column::RowsDone, (created + updated).into())
        .col_expr(jobs::Column::FinishedAt, Some(now).into())
        .filter(jobs::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Import `id` as `user` reads it (404 outside its scope), in `lang`.
pub async fn get(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: i32,
    (now, lang): (DateTime<Utc>, Lang),
) -> Result<ImportJobView, AppError> {
    let scope = scope_of(user).map_err(|_| AppError::NotFound)?;
    let row = jobs::Entity::find_by_id(id)
        .filter(jobs::Column::Scope.eq(scope))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(view(row, (now, lang)))
}

/// Import `id` as the API answers it: its progress or result, or — refused — the 422 with its
/// bad cells (404 outside its scope).
pub async fn result(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: i32,
    now: DateTime<Utc>,
) -> Result<ImportJobView, AppError> {
    let view = get(db, user, id, (now, Lang::Zh)).await?;
    let row = jobs::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let outcome: Option<Outcome> = row
        .outcome
        .as_deref()
        .and_then(|o| serde_json::from_str(o).ok());
    match outcome {
        Some(Outcome::Rejected { rows, total }) => {
            let shown = (rows.into_iter())
                .map(|(row, column, zh, en)| crate::error::RowError {
                    row,
                    column,
                    message: Msg::new(zh, en),
                })
                .collect();
            Err(AppError::ImportRejected(RowErrors::from_parts(
                shown, total,
            )))
        }
        _ => Ok(view),
    }
}

/// The latest imports of `user`'s scope, newest first.
pub async fn recent(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    (now, lang): (DateTime<Utc>, Lang),
) -> Result<Vec<ImportJobView>, AppError> {
    let scope = scope_of(user)?;
    let rows = jobs::Entity::find()
        .filter(jobs::Column::Scope.eq(scope))
        .order_by_desc(jobs::Column::Id)
        .limit(10)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|r| view(r, (now, lang))).collect())
}

/// The running imports silent for longer than a running one can be (their instance stopped).
pub async fn stopped(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<Vec<i32>, AppError> {
    let before = now - chrono::Duration::seconds(SILENT_SECONDS);
    Ok(jobs::Entity::find()
        .select_only()
        .column(jobs::Column::Id)
        .filter(jobs::Column::State.eq("running"))
        .filter(jobs::Column::HeartbeatAt.lt(before))
        .into_tuple()
        .all(db)
        .await?)
}

fn view(row: jobs::Model, (now, lang): (DateTime<Utc>, Lang)) -> ImportJobView {
    let outcome: Option<Outcome> = row
        .outcome
        .as_deref()
        .and_then(|o| serde_json::from_str(o).ok());
    let silent = row.state == "running" && (now - row.heartbeat_at).num_seconds() > SILENT_SECONDS;
    let mut v = ImportJobView {
        id: row.id,
        state: if silent { "failed".into() } else { row.state },
        file_name: row.file_name,
        sha256: row.sha256,
        rows_total: row.rows_total,
        rows_done: row.rows_done,
        created: row.created,
        updated: row.updated,
        changes: Vec::new(),
        rows: Vec::new(),
        rows_total_bad: 0,
        message: silent.then(|| {
            Msg::new("导入已中断，请重新导入", "the import stopped; import again")
                .text(lang)
                .to_string()
        }),
        created_at: row.created_at,
        finished_at: row.finished_at,
    };
    match outcome {
        Some(Outcome::Done { changes }) => v.changes = changes,
        Some(Outcome::Rejected { rows, total }) => {
            v.rows_total_bad = total;
            v.rows = rows
                .into_iter()
                .map(|(row, column, zh, en)| BadCell {
                    row,
                    column,
                    message: Msg::new(zh, en).text(lang).to_string(),
                })
                .collect();
        }
        Some(Outcome::Failed { zh, en }) => {
            v.message = Some(Msg::new(zh, en).text(lang).to_string())
        }
        None => {}
    }
    v
}
