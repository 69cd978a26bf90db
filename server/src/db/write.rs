//! One write transaction around a piece of work: every command that writes runs through here, so
//! that a COMMIT that fails is handled in one place.

use sea_orm::{
    DatabaseConnection, DatabaseTransaction, DbErr, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};

use crate::error::{AppError, Fault};

/// Runs `work` in one write transaction and commits it; returns what `work` returned only once
/// the COMMIT has succeeded. When `work` fails, the transaction is rolled back and its error
/// returned. When the COMMIT fails (a full disk, a storage error, a cut connection), nothing is
/// acknowledged: the caller gets `503 unavailable`, and the connection — whose state SQLite may
/// have left inside the transaction — is rolled back or closed by the pool before any reuse.
/// On SQLite the write lock is taken at once (`BEGIN IMMEDIATE`), so two writers wait for each
/// other (busy timeout) instead of failing when a read is upgraded.
pub async fn write<T>(
    db: &DatabaseConnection,
    work: impl AsyncFnOnce(&DatabaseTransaction) -> Result<T, AppError>,
) -> Result<T, AppError> {
    let txn = db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await?;
    match work(&txn).await {
        Ok(value) => {
            txn.commit().await.map_err(commit_failed)?;
            Ok(value)
        }
        Err(err) => {
            if let Err(rollback) = txn.rollback().await {
                tracing::warn!(error = %rollback, "rollback failed; the pool closes the connection");
            }
            Err(err)
        }
    }
}

/// A COMMIT that failed: the write may not be durable, so it is never acknowledged.
fn commit_failed(err: DbErr) -> AppError {
    let fault = match Fault::of(&err) {
        Some(Fault::Busy) | None => Fault::StorageUnavailable,
        Some(fault) => fault,
    };
    tracing::warn!(fault = fault.label(), error = %err, "COMMIT failed; nothing acknowledged");
    AppError::Unavailable(fault)
}

/// A write of `/health`'s own row: whether the storage takes writes (the fault it met if not).
pub async fn probe_write(
    db: &DatabaseConnection,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), Fault> {
    use sea_orm::{ConnectionTrait, Statement};
    let sql = "INSERT INTO health_probe (id, checked_at) VALUES (1, $1) \
               ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at";
    let result = write(db, async |txn| {
        txn.execute_raw(Statement::from_sql_and_values(
            txn.get_database_backend(),
            sql,
            [now.into()],
        ))
        .await?;
        Ok(())
    })
    .await;
    match result {
        Ok(()) => Ok(()),
        Err(AppError::Unavailable(fault)) => Err(fault),
        Err(_) => Err(Fault::StorageUnavailable),
    }
}
