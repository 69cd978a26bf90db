//! A demand as an enterprise (or a center on its behalf) sends it, checked field by field (422
//! naming each field, in Chinese and English).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::super::input::{Contact, date, text};
use crate::{
    domain::identifiers::{IpcCode, Yuan},
    error::FieldErrors,
    i18n::Msg,
};

/// The way an enterprise wants to obtain a technology.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WantedMode {
    Transfer,
    License,
    JointRd,
    CommissionedRd,
}

/// Who reads a demand: the centers whose alliance holds its member, or every signed-in user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    Alliance,
    Platform,
}

/// A demand's state as read (`expired` once its last valid day has passed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DemandStatus {
    Open,
    Matched,
    Closed,
    Expired,
}

/// A demand as sent: `POST /api/v1/demands`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
pub struct DemandInput {
    pub title: String,
    /// The problem in the enterprise's own words.
    pub description: String,
    pub industry: String,
    #[serde(default)]
    pub ipc: Vec<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    pub wanted_mode: Option<WantedMode>,
    /// Yuan, two decimals.
    #[serde(default)]
    pub budget_min: Option<String>,
    #[serde(default)]
    pub budget_max: Option<String>,
    /// `YYYY-MM-DD`, the last day the demand is open.
    pub valid_until: String,
    pub visibility: Option<Visibility>,
    /// Hides the member's name from everyone outside its alliance's centers.
    #[serde(default)]
    pub anonymous: bool,
    #[serde(default)]
    pub contact: Option<Contact>,
    /// The member a center's staff registers it for.
    #[serde(default)]
    pub member_uscc: Option<String>,
}

/// The fields of a demand that change, and the `version` they change: `PATCH /api/v1/demands/{id}`
/// (`status` `closed` closes it, `open` reopens a closed one).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DemandPatch {
    pub version: i32,
    #[serde(flatten)]
    pub fields: serde_json::Map<String, serde_json::Value>,
}

/// A demand's values once every field is checked.
#[derive(Debug, Clone)]
pub struct Checked {
    pub title: String,
    pub description: String,
    pub industry: String,
    pub ipc: Vec<String>,
    pub keywords: Vec<String>,
    pub wanted_mode: WantedMode,
    pub budget_min: Option<Yuan>,
    pub budget_max: Option<Yuan>,
    pub valid_until: NaiveDate,
    pub visibility: Visibility,
    pub anonymous: bool,
    pub contact: Option<Contact>,
}

/// How far ahead a demand may stay open.
const LONGEST_DAYS: i64 = 3 * 366;

/// An optional amount in yuan.
fn amount(field: &str, raw: Option<&str>, errors: &mut FieldErrors) -> Option<Yuan> {
    let raw = raw.map(str::trim).filter(|p| !p.is_empty())?;
    Yuan::parse(raw).map_err(|e| errors.add(field, e.0)).ok()
}

/// A required choice, named when missing.
fn chosen<T: Copy>(field: &str, value: Option<T>, fallback: T, errors: &mut FieldErrors) -> T {
    value.unwrap_or_else(|| {
        errors.add(field, Msg::new("请从列表中选择", "choose from the list"));
        fallback
    })
}

impl DemandInput {
    /// Every field checked at once; `industries` are the names a demand may carry; the last valid
    /// day must not lie before `today` when `dated` (a new demand, or its date changed).
    pub fn check(
        &self,
        industries: &[String],
        (today, dated): (NaiveDate, bool),
        errors: &mut FieldErrors,
    ) -> Option<Checked> {
        let title = text("title", &self.title, 200, errors);
        let description = text("description", &self.description, 5_000, errors);
        let industry = self.industry.trim().to_string();
        if industry.is_empty() {
            errors.add(
                "industry",
                Msg::new("请选择所属产业", "choose the industry"),
            );
        } else if !industries.contains(&industry) {
            let shown = crate::i18n::quote(&industry);
            errors.add(
                "industry",
                Msg::new(
                    format!("“{shown}”不在产业目录中"),
                    format!("'{shown}' is not in the list of industries"),
                ),
            );
        }
        let ipc = (self.ipc.iter().enumerate())
            .filter_map(|(i, raw)| {
                IpcCode::parse(raw)
                    .map_err(|e| errors.add(format!("ipc[{i}]"), e.0))
                    .ok()
            })
            .map(|code| code.to_string())
            .collect();
        if self.keywords.len() > 20 {
            errors.add(
                "keywords",
                Msg::new("关键词最多 20 个", "at most 20 keywords"),
            );
        }
        let keywords = (self.keywords.iter().enumerate())
            .map(|(i, k)| text(&format!("keywords[{i}]"), k, 30, errors))
            .collect();
        let wanted_mode = chosen(
            "wanted_mode",
            self.wanted_mode,
            WantedMode::Transfer,
            errors,
        );
        let visibility = chosen("visibility", self.visibility, Visibility::Alliance, errors);
        let budget_min = amount("budget_min", self.budget_min.as_deref(), errors);
        let budget_max = amount("budget_max", self.budget_max.as_deref(), errors);
        if let (Some(low), Some(high)) = (budget_min, budget_max)
            && low.fen() > high.fen()
        {
            errors.add(
                "budget_max",
                Msg::new(
                    "预算上限低于下限",
                    "the budget's maximum lies below its minimum",
                ),
            );
        }
        if self.valid_until.trim().is_empty() {
            errors.add(
                "valid_until",
                Msg::new("请填写有效期", "give the last valid day"),
            );
        }
        let valid_until = date("valid_until", Some(&self.valid_until), errors);
        if let Some(day) = valid_until.filter(|_| dated) {
            if day < today {
                errors.add(
                    "valid_until",
                    Msg::new(
                        format!("有效期不能早于今天（{today}）"),
                        format!("the last valid day lies before today ({today})"),
                    ),
                );
            } else if (day - today).num_days() > LONGEST_DAYS {
                errors.add(
                    "valid_until",
                    Msg::new("有效期最长三年", "a demand stays open at most three years"),
                );
            }
        }
        let contact = self.contact.as_ref().map(|c| c.checked(errors));
        Some(Checked {
            title,
            description,
            industry,
            ipc,
            keywords,
            wanted_mode,
            budget_min,
            budget_max,
            valid_until: valid_until?,
            visibility,
            anonymous: self.anonymous,
            contact,
        })
    }
}
