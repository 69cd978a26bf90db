//! The stored versions of the rulebook: version 1 written from the policy at the first start,
//! each later one created from the changes to the latest, none ever changed once written.

use chrono::{DateTime, NaiveDate, Utc};
use entities::rulebook_versions;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryOrder, Set,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::{Rules, policy_effective_from};
use crate::domain::audit::AuditEntry;
use crate::{
    error::{AppError, FieldErrors},
    i18n::Msg,
};

/// One stored version with its values.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RulebookVersion {
    pub version: i32,
    pub effective_from: NaiveDate,
    pub created_at: DateTime<Utc>,
    #[serde(flatten)]
    pub rules: Rules,
}

fn decode(model: rulebook_versions::Model) -> Result<RulebookVersion, AppError> {
    let rules: Rules = serde_json::from_str(&model.rules).map_err(|e| {
        AppError::Internal(anyhow::anyhow!(
            "rulebook version {} is unreadable: {e}",
            model.version
        ))
    })?;
    Ok(RulebookVersion {
        version: model.version,
        effective_from: model.effective_from,
        created_at: model.created_at,
        rules,
    })
}

/// Writes version 1 with the policy numbers if the rulebook is empty (safe to run concurrently).
#[tracing::instrument(skip_all)]
pub async fn ensure_policy_version(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if rulebook_versions::Entity::find_by_id(1)
        .one(db)
        .await?
        .is_some()
    {
        return Ok(());
    }
    let rules =
        serde_json::to_string(&Rules::policy()).map_err(|e| AppError::Internal(e.into()))?;
    let inserted = rulebook_versions::ActiveModel {
        version: Set(1),
        effective_from: Set(policy_effective_from()),
        rules: Set(rules),
        created_by: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await;
    match inserted.map_err(AppError::from) {
        Ok(_) | Err(AppError::Conflict(_)) => Ok(()),
        Err(other) => Err(other),
    }
}

/// Every version, oldest first.
pub async fn all_versions(db: &impl ConnectionTrait) -> Result<Vec<RulebookVersion>, AppError> {
    rulebook_versions::Entity::find()
        .order_by_asc(rulebook_versions::Column::Version)
        .all(db)
        .await?
        .into_iter()
        .map(decode)
        .collect()
}

/// The version in force on `date`: the latest whose `effective_from` is on or before it.
pub async fn in_force_on(
    db: &impl ConnectionTrait,
    date: NaiveDate,
) -> Result<RulebookVersion, AppError> {
    all_versions(db)
        .await?
        .into_iter()
        .rev()
        .find(|v| v.effective_from <= date)
        .ok_or_else(|| {
            AppError::Internal(anyhow::anyhow!("no rulebook version is in force on {date}"))
        })
}

/// Creates the next version from `effective_from` and the values that change, copying the rest
/// from the latest version. `effective_from` may not lie before `today` nor on or before the
/// latest version's; keys must be known and the result coherent (422 otherwise).
#[tracing::instrument(skip_all)]
pub async fn create_version(
    db: &DatabaseConnection,
    actor_user_id: i32,
    mut changes: serde_json::Map<String, serde_json::Value>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<RulebookVersion, AppError> {
    let mut errors = FieldErrors::default();
    let effective_from = match changes.remove("effective_from") {
        Some(serde_json::Value::String(raw)) => NaiveDate::parse_from_str(&raw, "%Y-%m-%d")
            .map_err(|_| {
                errors.add(
                    "effective_from",
                    Msg::new("日期格式应为 YYYY-MM-DD", "the date must be YYYY-MM-DD"),
                )
            })
            .ok(),
        Some(_) => {
            return Err(AppError::BadRequest(Msg::new(
                "effective_from 应为字符串",
                "effective_from must be a string",
            )));
        }
        None => {
            errors.add(
                "effective_from",
                Msg::new("缺少生效日期", "effective_from is required"),
            );
            None
        }
    };
    let latest = all_versions(db)
        .await?
        .pop()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("the rulebook has no version 1")))?;
    if let Some(date) = effective_from {
        if date < today {
            errors.add(
                "effective_from",
                Msg::new(
                    format!("生效日期不得早于今天（{today}）"),
                    format!("effective_from may not lie before today ({today})"),
                ),
            );
        } else if date <= latest.effective_from {
            errors.add(
                "effective_from",
                Msg::new(
                    format!(
                        "生效日期须晚于最新版本 {} 的生效日期 {}",
                        latest.version, latest.effective_from
                    ),
                    format!(
                        "effective_from must follow that of the latest version {} ({})",
                        latest.version, latest.effective_from
                    ),
                ),
            );
        }
    }
    let mut merged = match serde_json::to_value(&latest.rules) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => {
            return Err(AppError::Internal(anyhow::anyhow!(
                "rules do not serialize to an object"
            )));
        }
    };
    for (key, value) in changes {
        if merged.contains_key(&key) {
            merged.insert(key, value);
        } else {
            errors.add(
                key.clone(),
                Msg::new(
                    format!("未知的规则项“{key}”"),
                    format!("unknown rule key '{key}'"),
                ),
            );
        }
    }
    let rules = match crate::json::parse_json::<Rules>(
        serde_json::Value::Object(merged).to_string().as_bytes(),
    ) {
        Ok(rules) => Some(rules),
        Err(AppError::Validation(fields)) => {
            for (k, msgs) in fields.0 {
                for m in msgs {
                    errors.add(k.clone(), m);
                }
            }
            None
        }
        Err(other) => return Err(other),
    };
    if let Some(rules) = &rules {
        for (k, msgs) in rules.check().0 {
            for m in msgs {
                errors.add(k.clone(), m);
            }
        }
    }
    let (effective_from, rules) = match (effective_from, rules) {
        (Some(date), Some(rules)) if errors.is_empty() => (date, rules),
        _ => return Err(AppError::Validation(errors)),
    };
    let version = latest.version + 1;
    crate::db::write(db, async |txn| {
        let model = rulebook_versions::ActiveModel {
            version: Set(version),
            effective_from: Set(effective_from),
            rules: Set(serde_json::to_string(&rules).map_err(|e| AppError::Internal(e.into()))?),
            created_by: Set(Some(actor_user_id)),
            created_at: Set(now),
        }
        .insert(txn)
        .await
        .map_err(|e| match AppError::from(e) {
            AppError::Conflict(_) => AppError::Conflict(Msg::new(
                "另一新版本刚刚创建，请刷新后重试",
                "another version was just created; reload and try again",
            )),
            other => other,
        })?;
        let created = decode(model)?;
        AuditEntry::new(
            Some(actor_user_id),
            "rulebook.create_version",
            "rulebook_version",
            version,
        )
        .before(&latest)
        .after(&created)
        .write(txn, now)
        .await?;
        Ok(created)
    })
    .await
}
