//! The listing form of the library's pages: its fields as typed (kept when refused), read into
//! the API's listing input, and laid out with their labels, choices and errors.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::json::word;
use crate::{
    domain::market::{Contact, ListingInput, ListingView},
    error::FieldErrors,
    i18n::Lang,
};

/// The fields of the form, in their order on the page: name and kind of entry.
const FIELDS: [(&str, &str); 19] = [
    ("owner_uscc", "text"),
    ("application_number", "text"),
    ("title", "text"),
    ("abstract", "area"),
    ("claims", "area"),
    ("ipc", "text"),
    ("industry", "industry"),
    ("legal_status", "legal_status"),
    ("application_date", "date"),
    ("grant_date", "date"),
    ("annual_fee_paid_until", "date"),
    ("offered_modes", "modes"),
    ("maturity", "maturity"),
    ("asking_price", "amount"),
    ("inventors", "text"),
    ("co_owner_uscc", "text"),
    ("contact_name", "text"),
    ("contact_phone", "text"),
    ("contact_email", "text"),
];

/// The modes an owner chooses (an open licence comes from its declaration).
const MODES: [&str; 4] = ["transfer", "license", "capital_contribution", "joint_rd"];

/// One field as the page lays it out.
#[derive(Serialize)]
pub struct Field {
    pub name: &'static str,
    pub entry: &'static str,
    pub label: String,
    pub value: String,
    pub error: String,
    /// `(value, label, chosen)` of a list or of the mode boxes.
    pub choices: Vec<(String, String, bool)>,
}

/// The form as sent: every field a string (the modes a list), as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListingForm {
    pub version: Option<i32>,
    pub offered_modes: Vec<String>,
    #[serde(flatten)]
    pub fields: BTreeMap<String, String>,
}

/// Splits a list typed in one field (commas, semicolons, 、 or new lines, full- or half-width).
pub fn items(text: &str) -> Vec<String> {
    text.split([',', '，', ';', '；', '、', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The errors of a form by the name of its field (`ipc[1]` under `ipc`, `contact.email` under
/// `contact_email`), joined in `lang`.
pub fn errors_by_field(errors: &FieldErrors, lang: Lang) -> BTreeMap<String, String> {
    let mut shown: BTreeMap<String, String> = BTreeMap::new();
    for (field, messages) in errors.in_lang(lang) {
        let name = field.split(['[', '.']).next().unwrap_or(&field).to_string();
        let name = if name == "contact" {
            format!("contact_{}", field.rsplit('.').next().unwrap_or("name"))
        } else {
            name
        };
        let slot = shown.entry(name).or_default();
        if !slot.is_empty() {
            slot.push_str(lang.separator());
        }
        slot.push_str(&messages.join(lang.separator()));
    }
    shown
}

impl ListingForm {
    /// The value typed into `name` ("" when none).
    pub fn get(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }

    /// The form as the API's listing (a list or a choice the parser refuses is named by the domain's checks).
    pub fn input(&self) -> Result<ListingInput, FieldErrors> {
        let value = |name: &str| Some(self.get(name).trim().to_string()).filter(|v| !v.is_empty());
        let mut errors = FieldErrors::default();
        let choice = |name: &str, errors: &mut FieldErrors| {
            value(name).and_then(
                |v| match serde_json::from_value(serde_json::Value::String(v)) {
                    Ok(parsed) => Some(parsed),
                    Err(_) => {
                        let why = crate::i18n::Msg::new("请从列表中选择", "choose from the list");
                        errors.add(name, why);
                        None
                    }
                },
            )
        };
        let legal_status = choice("legal_status", &mut errors);
        let modes = self
            .offered_modes
            .iter()
            .filter_map(|m| serde_json::from_value(serde_json::Value::String(m.clone())).ok())
            .collect();
        let maturity = value("maturity").and_then(|m| m.parse().ok());
        let contact = value("contact_name").map(|name| Contact {
            name,
            phone: self.get("contact_phone").to_string(),
            email: self.get("contact_email").to_string(),
        });
        let input = ListingInput {
            application_number: self.get("application_number").to_string(),
            title: self.get("title").to_string(),
            abstract_text: self.get("abstract").to_string(),
            claims: value("claims"),
            ipc: items(self.get("ipc")),
            owner_uscc: value("owner_uscc"),
            co_owner_uscc: items(self.get("co_owner_uscc")),
            inventors: items(self.get("inventors")),
            industry: self.get("industry").to_string(),
            legal_status,
            application_date: value("application_date"),
            grant_date: value("grant_date"),
            annual_fee_paid_until: value("annual_fee_paid_until"),
            offered_modes: modes,
            maturity,
            asking_price: value("asking_price"),
            contact,
        };
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(errors)
        }
    }

    /// The form filled from a stored listing (for its correction).
    pub fn of(listing: &ListingView) -> ListingForm {
        let mut fields = BTreeMap::new();
        let mut put = |k: &str, v: String| drop(fields.insert(k.to_string(), v));
        put("application_number", listing.application_number.clone());
        put("title", listing.title.clone());
        put("abstract", listing.abstract_text.clone());
        put("claims", listing.claims.clone().unwrap_or_default());
        put("ipc", listing.ipc.join("；"));
        put("industry", listing.industry.clone());
        put("legal_status", word(&listing.legal_status));
        put(
            "application_date",
            listing
                .application_date
                .map(|d| d.to_string())
                .unwrap_or_default(),
        );
        put(
            "grant_date",
            listing
                .grant_date
                .map(|d| d.to_string())
                .unwrap_or_default(),
        );
        put(
            "annual_fee_paid_until",
            listing
                .annual_fee_paid_until
                .map(|d| d.to_string())
                .unwrap_or_default(),
        );
        put(
            "maturity",
            listing.maturity.map(|m| m.to_string()).unwrap_or_default(),
        );
        put(
            "asking_price",
            listing.asking_price.clone().unwrap_or_default(),
        );
        put("inventors", listing.inventors.join("；"));
        put("co_owner_uscc", listing.co_owner_uscc.join("；"));
        let contact = listing.contact.clone().unwrap_or_default();
        put("contact_name", contact.name);
        put("contact_phone", contact.phone);
        put("contact_email", contact.email);
        ListingForm {
            version: Some(listing.version),
            offered_modes: listing.offered_modes.iter().map(word).collect(),
            fields,
        }
    }

    /// The fields laid out in `lang` (`t` reads the catalog), with `errors` under their fields;
    /// `skip` leaves fields out (the owner and the number of a stored listing).
    pub fn layout(
        &self,
        t: impl Fn(&str) -> String,
        industries: &[String],
        errors: &FieldErrors,
        (lang, skip): (Lang, &[&str]),
    ) -> Vec<Field> {
        let shown = errors_by_field(errors, lang);
        let options = |values: Vec<String>, prefix: &str, chosen: &[String]| {
            values
                .into_iter()
                .map(|v| {
                    (
                        v.clone(),
                        if prefix.is_empty() {
                            v.clone()
                        } else {
                            t(&format!("{prefix}{v}"))
                        },
                        chosen.contains(&v),
                    )
                })
                .collect()
        };
        (FIELDS.iter().filter(|(name, _)| !skip.contains(name)))
            .map(|&(name, entry)| {
                let typed = vec![self.get(name).to_string()];
                let choices = match entry {
                    "industry" => options(industries.to_vec(), "", &typed),
                    "legal_status" => options(
                        ["pending", "granted", "lapsed", "invalidated", "expired"]
                            .map(String::from)
                            .to_vec(),
                        "legal_status_",
                        &typed,
                    ),
                    "maturity" => options((1..=9).map(|n| n.to_string()).collect(), "trl_", &typed),
                    "modes" => options(
                        MODES.map(String::from).to_vec(),
                        "mode_",
                        &self.offered_modes,
                    ),
                    _ => Vec::new(),
                };
                Field {
                    name,
                    entry,
                    label: t(&format!("listing_{name}")),
                    value: typed[0].clone(),
                    error: shown.get(name).cloned().unwrap_or_default(),
                    choices,
                }
            })
            .collect()
    }
}
