//! What forms and tables of pages share: the input a refused form keeps, and table rows.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::{error::FieldErrors, i18n::Lang};

/// Every field a form of these pages sends (strict templates read each one, filled or not).
const FIELDS: [&str; 16] = [
    "kind",
    "year",
    "result",
    "reason",
    "new_due_date",
    "accepted",
    "report",
    "correction_days",
    "version",
    "narrative_operations",
    "narrative_key_tasks",
    "narrative_sme_service",
    "narrative_chain_support",
    "note",
    "comment",
    "expert_ids",
];

/// What a form kept after it was refused: the fields' errors and the values sent.
#[derive(Serialize)]
pub struct Kept {
    pub has_errors: bool,
    pub errors: BTreeMap<String, String>,
    pub values: BTreeMap<String, String>,
}

impl Default for Kept {
    fn default() -> Self {
        let empty = || {
            FIELDS
                .iter()
                .map(|f| (f.to_string(), String::new()))
                .collect()
        };
        Kept {
            has_errors: false,
            errors: empty(),
            values: empty(),
        }
    }
}

impl Kept {
    /// The refused form's errors (in `lang`; an area's narrative error under its form field)
    /// and values.
    pub fn new(errors: &FieldErrors, values: BTreeMap<String, String>, lang: Lang) -> Kept {
        let mut kept = Kept {
            has_errors: !errors.is_empty(),
            ..Kept::default()
        };
        for (field, messages) in errors.in_lang(lang) {
            let field = match field.strip_prefix("narratives.") {
                Some(area) => format!("narrative_{area}"),
                None => field,
            };
            kept.errors.insert(field, messages.join("；"));
        }
        kept.values.extend(values);
        kept
    }
}

/// A table row of these pages: its cells and, when it opens something, where.
#[derive(Serialize)]
pub struct Row {
    pub cells: Vec<String>,
    pub href: Option<String>,
}

/// The items of a list typed into one field, separated by semicolons, commas, enumeration
/// commas, spaces or lines (full-width forms too).
pub fn list_of(text: &str) -> Vec<String> {
    crate::imports::Cell::Text(text.to_string())
        .text()
        .split([';', '；', '、', ',', '，', '\n', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The value as text, empty when there is none.
pub fn optional(value: Option<impl ToString>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}
