//! The database: connecting to SQLite or PostgreSQL, applying migrations under a lock, running
//! a write transaction, and what ipoc knows of the database's health.

mod health;
mod write;

pub use health::{DbHealth, Storage, watch_reachability};
pub use write::{probe_write, write};

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr,
    sqlx::{
        Connection,
        sqlite::{SqliteJournalMode, SqliteSynchronous},
    },
};

use crate::settings::Settings;

/// How long a request waits for a pooled connection before it is answered 503 (busy).
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// Opens the pool: SQLite in WAL mode with a busy timeout and foreign keys on; PostgreSQL as is.
/// On both, a connection that comes back to the pool still inside a transaction (its COMMIT or
/// ROLLBACK failed: a full disk, a cut connection) is closed instead of reused, so that no later
/// request writes into a transaction that never commits.
pub async fn connect(settings: &Settings) -> Result<DatabaseConnection, DbErr> {
    if let Some(path) = sqlite_path(&settings.database_url)
        && let Some(parent) = std::path::Path::new(&path).parent()
    {
        std::fs::create_dir_all(parent)
            .map_err(|e| DbErr::Custom(format!("cannot create {}: {e}", parent.display())))?;
    }
    let mut options = ConnectOptions::new(settings.database_url.clone());
    options
        .max_connections(settings.db_max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(2))
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
                .create_if_missing(true)
                // 64 MiB of page cache per connection and memory-mapped reads: indicator queries
                // touch many pages of a national-scale file
                .pragma("cache_size", "-65536")
                .pragma("mmap_size", "1073741824")
                .pragma("temp_store", "memory")
        })
        .map_sqlx_sqlite_pool_opts(|pool| {
            pool.after_release(|conn, _| Box::pin(async move { outside_transaction(conn).await }))
        })
        .map_sqlx_postgres_pool_opts(|pool| {
            pool.after_release(|conn, _| Box::pin(async move { outside_transaction(conn).await }))
        });
    Database::connect(options).await
}

/// Whether a released connection may be reused: it is outside every transaction. A committed
/// or rolled-back transaction has left it so by the time its future resolves; one whose COMMIT
/// or ROLLBACK failed has not (SQLite may even hold its write lock), and is closed — closing
/// rolls back whatever it still holds. No round trip: the pool pings the connection anyway.
async fn outside_transaction<C: Connection>(conn: &mut C) -> Result<bool, sea_orm::sqlx::Error> {
    let clean = !conn.is_in_transaction();
    if !clean {
        tracing::warn!(
            "a connection came back inside a transaction (a failed COMMIT or ROLLBACK); closing it"
        );
    }
    Ok(clean)
}

/// The file path of a `sqlite://path?…` URL (none for in-memory databases).
fn sqlite_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| path.to_string())
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Whether the database answers a trivial query within `timeout`.
pub async fn ping(db: &DatabaseConnection, timeout: Duration) -> bool {
    matches!(
        tokio::time::timeout(timeout, db.execute_unprepared("SELECT 1")).await,
        Ok(Ok(_))
    )
}
