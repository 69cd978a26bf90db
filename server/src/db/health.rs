//! What ipoc knows of its database's health: whether PostgreSQL can be reached (watched by a
//! probe on a connection of its own, outside the pool) and whether the last writes found the
//! storage full or failing. `/health` reports it; requests are answered 503 at once while the
//! database cannot be reached, instead of each waiting for the pool's timeout.

use std::{
    sync::Mutex,
    time::{Duration, Instant},
};

use sea_orm::sqlx::{Connection, postgres::PgConnection};
use tokio::sync::{Notify, watch};

use crate::error::Fault;

/// How long one probe (a connect, or a ping on the probe's connection) may take.
const PROBE_TIMEOUT: Duration = Duration::from_secs(1);
/// How often the database is probed while it answers.
const PROBE_EVERY: Duration = Duration::from_secs(1);
/// How often it is probed while it cannot be reached (recovery is seen this soon).
const PROBE_EVERY_WHILE_DOWN: Duration = Duration::from_millis(250);

/// How long a storage fault is reported after the last write that met it: on a full disk some
/// writes still fit (SQLite reuses its log's space) while others fail, so one success proves
/// nothing until failures have stopped for this long.
const STORAGE_FAULT_HOLD: Duration = Duration::from_secs(10);

/// The database's health as this instance last saw it.
pub struct DbHealth {
    reachable: watch::Sender<bool>,
    storage: Mutex<Option<(Fault, Instant)>>,
    probe_now: Notify,
}

/// What is known of the storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    /// No write met a storage fault (or one succeeded since the hold ran out).
    Healthy,
    /// A write met this fault within the hold.
    Failing(Fault),
    /// A write met this fault before the hold ran out, and none has succeeded since.
    Unconfirmed(Fault),
}

impl Default for DbHealth {
    fn default() -> Self {
        DbHealth {
            reachable: watch::channel(true).0,
            storage: Mutex::new(None),
            probe_now: Notify::new(),
        }
    }
}

impl DbHealth {
    /// Whether the database cannot be reached now (set and cleared by the probe only).
    pub fn is_unreachable(&self) -> bool {
        !*self.reachable.borrow()
    }

    /// What is known of the storage.
    pub fn storage(&self) -> Storage {
        match *self.storage_fault() {
            None => Storage::Healthy,
            Some((fault, seen)) if seen.elapsed() < STORAGE_FAULT_HOLD => Storage::Failing(fault),
            Some((fault, _)) => Storage::Unconfirmed(fault),
        }
    }

    fn storage_fault(&self) -> std::sync::MutexGuard<'_, Option<(Fault, Instant)>> {
        self.storage
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A request met `fault`: a storage fault is remembered (see [`Storage`]); a connection
    /// fault makes the probe look at once (it alone decides whether the database is unreachable).
    pub fn saw(&self, fault: Fault) {
        match fault {
            Fault::StorageFull | Fault::StorageUnavailable => {
                let mut stored = self.storage_fault();
                if stored.is_none() {
                    tracing::warn!(fault = fault.label(), "database storage fault");
                }
                *stored = Some((fault, Instant::now()));
            }
            Fault::Unreachable => self.probe_now.notify_one(),
            Fault::Busy | Fault::SearchBuilding => {}
        }
    }

    /// A write committed: once the hold has run out, the storage is healthy again.
    pub fn wrote(&self) {
        let mut stored = self.storage_fault();
        if stored.is_some_and(|(_, seen)| seen.elapsed() >= STORAGE_FAULT_HOLD) {
            tracing::info!("database storage takes writes again");
            *stored = None;
        }
    }

    /// Resolves once the database is found unreachable.
    pub async fn until_unreachable(&self) {
        let mut changes = self.reachable.subscribe();
        let _ = changes.wait_for(|reachable| !*reachable).await;
    }

    fn set_reachable(&self, reachable: bool) {
        self.reachable.send_if_modified(|current| {
            let changed = *current != reachable;
            if changed && reachable {
                tracing::info!("database reachable again");
            } else if changed {
                tracing::warn!("database unreachable");
            }
            *current = reachable;
            changed
        });
    }
}

/// Watches whether the PostgreSQL server at `url` can be reached, with a connection of its own
/// (a busy pool is not an outage): every second, every 250 ms while it cannot, and at once when
/// a request met a connection fault. Runs until `health` is dropped.
pub fn watch_reachability(url: String, health: std::sync::Weak<DbHealth>) {
    tokio::spawn(async move {
        let mut conn: Option<PgConnection> = None;
        let mut timeouts = 0;
        loop {
            let outcome = probe(&mut conn, &url).await;
            let Some(health) = health.upgrade() else {
                return;
            };
            timeouts = if outcome == Probe::TimedOut {
                timeouts + 1
            } else {
                0
            };
            match outcome {
                Probe::Answered => health.set_reachable(true),
                Probe::Failed => health.set_reachable(false),
                // one slow answer is load, not an outage
                Probe::TimedOut if timeouts >= 2 => health.set_reachable(false),
                Probe::TimedOut => {}
            }
            // while it cannot be reached, or has just been slow, look again soon
            let wait = if health.is_unreachable() || timeouts > 0 {
                PROBE_EVERY_WHILE_DOWN
            } else {
                PROBE_EVERY
            };
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = health.probe_now.notified() => {}
            }
        }
    });
}

#[derive(Debug, PartialEq, Eq)]
enum Probe {
    Answered,
    Failed,
    TimedOut,
}

/// Pings on the probe's connection, reconnecting when it has none or it failed.
async fn probe(conn: &mut Option<PgConnection>, url: &str) -> Probe {
    if let Some(open) = conn.as_mut() {
        match tokio::time::timeout(PROBE_TIMEOUT, open.ping()).await {
            Ok(Ok(())) => return Probe::Answered,
            Ok(Err(_)) => *conn = None,
            Err(_) => {
                *conn = None;
                return Probe::TimedOut;
            }
        }
    }
    match tokio::time::timeout(PROBE_TIMEOUT, PgConnection::connect(url)).await {
        Ok(Ok(open)) => {
            *conn = Some(open);
            Probe::Answered
        }
        Ok(Err(_)) => Probe::Failed,
        Err(_) => Probe::TimedOut,
    }
}
