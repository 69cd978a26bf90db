//! One process at a time changes the schema and writes first-start data: N instances of a
//! deployment may start at once on one empty database, and `cargo run -p migration` may run
//! beside them. On PostgreSQL the lock is an advisory lock held on a connection of its own (the
//! server drops it with the connection if the process dies); on SQLite — one machine's file —
//! it is an exclusive lock on a file beside the database, `<database>.lock` (an exclusive
//! transaction would also block the migrating process's own pooled connections).

use std::{fs::File, path::PathBuf};

use sea_orm_migration::sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr,
};

/// The advisory lock's key ("ipocmigr" in ASCII).
const ADVISORY_KEY: i64 = 0x6970_6f63_6d69_6772;

/// A held migration lock; released by [`MigrationLock::release`] (or when the process ends).
pub struct MigrationLock {
    held: Held,
}

enum Held {
    Postgres(DatabaseConnection),
    Sqlite(File),
    /// An in-memory SQLite database belongs to one process: nothing to lock.
    Nothing,
}

impl MigrationLock {
    /// Waits until the lock of the database at `url` is free, and takes it.
    pub async fn acquire(url: &str) -> Result<MigrationLock, DbErr> {
        let held = match sqlite_file(url) {
            Some(None) => Held::Nothing,
            Some(Some(path)) => Held::Sqlite(lock_file(path).await?),
            None => {
                let mut options = ConnectOptions::new(url.to_string());
                options
                    .max_connections(1)
                    .min_connections(1)
                    .sqlx_logging(false);
                let conn = Database::connect(options).await?;
                conn.execute_unprepared(&format!("SELECT pg_advisory_lock({ADVISORY_KEY})"))
                    .await?;
                Held::Postgres(conn)
            }
        };
        Ok(MigrationLock { held })
    }

    /// Releases the lock.
    pub async fn release(self) -> Result<(), DbErr> {
        match self.held {
            Held::Postgres(conn) => {
                conn.execute_unprepared(&format!("SELECT pg_advisory_unlock({ADVISORY_KEY})"))
                    .await?;
                conn.close().await
            }
            Held::Sqlite(file) => file
                .unlock()
                .map_err(|e| DbErr::Custom(format!("releasing the migration lock: {e}"))),
            Held::Nothing => Ok(()),
        }
    }
}

/// For a SQLite URL, the lock file's path (none for an in-memory database); `None` for others.
fn sqlite_file(url: &str) -> Option<Option<PathBuf>> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" || rest.contains("mode=memory") {
        return Some(None);
    }
    Some(Some(PathBuf::from(format!("{path}.lock"))))
}

/// Opens (creating it and its folder) and exclusively locks `path`, waiting for other holders.
async fn lock_file(path: PathBuf) -> Result<File, DbErr> {
    let fail = |e: std::io::Error| DbErr::Custom(format!("migration lock {}: {e}", path.display()));
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(fail)?;
    tokio::task::spawn_blocking(move || file.lock().map(|()| file))
        .await
        .map_err(|e| DbErr::Custom(format!("migration lock: {e}")))?
        .map_err(fail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_lock_a_file_beside_the_database() {
        assert_eq!(
            sqlite_file("sqlite://data/ipoc.db?mode=rwc"),
            Some(Some(PathBuf::from("data/ipoc.db.lock")))
        );
        assert_eq!(sqlite_file("sqlite::memory:"), Some(None));
        assert_eq!(sqlite_file("postgres://postgres@127.0.0.1/ipoc"), None);
    }
}
