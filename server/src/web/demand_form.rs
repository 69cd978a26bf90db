//! The demand form of the demands' pages: its fields as typed (kept when refused), read into the
//! API's demand input, and laid out with their labels, choices and errors.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::listing_form::{Field, errors_by_field, items};
use crate::json::word;
use crate::{
    domain::market::{
        Contact,
        demands::{DemandInput, DemandView},
    },
    error::FieldErrors,
    i18n::{Lang, Msg},
};

/// The fields of the form, in their order on the page: name and kind of entry.
const FIELDS: [(&str, &str); 15] = [
    ("member_uscc", "member"),
    ("title", "text"),
    ("description", "area"),
    ("industry", "industry"),
    ("ipc", "text"),
    ("keywords", "text"),
    ("wanted_mode", "wanted_mode"),
    ("budget_min", "amount"),
    ("budget_max", "amount"),
    ("valid_until", "date"),
    ("visibility", "visibility"),
    ("anonymous", "check"),
    ("contact_name", "text"),
    ("contact_phone", "text"),
    ("contact_email", "text"),
];

/// The form as sent: every field a string, as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct DemandForm {
    pub version: Option<i32>,
    #[serde(flatten)]
    pub fields: BTreeMap<String, String>,
}

/// What the form offers beside the typed values: the industries and, for a center's staff, the
/// enterprises of its alliance `(code, name)`.
pub struct Choices<'a> {
    pub industries: &'a [String],
    pub members: Option<&'a [(String, String)]>,
}

/// A choice typed as `value` read as its enum; an unknown one named under `name`.
fn choice<T: serde::de::DeserializeOwned>(
    value: Option<String>,
    name: &str,
    errors: &mut FieldErrors,
) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(value?))
        .map_err(|_| errors.add(name, Msg::new("请从列表中选择", "choose from the list")))
        .ok()
}

impl DemandForm {
    /// The value typed into `name` ("" when none).
    pub fn get(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }

    /// The form as the API's demand (a choice the parser refuses is named here).
    pub fn input(&self) -> Result<DemandInput, FieldErrors> {
        let value = |name: &str| Some(self.get(name).trim().to_string()).filter(|v| !v.is_empty());
        let mut errors = FieldErrors::default();
        let wanted_mode = choice(value("wanted_mode"), "wanted_mode", &mut errors);
        let visibility = choice(value("visibility"), "visibility", &mut errors);
        let input = DemandInput {
            title: self.get("title").to_string(),
            description: self.get("description").to_string(),
            industry: self.get("industry").to_string(),
            ipc: items(self.get("ipc")),
            keywords: items(self.get("keywords")),
            wanted_mode,
            budget_min: value("budget_min"),
            budget_max: value("budget_max"),
            valid_until: self.get("valid_until").to_string(),
            visibility,
            anonymous: value("anonymous").is_some(),
            contact: value("contact_name").map(|name| Contact {
                name,
                phone: self.get("contact_phone").to_string(),
                email: self.get("contact_email").to_string(),
            }),
            member_uscc: value("member_uscc"),
        };
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(errors)
        }
    }

    /// The form filled from a stored demand (for its correction).
    pub fn of(demand: &DemandView) -> DemandForm {
        let contact = demand.contact.clone().unwrap_or_default();
        let anonymous = if demand.anonymous { "1" } else { "" };
        let fields = [
            ("title", demand.title.clone()),
            ("description", demand.description.clone()),
            ("industry", demand.industry.clone()),
            ("ipc", demand.ipc.join("；")),
            ("keywords", demand.keywords.join("；")),
            ("wanted_mode", word(&demand.wanted_mode)),
            ("budget_min", demand.budget_min.clone().unwrap_or_default()),
            ("budget_max", demand.budget_max.clone().unwrap_or_default()),
            ("valid_until", demand.valid_until.to_string()),
            ("visibility", word(&demand.visibility)),
            ("anonymous", anonymous.to_string()),
            ("contact_name", contact.name),
            ("contact_phone", contact.phone),
            ("contact_email", contact.email),
        ];
        DemandForm {
            version: Some(demand.version),
            fields: fields
                .map(|(k, v)| (k.to_string(), v))
                .into_iter()
                .collect(),
        }
    }

    /// The fields laid out in `lang` (`t` reads the catalog), with `errors` under their fields;
    /// the member's choice only when `choices.members` offers some.
    pub fn layout(
        &self,
        t: impl Fn(&str) -> String,
        choices: Choices<'_>,
        errors: &FieldErrors,
        lang: Lang,
    ) -> Vec<Field> {
        let shown = errors_by_field(errors, lang);
        let options = |values: &[&str], prefix: &str, typed: &str| {
            (values.iter())
                .map(|v| (v.to_string(), t(&format!("{prefix}{v}")), *v == typed))
                .collect::<Vec<_>>()
        };
        (FIELDS.iter())
            .filter(|(name, _)| *name != "member_uscc" || choices.members.is_some())
            .map(|&(name, entry)| {
                let typed = self.get(name);
                let choices = match entry {
                    "industry" => (choices.industries.iter())
                        .map(|i| (i.clone(), i.clone(), i == typed))
                        .collect(),
                    "member" => (choices.members.unwrap_or_default().iter())
                        .map(|(code, name)| (code.clone(), name.clone(), code == typed))
                        .collect(),
                    "wanted_mode" => options(
                        &["transfer", "license", "joint_rd", "commissioned_rd"],
                        "wanted_mode_",
                        typed,
                    ),
                    "visibility" => options(&["alliance", "platform"], "visibility_", typed),
                    _ => Vec::new(),
                };
                Field {
                    name,
                    entry,
                    label: t(&format!("demand_{name}")),
                    value: typed.to_string(),
                    error: shown.get(name).cloned().unwrap_or_default(),
                    choices,
                }
            })
            .collect()
    }
}
