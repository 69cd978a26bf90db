//! The narrative of an application or an annual report: one text per achievement area of the
//! guideline, or the area listed as having nothing to report.

use std::collections::BTreeMap;

use serde::Deserialize;
use utoipa::ToSchema;

use crate::{
    error::{AppError, FieldErrors},
    i18n::{Msg, thousands},
};

/// The narrative of an application or a report: `{"narratives":{…},"nothing_to_report":[…]}`
/// (+ `version` when saving a draft again).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct NarrativeInput {
    #[serde(default)]
    pub narratives: BTreeMap<String, String>,
    #[serde(default)]
    pub nothing_to_report: Vec<String>,
    #[serde(default)]
    pub version: Option<i32>,
}

/// The achievement areas of the guideline an application (and an annual report) reports on.
pub const AREAS: [&str; 4] = ["operations", "key_tasks", "sme_service", "chain_support"];

/// The longest text of one area, in characters: the longest text the domain takes (the body
/// limits of JSON and forms are set to fit four of them).
pub const MAX_CHARS: usize = 20_000;

/// A stored JSON object of texts (empty if unreadable).
pub fn json_map(text: &str) -> BTreeMap<String, String> {
    serde_json::from_str(text).unwrap_or_default()
}

/// A stored JSON list of texts (empty if unreadable).
pub fn json_list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

/// Checks a narrative: each key a known area and each text at most [`MAX_CHARS`] characters
/// (422 naming `narratives.<key>` or `nothing_to_report[i]` otherwise).
pub fn check_areas(
    narratives: &BTreeMap<String, String>,
    nothing_to_report: &[String],
    errors: &mut FieldErrors,
) {
    for (key, text) in narratives {
        let chars = text.chars().count();
        if chars > MAX_CHARS {
            errors.add(
                format!("narratives.{key}"),
                Msg::new(
                    format!(
                        "最多 {} 个字符（现有 {} 个）",
                        thousands(MAX_CHARS as u64),
                        thousands(chars as u64)
                    ),
                    format!(
                        "at most {} characters ({} given)",
                        thousands(MAX_CHARS as u64),
                        thousands(chars as u64)
                    ),
                ),
            );
        }
    }
    for key in narratives.keys().filter(|k| !AREAS.contains(&k.as_str())) {
        errors.add(
            format!("narratives.{key}"),
            Msg::new(
                format!("未知的成果领域，应为 {}", AREAS.join("、")),
                format!("unknown achievement area; one of {}", AREAS.join(", ")),
            ),
        );
    }
    for (i, area) in nothing_to_report.iter().enumerate() {
        if !AREAS.contains(&area.as_str()) {
            errors.add(
                format!("nothing_to_report[{i}]"),
                Msg::new("未知的成果领域", "unknown achievement area"),
            );
        }
    }
}

/// Whether each area is written or listed as having nothing to report (needed to submit).
pub fn check_complete(
    narratives: &BTreeMap<String, String>,
    nothing: &[String],
) -> Result<(), AppError> {
    let mut errors = FieldErrors::default();
    for area in AREAS {
        let written = narratives.get(area).is_some_and(|t| !t.trim().is_empty());
        if !written && !nothing.iter().any(|n| n == area) {
            errors.add(
                format!("narratives.{area}"),
                Msg::new(
                    "请填写本领域成果，或将其列入“无可报告”",
                    "write this area, or list it in nothing_to_report",
                ),
            );
        }
    }
    errors.into_result(())
}
