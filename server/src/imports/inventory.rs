//! Running an inventory import: the file read and every cell checked at once, the import
//! started once per file, then the rows checked against the library and written — while the
//! caller waits for a small file, in the background for a large one — and its end recorded.

use std::collections::HashMap;

use sea_orm::DatabaseConnection;

use super::{
    Upload,
    patents::{InventoryRow, read_rows},
};
use crate::{
    auth::CurrentUser,
    clock::Clock,
    domain::market::inventory::{
        check::{self, Asked},
        jobs::{self, ChangedRow, Finished, ImportJobView},
        write,
    },
    error::AppError,
    i18n::{Lang, Msg},
};

/// New listings staged per transaction (each a short write that other writers wait little for).
const CHUNK: usize = 1_000;

/// The corrected rows an import lists (the count is always whole).
const CHANGES_SHOWN: usize = 1_000;

/// What starting an import answers: a small file's finished import (run at once), or the id of
/// one running in the background.
pub enum Started {
    Finished(ImportJobView),
    Running(i32),
}

/// Imports an inventory for `user`: the file read and every cell checked (422 at once), started
/// once per file (409 for the same file again), then checked against the library and written —
/// at once for at most `IPOC_IMPORT_SYNC_ROWS` rows, in the background for more.
pub async fn import_inventory(
    db: &DatabaseConnection,
    user: &CurrentUser,
    upload: Upload,
    (clock, lang): (Clock, Lang),
) -> Result<Started, AppError> {
    let Upload {
        file_name,
        bytes,
        limits,
    } = upload;
    let (cap, sync_rows) = (limits.errors_shown, limits.sync_rows);
    let (file_name, sha256, rows, headers) = tokio::task::spawn_blocking(move || {
        let sha256 = super::checksum(&bytes);
        let sheet = super::read_sheet(&file_name, &bytes, &limits)?;
        drop(bytes);
        let (rows, headers) = read_rows(sheet, cap)?;
        Ok::<_, AppError>((file_name, sha256, rows, headers))
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))??;
    let count = rows.len();
    let job = jobs::start(db, user, (&file_name, &sha256, count), clock.now()).await?;
    let work = run(
        (db.clone(), user.clone(), clock),
        job.id,
        rows,
        headers,
        cap,
    );
    if count > sync_rows {
        tokio::spawn(work);
        return Ok(Started::Running(job.id));
    }
    match work.await {
        Finished::Refused(refused) => Err(refused),
        Finished::Done { .. } => Ok(Started::Finished(
            jobs::get(db, user, job.id, (clock.now(), lang)).await?,
        )),
    }
}

/// Discards what the imports whose instance stopped had staged, and records them as stopped
/// (the schedule): how many there were.
pub async fn abandon_stopped(
    db: &DatabaseConnection,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<usize, AppError> {
    let stopped = jobs::stopped(db, now).await?;
    for job in &stopped {
        write::discard(db, *job).await?;
        let why = AppError::Conflict(Msg::new(
            "导入已中断，请重新导入",
            "the import stopped; import again",
        ));
        jobs::finish(db, *job, &Finished::Refused(why), now).await?;
    }
    Ok(stopped.len())
}

/// Runs import `job` to its end and records it (what it staged discarded when it fails).
async fn run(
    (db, user, clock): (DatabaseConnection, CurrentUser, Clock),
    job: i32,
    rows: Vec<InventoryRow>,
    headers: HashMap<String, String>,
    cap: usize,
) -> Finished {
    let how = match write_all((&db, &user, clock), job, rows, &headers, cap).await {
        Ok(done) => done,
        Err(refused) => {
            if let Err(err) = write::discard(&db, job).await {
                tracing::error!(job, error = %err, "discarding a failed import");
            }
            Finished::Refused(refused)
        }
    };
    if let Err(err) = jobs::finish(&db, job, &how, clock.now()).await {
        tracing::error!(job, error = %err, "recording the end of an import");
    }
    how
}

/// Checks every row, stages the new listings a chunk at a time, then publishes them with the
/// corrections.
async fn write_all(
    (db, user, clock): (&DatabaseConnection, &CurrentUser, Clock),
    job: i32,
    rows: Vec<InventoryRow>,
    headers: &HashMap<String, String>,
    cap: usize,
) -> Result<Finished, AppError> {
    let today = clock.today();
    let asked = rows
        .into_iter()
        .map(|r| Asked {
            row: r.row,
            input: r.input,
        })
        .collect();
    let planned = check::plan(db, user, asked, (today, cap), headers.clone()).await?;
    let (updates, inserts): (Vec<_>, Vec<_>) =
        planned.into_iter().partition(|p| p.update.is_some());
    for (n, chunk) in inserts.chunks(CHUNK).enumerate() {
        let when = (today, clock.now());
        crate::db::write(db, async |txn| {
            write::stage(txn, (job, user.id), chunk, when).await
        })
        .await?;
        jobs::progress(
            db,
            job,
            (n * CHUNK + chunk.len()).min(inserts.len()),
            clock.now(),
        )
        .await?;
    }
    let when = (today, clock.now());
    crate::db::write(db, async |txn| {
        write::publish(txn, (job, user.id), &updates, when).await
    })
    .await?;
    let changed: Vec<ChangedRow> = (updates.iter())
        .filter_map(|p| {
            p.update
                .as_ref()
                .filter(|(_, f)| !f.is_empty())
                .map(|(row, fields)| ChangedRow {
                    row: p.row,
                    application_number: row.application_number.clone(),
                    fields: fields.clone(),
                })
        })
        .collect();
    Ok(Finished::Done {
        created: inserts.len(),
        updated: changed.len(),
        changes: changed.into_iter().take(CHANGES_SHOWN).collect(),
    })
}
