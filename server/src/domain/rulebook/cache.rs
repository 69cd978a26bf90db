//! The rulebook versions kept in memory for a few seconds.

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;

use super::{RulebookVersion, all_versions};
use crate::error::AppError;

/// The rulebook versions kept in memory for a few seconds: versions never change once written, so
/// the only staleness is a version just created by another instance (seen within `ttl`); one
/// created here is seen at once.
pub struct RulebookCache {
    ttl: std::time::Duration,
    entry: std::sync::RwLock<Option<(std::time::Instant, std::sync::Arc<Vec<RulebookVersion>>)>>,
}

impl RulebookCache {
    /// An empty cache whose entries live `ttl`.
    pub fn new(ttl: std::time::Duration) -> RulebookCache {
        RulebookCache {
            ttl,
            entry: std::sync::RwLock::new(None),
        }
    }

    /// Every version, oldest first (from memory when fresh).
    pub async fn versions(
        &self,
        db: &impl ConnectionTrait,
    ) -> Result<std::sync::Arc<Vec<RulebookVersion>>, AppError> {
        if let Ok(guard) = self.entry.read()
            && let Some((_, versions)) = guard.as_ref().filter(|(at, _)| at.elapsed() < self.ttl)
        {
            return Ok(versions.clone());
        }
        let versions = std::sync::Arc::new(all_versions(db).await?);
        if let Ok(mut guard) = self.entry.write() {
            *guard = Some((std::time::Instant::now(), versions.clone()));
        }
        Ok(versions)
    }

    /// The version in force on `date` (see [`in_force_on`]).
    pub async fn in_force_on(
        &self,
        db: &impl ConnectionTrait,
        date: NaiveDate,
    ) -> Result<RulebookVersion, AppError> {
        self.versions(db)
            .await?
            .iter()
            .rev()
            .find(|v| v.effective_from <= date)
            .cloned()
            .ok_or_else(|| {
                AppError::Internal(anyhow::anyhow!("no rulebook version is in force on {date}"))
            })
    }

    /// Forgets the cached versions (after this instance wrote one).
    pub fn invalidate(&self) {
        if let Ok(mut guard) = self.entry.write() {
            *guard = None;
        }
    }
}
