//! The rulebook: every threshold, weight and deadline as versioned data. A rule reads the version
//! in force on the date it evaluates; versions never change once written.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use entities::rulebook_versions;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    audit::AuditEntry,
    identifiers::Yuan,
    organizations::{OrgFlag, OrgKind},
};
use crate::{
    error::{AppError, FieldErrors},
    i18n::Msg,
};

/// One kind of organization that may host a national center, optionally only with a flag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct HostRule {
    pub kind: OrgKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag: Option<OrgFlag>,
}

/// The score thresholds of the annual result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResultThresholds {
    pub qualified: u32,
    pub basically_qualified: u32,
}

/// The values of one rulebook version. Version 1 (`Rules::policy()`) holds the published policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Annual conversion-operation amount that passes `operation_scale` (yuan).
    #[schema(value_type = String, example = "5000000.00")]
    pub annual_amount_threshold: Yuan,
    /// Cumulative conversion / industrialization projects that pass `operation_scale`.
    pub project_threshold: u32,
    /// Counting alliance members that pass `alliance_size`.
    pub alliance_threshold: u32,
    /// Kinds of organization that count toward the alliance.
    pub alliance_counting_kinds: Vec<OrgKind>,
    /// Who may host a national center.
    pub national_host_rule: Vec<HostRule>,
    /// Reporting years of a construction cycle.
    pub cycle_years: u32,
    /// Due date of an annual report in the following year, `MM-DD`.
    pub report_due_month_day: String,
    /// Days before a due date on which reminders go out.
    pub reminder_days_before: Vec<u32>,
    /// Days after a due date on which overdue notices go out.
    pub overdue_notice_days_after: Vec<u32>,
    /// Working days of public notice (公示).
    pub public_notice_working_days: u32,
    /// Days a returned report may be corrected in.
    pub correction_days: u32,
    /// Days a rectification (整改) may take.
    pub rectification_days: u32,
    /// Rubric item → weight; the weights sum to 100.
    pub rubric: BTreeMap<String, u32>,
    /// The rubric of annual reports (weights sum to 100); null or absent: the same as `rubric`.
    #[serde(default)]
    pub annual_rubric: Option<BTreeMap<String, u32>>,
    /// Mean scores for `qualified` and `basically_qualified`.
    pub result_thresholds: ResultThresholds,
    /// Experts who must all have scored before a decision (absent in older versions: 3).
    #[serde(default = "default_min_experts")]
    pub min_experts: u32,
}

fn default_min_experts() -> u32 {
    3
}

/// The date from which version 1 is in force.
pub fn policy_effective_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default()
}

impl Rules {
    /// The published policy numbers and this product's defaults (rulebook version 1).
    pub fn policy() -> Rules {
        Rules {
            annual_amount_threshold: Yuan::from_yuan(5_000_000),
            project_threshold: 10,
            alliance_threshold: 20,
            alliance_counting_kinds: vec![
                OrgKind::Enterprise,
                OrgKind::University,
                OrgKind::ResearchInstitute,
            ],
            national_host_rule: vec![
                HostRule {
                    kind: OrgKind::Enterprise,
                    flag: Some(OrgFlag::Leading),
                },
                HostRule {
                    kind: OrgKind::ResearchInstitute,
                    flag: None,
                },
                HostRule {
                    kind: OrgKind::IndustrialPark,
                    flag: Some(OrgFlag::NationalLevel),
                },
                HostRule {
                    kind: OrgKind::IndustryAssociation,
                    flag: Some(OrgFlag::NationalLevel),
                },
            ],
            cycle_years: 3,
            report_due_month_day: "03-31".into(),
            reminder_days_before: vec![30, 7, 1],
            overdue_notice_days_after: vec![1, 7, 14],
            public_notice_working_days: 5,
            correction_days: 30,
            rectification_days: 90,
            rubric: [
                ("operation_scale", 30),
                ("projects", 20),
                ("alliance", 15),
                ("sme_service", 15),
                ("chain_support", 20),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
            annual_rubric: None,
            result_thresholds: ResultThresholds {
                qualified: 80,
                basically_qualified: 60,
            },
            min_experts: default_min_experts(),
        }
    }

    /// The rubric annual reports are scored against: `annual_rubric`, else `rubric`.
    pub fn annual_rubric(&self) -> &BTreeMap<String, u32> {
        self.annual_rubric.as_ref().unwrap_or(&self.rubric)
    }

    /// Checks the values are coherent: positive thresholds and periods, a valid due day, rubric
    /// weights summing to 100, qualified above basically qualified.
    pub fn check(&self) -> FieldErrors {
        let mut errors = FieldErrors::default();
        let positive = |errors: &mut FieldErrors, key: &str, value: u32| {
            if value == 0 {
                errors.add(
                    key,
                    Msg::new(
                        format!("{key} 须大于 0"),
                        format!("{key} must be greater than 0"),
                    ),
                );
            }
        };
        if self.annual_amount_threshold.fen() == 0 {
            errors.add(
                "annual_amount_threshold",
                Msg::new(
                    "金额门槛须大于 0",
                    "the amount threshold must be greater than 0",
                ),
            );
        }
        positive(&mut errors, "project_threshold", self.project_threshold);
        positive(&mut errors, "alliance_threshold", self.alliance_threshold);
        positive(&mut errors, "cycle_years", self.cycle_years);
        positive(
            &mut errors,
            "public_notice_working_days",
            self.public_notice_working_days,
        );
        positive(&mut errors, "correction_days", self.correction_days);
        positive(&mut errors, "rectification_days", self.rectification_days);
        if self.alliance_counting_kinds.is_empty() {
            errors.add(
                "alliance_counting_kinds",
                Msg::new("至少一类机构计入联盟", "at least one kind must count"),
            );
        }
        if self.national_host_rule.is_empty() {
            errors.add(
                "national_host_rule",
                Msg::new(
                    "至少一类机构可作为建设主体",
                    "at least one kind must be eligible to host",
                ),
            );
        }
        if self.due_date_in(2001).is_none() {
            errors.add(
                "report_due_month_day",
                Msg::new("应为 MM-DD，如 03-31", "must be MM-DD, like 03-31"),
            );
        }
        for (key, rubric) in [
            ("rubric", Some(&self.rubric)),
            ("annual_rubric", self.annual_rubric.as_ref()),
        ] {
            let Some(rubric) = rubric else { continue };
            let total: u32 = rubric.values().sum();
            if total != 100 {
                errors.add(
                    key,
                    Msg::new(
                        format!("评分项权重之和应为 100，实际为 {total}"),
                        format!("rubric weights must sum to 100, not {total}"),
                    ),
                );
            }
        }
        positive(&mut errors, "min_experts", self.min_experts);
        let t = &self.result_thresholds;
        if t.qualified > 100 || t.basically_qualified >= t.qualified {
            errors.add(
                "result_thresholds",
                Msg::new(
                    "须满足 0 ≤ 基本合格 < 合格 ≤ 100",
                    "needs 0 ≤ basically_qualified < qualified ≤ 100",
                ),
            );
        }
        errors
    }

    /// The annual report due date in `year` (the year after the reporting year).
    pub fn due_date_in(&self, year: i32) -> Option<NaiveDate> {
        let (month, day) = self.report_due_month_day.split_once('-')?;
        if month.len() != 2 || day.len() != 2 {
            return None;
        }
        NaiveDate::from_ymd_opt(year, month.parse().ok()?, day.parse().ok()?)
    }
}

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
