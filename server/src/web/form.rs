//! What forms and tables of pages share: the input a refused form keeps, and table rows.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::{
    domain::{
        narratives::{AREAS, NarrativeInput},
        review::{ConflictInput, ScoresInput},
    },
    error::{AppError, FieldErrors},
    i18n::{Lang, Msg},
};

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
            kept.errors.insert(field, messages.join(lang.separator()));
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

/// The narrative form of an application or an annual report: each area's text, the areas with
/// nothing to report, and the version the writer last read.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NarrativesForm {
    narrative_operations: String,
    narrative_key_tasks: String,
    narrative_sme_service: String,
    narrative_chain_support: String,
    nothing_to_report: Vec<String>,
    version: Option<i32>,
}

impl NarrativesForm {
    /// The text written for `area`.
    fn text(&self, area: &str) -> &str {
        match area {
            "operations" => &self.narrative_operations,
            "key_tasks" => &self.narrative_key_tasks,
            "sme_service" => &self.narrative_sme_service,
            "chain_support" => &self.narrative_chain_support,
            _ => "",
        }
    }

    /// The form as the domain's input: the areas written (trimmed) but those with nothing to
    /// report.
    pub fn input(self) -> NarrativeInput {
        let written = AREAS
            .iter()
            .map(|a| (a.to_string(), self.text(a).trim().to_string()));
        let nothing = &self.nothing_to_report;
        let narratives = written.filter(|(a, t)| !t.is_empty() && !nothing.contains(a));
        NarrativeInput {
            narratives: narratives.collect(),
            version: self.version,
            nothing_to_report: self.nothing_to_report,
        }
    }
}

/// The names of the narrative form's fields.
pub fn narrative_fields() -> impl Iterator<Item = String> {
    AREAS.iter().map(|a| format!("narrative_{a}"))
}

/// An expert's declaration form: a conflict of interest or none, and a note.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ConflictForm {
    /// Nothing is chosen for the expert: no choice is the form's error.
    #[serde(deserialize_with = "serde_html_form::de::empty_as_none")]
    declared_conflict: Option<bool>,
    note: String,
}

impl ConflictForm {
    /// The form as the domain's input (a blank note is none); 422 when neither answer is chosen.
    pub fn input(self) -> Result<ConflictInput, AppError> {
        let declared_conflict = self.declared_conflict.ok_or_else(|| {
            AppError::field(
                "declared_conflict",
                Msg::new(
                    "请选择是否存在利益冲突",
                    "choose whether you have a conflict of interest",
                ),
            )
        })?;
        Ok(ConflictInput {
            declared_conflict,
            note: Some(self.note).filter(|n| !n.trim().is_empty()),
        })
    }
}

/// An expert's scoring form: `score_<rubric key>` for each item of the rubric, and a comment.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ScoresForm {
    comment: String,
    #[serde(flatten)]
    fields: BTreeMap<String, String>,
}

impl ScoresForm {
    /// The scores of the rubric items `keys`, each a whole number (422 naming each item that is
    /// not, as `items.<key>`).
    pub fn input<'a>(
        self,
        keys: impl IntoIterator<Item = &'a String>,
    ) -> Result<ScoresInput, AppError> {
        let mut items = BTreeMap::new();
        let mut errors = FieldErrors::default();
        for key in keys {
            let typed = self.fields.get(&format!("score_{key}")).map(|s| s.trim());
            match typed.and_then(|s| s.parse::<i64>().ok()) {
                Some(n) => drop(items.insert(key.clone(), n)),
                None => errors.add(
                    format!("items.{key}"),
                    Msg::new("请填写整数分值", "a whole number is required"),
                ),
            }
        }
        let comment = Some(self.comment);
        errors.into_result(ScoresInput { items, comment })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_narrative_form_has_a_field_for_every_area() {
        let body: Vec<String> = AREAS.iter().map(|a| format!("narrative_{a}=x")).collect();
        let form: NarrativesForm = serde_html_form::from_str(&body.join("&")).unwrap();
        assert_eq!(form.input().narratives.len(), AREAS.len());
    }
}

/// An expert as the assignment forms offer it: the account, its organization, and the automatic
/// conflict that keeps it from being chosen, in the reader's language.
#[derive(Serialize)]
pub struct ExpertChoice {
    id: i32,
    email: String,
    name: String,
    organization: String,
    conflict: Option<String>,
    /// Already assigned (and still active): shown, not offered again.
    assigned: bool,
}

impl ExpertChoice {
    /// `candidate` as offered to a reader of `lang`, unless among the `assigned` experts.
    pub fn of(
        candidate: crate::domain::review::Candidate,
        lang: Lang,
        assigned: &[i32],
    ) -> ExpertChoice {
        ExpertChoice {
            assigned: assigned.contains(&candidate.id),
            id: candidate.id,
            email: candidate.email,
            name: candidate.name,
            organization: candidate.organization.unwrap_or_default(),
            conflict: candidate.conflict.map(|m| m.text(lang).to_string()),
        }
    }
}

/// One rubric item of an expert's scoring form: its name and description in the reader's
/// language (the key itself for an item the catalog does not know), weight, value and error.
#[derive(Serialize)]
pub struct RubricItem {
    key: String,
    label: String,
    description: String,
    weight: u32,
    value: String,
    error: String,
}

impl RubricItem {
    /// `line` with the `value` typed (else the expert's own score) and its `error`; `label`
    /// reads the catalog.
    pub fn of(
        line: crate::domain::review::RubricLine,
        (typed, error): (Option<String>, String),
        label: impl Fn(&str) -> String,
    ) -> RubricItem {
        let known = |key: String| Some(label(&key)).filter(|text| *text != key);
        let name = known(format!("rubric_{}", line.key)).unwrap_or_else(|| line.key.clone());
        RubricItem {
            label: name,
            description: known(format!("rubric_{}_desc", line.key)).unwrap_or_default(),
            value: (typed.or_else(|| line.mine.map(|n| n.to_string()))).unwrap_or_default(),
            weight: line.weight,
            key: line.key,
            error,
        }
    }
}
