//! Why ipoc cannot serve a request now: the database's faults, as read from its errors.

use sea_orm::DbErr;

use crate::i18n::Msg;

/// Why ipoc cannot serve a request now (503 `unavailable`, with `Retry-After`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The database cannot be reached: a connect or a ping failed.
    Unreachable,
    /// The database's disk is full.
    StorageFull,
    /// The database's storage fails (an I/O error, read-only, cannot be opened).
    StorageUnavailable,
    /// Every database connection stayed busy for the pool's acquire timeout.
    Busy,
    /// This instance's search index is being built from the database.
    SearchBuilding,
}

impl Fault {
    /// The fault a database error shows, if it is one (and not a fault of the request).
    pub fn of(err: &DbErr) -> Option<Fault> {
        use sea_orm::{ConnAcquireErr, RuntimeErr, sqlx};
        let cause = match err {
            DbErr::ConnectionAcquire(ConnAcquireErr::Timeout) => return Some(Fault::Busy),
            DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed) => {
                return Some(Fault::Unreachable);
            }
            DbErr::Conn(RuntimeErr::SqlxError(e))
            | DbErr::Exec(RuntimeErr::SqlxError(e))
            | DbErr::Query(RuntimeErr::SqlxError(e)) => e,
            DbErr::Conn(_) => return Some(Fault::Unreachable),
            _ => return None,
        };
        match &**cause {
            sqlx::Error::Database(db) => {
                let code = db.code()?;
                if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                    Self::of_sqlite(code.parse().ok()?)
                } else {
                    Self::of_sqlstate(&code)
                }
            }
            sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::Protocol(_)
            | sqlx::Error::WorkerCrashed
            | sqlx::Error::PoolClosed => Some(Fault::Unreachable),
            sqlx::Error::PoolTimedOut => Some(Fault::Busy),
            _ => None,
        }
    }

    /// SQLite's result codes (extended codes carry the primary code in their low byte).
    fn of_sqlite(code: i32) -> Option<Fault> {
        match code & 0xff {
            13 => Some(Fault::StorageFull), // SQLITE_FULL
            // SQLITE_IOERR, SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_NOTADB
            10 | 8 | 14 | 26 => Some(Fault::StorageUnavailable),
            5..=7 => Some(Fault::Busy), // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_NOMEM
            _ => None,
        }
    }

    /// PostgreSQL's SQLSTATE codes.
    fn of_sqlstate(code: &str) -> Option<Fault> {
        match code {
            "53100" => Some(Fault::StorageFull), // disk_full
            "58030" | "25006" => Some(Fault::StorageUnavailable), // io_error, read-only (a replica)
            "57P01" | "57P02" | "57P03" => Some(Fault::Unreachable), // shutting down, starting up
            "53200" | "53300" | "57014" => Some(Fault::Busy), // out of memory, too many clients, timeout
            _ if code.starts_with("08") => Some(Fault::Unreachable), // connection exception
            _ => None,
        }
    }

    /// What the caller is told.
    pub fn message(self) -> Msg {
        match self {
            Fault::Unreachable => Msg::new(
                "服务暂时不可用：无法连接数据库，请稍后重试",
                "the service is temporarily unavailable: the database cannot be reached; please try again shortly",
            ),
            Fault::StorageFull => Msg::new(
                "服务暂时不可用：存储空间已满，本次操作未保存，请稍后重试",
                "the service is temporarily unavailable: storage is full and nothing was saved; please try again later",
            ),
            Fault::StorageUnavailable => Msg::new(
                "服务暂时不可用：存储出错，本次操作未保存，请稍后重试",
                "the service is temporarily unavailable: storage failed and nothing was saved; please try again later",
            ),
            Fault::Busy => Msg::new(
                "服务繁忙，请稍后重试",
                "the service is busy; please try again shortly",
            ),
            Fault::SearchBuilding => Msg::new(
                "检索索引正在重建，请稍后重试",
                "the search index is being rebuilt; please try again shortly",
            ),
        }
    }

    /// The `Retry-After` seconds.
    pub fn retry_after_secs(self) -> u64 {
        match self {
            Fault::Busy => 1,
            Fault::SearchBuilding => 2,
            Fault::Unreachable => 5,
            Fault::StorageFull | Fault::StorageUnavailable => 10,
        }
    }

    /// The name `/health` and the logs use.
    pub fn label(self) -> &'static str {
        match self {
            Fault::Unreachable => "unreachable",
            Fault::StorageFull => "storage_full",
            Fault::StorageUnavailable => "storage_unavailable",
            Fault::Busy => "busy",
            Fault::SearchBuilding => "search_building",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{ConnAcquireErr, RuntimeErr, sqlx};

    #[test]
    fn database_errors_name_their_fault() {
        assert_eq!(Fault::of_sqlite(13), Some(Fault::StorageFull));
        assert_eq!(
            Fault::of_sqlite(778),
            Some(Fault::StorageUnavailable),
            "SQLITE_IOERR_WRITE"
        );
        assert_eq!(Fault::of_sqlite(5), Some(Fault::Busy));
        assert_eq!(
            Fault::of_sqlite(2067),
            None,
            "a unique constraint is the request's fault"
        );
        assert_eq!(Fault::of_sqlstate("53100"), Some(Fault::StorageFull));
        assert_eq!(Fault::of_sqlstate("57P01"), Some(Fault::Unreachable));
        assert_eq!(Fault::of_sqlstate("08006"), Some(Fault::Unreachable));
        assert_eq!(Fault::of_sqlstate("23505"), None);
        let busy = DbErr::ConnectionAcquire(ConnAcquireErr::Timeout);
        assert_eq!(
            Fault::of(&busy),
            Some(Fault::Busy),
            "a busy pool is not an outage"
        );
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        let cut = DbErr::Conn(RuntimeErr::SqlxError(sqlx::Error::Io(refused).into()));
        assert_eq!(Fault::of(&cut), Some(Fault::Unreachable));
        assert_eq!(Fault::of(&DbErr::RecordNotFound("x".into())), None);
        assert_ne!(Fault::Busy.message(), Fault::Unreachable.message());
    }
}
