//! The page forms of a center's ledger records — deals, projects, service events — shared by the
//! center's home (adding one) and each record's own page (correcting or deleting it): each form
//! read into the domain's input, and each kind's fields as a page shows them, filled from a record.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_html_form::de::empty_as_none;

use crate::{
    domain::ledger::{
        EventInput, EventKind, EventView, ProjectInput, ProjectKind, ProjectStatus, ProjectView,
        TransactionInput, TransactionKind, TransactionView,
    },
    error::AppError,
    i18n::Msg,
    web::form::list_of,
};

/// The 422 of a choice left open.
fn unchosen(field: &str, zh: &str, en: &str) -> AppError {
    AppError::field(field, Msg::new(zh, en))
}

/// The deal form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DealForm {
    #[serde(deserialize_with = "empty_as_none")]
    kind: Option<TransactionKind>,
    amount: String,
    contract_date: String,
    patent_numbers: String,
    counterparty_uscc: String,
    contract_no: String,
    related_party: bool,
    note: String,
}

impl DealForm {
    /// The deal as the domain takes it.
    pub fn input(self) -> Result<TransactionInput, AppError> {
        let kind = self
            .kind
            .ok_or_else(|| unchosen("kind", "请选择交易类型", "choose the kind of deal"))?;
        Ok(TransactionInput {
            kind,
            amount: self.amount,
            contract_date: self.contract_date,
            patent_numbers: list_of(&self.patent_numbers),
            counterparty_uscc: list_of(&self.counterparty_uscc),
            contract_no: Some(self.contract_no),
            related_party: self.related_party,
            note: Some(self.note),
        })
    }
}

/// The project form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProjectForm {
    #[serde(deserialize_with = "empty_as_none")]
    kind: Option<ProjectKind>,
    name: String,
    start_date: String,
    #[serde(deserialize_with = "empty_as_none")]
    status: Option<ProjectStatus>,
    patent_numbers: String,
    partner_uscc: String,
}

impl ProjectForm {
    /// The project as the domain takes it.
    pub fn input(self) -> Result<ProjectInput, AppError> {
        let (Some(kind), Some(status)) = (self.kind, self.status) else {
            let (zh, en) = (
                "请选择项目类型与状态",
                "choose the project's kind and status",
            );
            return Err(unchosen("kind", zh, en));
        };
        Ok(ProjectInput {
            kind,
            name: self.name,
            start_date: self.start_date,
            status,
            patent_numbers: list_of(&self.patent_numbers),
            partner_uscc: list_of(&self.partner_uscc),
        })
    }
}

/// The service event form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EventForm {
    #[serde(deserialize_with = "empty_as_none")]
    kind: Option<EventKind>,
    date: String,
    title: String,
    served_uscc: String,
}

impl EventForm {
    /// The event as the domain takes it.
    pub fn input(self) -> Result<EventInput, AppError> {
        let kind = self
            .kind
            .ok_or_else(|| unchosen("kind", "请选择活动类型", "choose the kind of event"))?;
        Ok(EventInput {
            kind,
            date: self.date,
            title: self.title,
            served_uscc: list_of(&self.served_uscc),
        })
    }
}

/// How a field is entered.
#[derive(Serialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum Entry {
    Text,
    Date,
    Amount,
    Choice,
    Check,
}

/// One field of a record's form as shown: its name, label, how it is entered, its choices (each
/// with its catalog label), the value and the error.
#[derive(Serialize)]
pub struct Field {
    name: &'static str,
    label: String,
    entry: Entry,
    choices: Vec<(String, String)>,
    value: String,
    error: String,
}

impl Field {
    /// The field's label in the reader's language.
    pub fn label(&self) -> String {
        self.label.clone()
    }
}

/// A record kind's fields: name, label key, entry, the catalog prefix and values of its choices.
type FieldSpec = (
    &'static str,
    &'static str,
    Entry,
    &'static str,
    &'static [&'static str],
);

const DEAL_FIELDS: [FieldSpec; 8] = [
    (
        "kind",
        "field_deal_kind",
        Entry::Choice,
        "deal_",
        &["transfer", "license", "capital_contribution", "financing"],
    ),
    ("amount", "field_amount", Entry::Amount, "", &[]),
    ("contract_date", "field_contract_date", Entry::Date, "", &[]),
    ("patent_numbers", "field_patents", Entry::Text, "", &[]),
    (
        "counterparty_uscc",
        "field_counterparties",
        Entry::Text,
        "",
        &[],
    ),
    ("contract_no", "field_contract_no", Entry::Text, "", &[]),
    (
        "related_party",
        "field_related_party",
        Entry::Check,
        "",
        &[],
    ),
    ("note", "field_note", Entry::Text, "", &[]),
];

const PROJECT_FIELDS: [FieldSpec; 6] = [
    (
        "kind",
        "field_project_kind",
        Entry::Choice,
        "project_",
        &["conversion", "industrialization"],
    ),
    ("name", "field_project_name", Entry::Text, "", &[]),
    ("start_date", "field_start_date", Entry::Date, "", &[]),
    (
        "status",
        "field_project_status",
        Entry::Choice,
        "project_status_",
        &["planned", "running", "completed", "stopped"],
    ),
    ("patent_numbers", "field_patents", Entry::Text, "", &[]),
    ("partner_uscc", "field_partners", Entry::Text, "", &[]),
];

const EVENT_FIELDS: [FieldSpec; 4] = [
    (
        "kind",
        "field_event_kind",
        Entry::Choice,
        "event_",
        &[
            "roadshow",
            "matching",
            "training",
            "navigation",
            "analysis",
            "valuation",
            "risk_warning",
            "other",
        ],
    ),
    ("date", "field_event_date", Entry::Date, "", &[]),
    ("title", "field_event_title", Entry::Text, "", &[]),
    ("served_uscc", "field_served", Entry::Text, "", &[]),
];

/// A ledger record kind as its pages show it.
pub trait RecordPage {
    /// The kind's path segment (`transactions`, `projects`, `events`) and title label.
    const PATH: &'static str;
    const TITLE: &'static str;
    /// The kind's fields.
    fn specs() -> &'static [FieldSpec];
    /// A record's values by field, as its form shows them.
    fn values(&self) -> BTreeMap<&'static str, String>;
    /// Its id and version.
    fn key(&self) -> (i64, i32);
}

impl RecordPage for TransactionView {
    const PATH: &'static str = "transactions";
    const TITLE: &'static str = "records_deals";
    fn specs() -> &'static [FieldSpec] {
        &DEAL_FIELDS
    }
    fn values(&self) -> BTreeMap<&'static str, String> {
        let related = if self.related_party { "true" } else { "" };
        BTreeMap::from([
            ("kind", self.kind.clone()),
            ("amount", self.amount.clone()),
            ("contract_date", self.contract_date.to_string()),
            ("patent_numbers", self.patent_numbers.join("；")),
            ("counterparty_uscc", self.counterparty_uscc.join("；")),
            ("contract_no", self.contract_no.clone().unwrap_or_default()),
            ("related_party", related.to_string()),
            ("note", self.note.clone().unwrap_or_default()),
        ])
    }
    fn key(&self) -> (i64, i32) {
        (self.id, self.version)
    }
}

impl RecordPage for ProjectView {
    const PATH: &'static str = "projects";
    const TITLE: &'static str = "records_projects";
    fn specs() -> &'static [FieldSpec] {
        &PROJECT_FIELDS
    }
    fn values(&self) -> BTreeMap<&'static str, String> {
        BTreeMap::from([
            ("kind", self.kind.clone()),
            ("name", self.name.clone()),
            ("start_date", self.start_date.to_string()),
            ("status", self.status.clone()),
            ("patent_numbers", self.patent_numbers.join("；")),
            ("partner_uscc", self.partner_uscc.join("；")),
        ])
    }
    fn key(&self) -> (i64, i32) {
        (i64::from(self.id), self.version)
    }
}

impl RecordPage for EventView {
    const PATH: &'static str = "events";
    const TITLE: &'static str = "records_events";
    fn specs() -> &'static [FieldSpec] {
        &EVENT_FIELDS
    }
    fn values(&self) -> BTreeMap<&'static str, String> {
        BTreeMap::from([
            ("kind", self.kind.clone()),
            ("date", self.date.to_string()),
            ("title", self.title.clone()),
            ("served_uscc", self.served_uscc.join("；")),
        ])
    }
    fn key(&self) -> (i64, i32) {
        (i64::from(self.id), self.version)
    }
}

/// The fields of `R` with `values` (a record's, or a refused form's) and `errors`; `t` reads
/// the catalog.
pub fn fields<R: RecordPage>(
    values: &BTreeMap<String, String>,
    errors: &BTreeMap<String, String>,
    t: impl Fn(&str) -> String,
) -> Vec<Field> {
    let field = |(name, label, entry, prefix, choices): &FieldSpec| Field {
        name,
        label: t(label),
        entry: *entry,
        choices: (choices.iter())
            .map(|c| (c.to_string(), t(&format!("{prefix}{c}"))))
            .collect(),
        value: values.get(*name).cloned().unwrap_or_default(),
        error: errors.get(*name).cloned().unwrap_or_default(),
    };
    R::specs().iter().map(field).collect()
}

/// A record's list cells: each field's value as read (choices in words, amounts grouped, yes in
/// words); `t` reads the catalog.
pub fn cells<R: RecordPage>(record: &R, t: impl Fn(&str) -> String) -> Vec<String> {
    let values = record.values();
    let cell = |(name, _, entry, prefix, _): &FieldSpec| {
        let value = values.get(name).cloned().unwrap_or_default();
        match entry {
            Entry::Choice => t(&format!("{prefix}{value}")),
            Entry::Amount => crate::domain::identifiers::Yuan::parse(&value)
                .map_or(value, |y| y.format_grouped()),
            Entry::Check if value == "true" => t("yes"),
            _ => value,
        }
    };
    R::specs().iter().map(cell).collect()
}
