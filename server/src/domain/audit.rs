//! The audit trail: one row per user action, written in the same transaction as the change.

use chrono::{DateTime, Utc};
use entities::audit_log;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde::Serialize;

use crate::error::AppError;

/// One audited action: who did what to which record, with the record before and after.
pub struct AuditEntry<'a> {
    pub actor_user_id: Option<i32>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<String>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl<'a> AuditEntry<'a> {
    /// An entry for `action` on `entity` `entity_id` by `actor_user_id`.
    pub fn new(
        actor_user_id: Option<i32>,
        action: &'a str,
        entity: &'a str,
        entity_id: impl ToString,
    ) -> Self {
        AuditEntry {
            actor_user_id,
            action,
            entity,
            entity_id: Some(entity_id.to_string()),
            before: None,
            after: None,
        }
    }

    /// Adds the record as it was.
    pub fn before(mut self, value: &impl Serialize) -> Self {
        self.before = serde_json::to_value(value).ok();
        self
    }

    /// Adds the record as it is now.
    pub fn after(mut self, value: &impl Serialize) -> Self {
        self.after = serde_json::to_value(value).ok();
        self
    }

    /// Writes the entry at `at` (real time) on `db`, which should be the change's transaction.
    pub async fn write(self, db: &impl ConnectionTrait, at: DateTime<Utc>) -> Result<(), AppError> {
        audit_log::ActiveModel {
            actor_user_id: Set(self.actor_user_id),
            action: Set(self.action.to_string()),
            entity: Set(self.entity.to_string()),
            entity_id: Set(self.entity_id),
            before: Set(self.before.map(|v| v.to_string())),
            after: Set(self.after.map(|v| v.to_string())),
            at: Set(at),
            ..Default::default()
        }
        .insert(db)
        .await?;
        Ok(())
    }
}
