//! What the library's pages show, in the reader's words: a row of the list, a listing's facts,
//! and the catalog of the request's language.

use actix_web::HttpRequest;
use serde::Serialize;

pub(super) use crate::json::word;
use crate::{domain::market::ListingView, i18n::Lang, state::AppState, web::listing_form::Field};

/// One row of the library's table, in words.
#[derive(Serialize)]
pub(super) struct Row {
    pub(super) id: i32,
    pub(super) number: String,
    pub(super) title: String,
    pub(super) owner: String,
    pub(super) industry: String,
    pub(super) legal_status: String,
    pub(super) modes: String,
    pub(super) maturity: String,
    pub(super) price: Option<String>,
}

#[derive(Serialize)]
pub(super) struct FormPage {
    pub(super) fields: Vec<Field>,
    pub(super) has_errors: bool,
}

#[derive(Serialize)]
pub(super) struct ListingPage {
    pub(super) listing: ListingView,
    pub(super) facts: Vec<(String, String)>,
    pub(super) manages: bool,
    pub(super) listed: bool,
    pub(super) form: Option<FormPage>,
    pub(super) evaluation: EvaluationSection,
    /// Whether the reader keeps it among its favourites and is subscribed to it (none: it
    /// follows no listing).
    pub(super) follows: Option<(bool, bool)>,
}

/// The market evaluations on a listing's page: what the reader may see, and its own form.
#[derive(Serialize)]
pub(super) struct EvaluationSection {
    pub(super) count: usize,
    pub(super) average: Option<String>,
    /// `(enterprise, prospect, intent in words, needs, day, contact)`.
    pub(super) items: Vec<(String, i32, String, String, String, String)>,
    /// The caller's form (an enterprise other than the owner): values as typed or stored.
    pub(super) form: Option<EvaluationFormView>,
}

/// The evaluation form's values, choices and errors.
#[derive(Serialize)]
pub(super) struct EvaluationFormView {
    pub(super) version: Option<i32>,
    pub(super) prospects: Vec<(String, bool)>,
    pub(super) intents: Vec<(String, String, bool)>,
    pub(super) needs: String,
    pub(super) contact_name: String,
    pub(super) contact_phone: String,
    pub(super) contact_email: String,
    pub(super) errors: std::collections::BTreeMap<String, String>,
}

/// The evaluation form as sent from a listing's page.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct EvaluationForm {
    pub(super) version: Option<i32>,
    pub(super) prospect: String,
    pub(super) intent: String,
    pub(super) improvement_needs: String,
    pub(super) contact_name: String,
    pub(super) contact_phone: String,
    pub(super) contact_email: String,
}

impl EvaluationForm {
    /// The contact typed, if any field of it was.
    pub(super) fn contact(&self) -> Option<crate::domain::market::Contact> {
        let typed = [&self.contact_name, &self.contact_phone, &self.contact_email];
        typed
            .iter()
            .any(|v| !v.trim().is_empty())
            .then(|| crate::domain::market::Contact {
                name: self.contact_name.clone(),
                phone: self.contact_phone.clone(),
                email: self.contact_email.clone(),
            })
    }
}

/// The section from what the caller may see, its right to evaluate and a refused form.
pub(super) fn evaluation_section(
    found: crate::domain::market::evaluations::Evaluations,
    may_evaluate: bool,
    refused: Option<(&EvaluationForm, &crate::error::FieldErrors)>,
    (t, lang): (&impl Fn(&str) -> String, Lang),
) -> EvaluationSection {
    let intent_word =
        |i: &crate::domain::market::evaluations::Intent| t(&format!("intent_{}", word(i)));
    let items = found
        .items
        .iter()
        .map(|e| {
            (
                e.enterprise.clone(),
                e.prospect,
                intent_word(&e.intent),
                e.improvement_needs.clone(),
                crate::clock::china_date(e.updated_at).to_string(),
                (e.contact.as_ref())
                    .map(|c| {
                        [c.name.as_str(), c.phone.as_str(), c.email.as_str()]
                            .iter()
                            .filter(|v| !v.is_empty())
                            .copied()
                            .collect::<Vec<_>>()
                            .join(" · ")
                    })
                    .unwrap_or_default(),
            )
        })
        .collect();
    let stored = found.mine.as_ref().map(|m| EvaluationForm {
        version: Some(m.version),
        prospect: m.prospect.to_string(),
        intent: word(&m.intent),
        improvement_needs: m.improvement_needs.clone(),
        contact_name: m
            .contact
            .as_ref()
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        contact_phone: m
            .contact
            .as_ref()
            .map(|c| c.phone.clone())
            .unwrap_or_default(),
        contact_email: m
            .contact
            .as_ref()
            .map(|c| c.email.clone())
            .unwrap_or_default(),
    });
    let form = may_evaluate.then(|| {
        let typed = refused.map(|(f, _)| f).or(stored.as_ref());
        let empty = EvaluationForm::default();
        let typed = typed.unwrap_or(&empty);
        let mut errors: std::collections::BTreeMap<String, String> = [
            "prospect",
            "intent",
            "improvement_needs",
            "contact_name",
            "contact_email",
        ]
        .iter()
        .map(|f| (f.to_string(), String::new()))
        .collect();
        for (field, messages) in refused.map(|(_, e)| e.in_lang(lang)).unwrap_or_default() {
            errors.insert(field.replace('.', "_"), messages.join(lang.separator()));
        }
        EvaluationFormView {
            version: typed.version,
            prospects: (1..=5)
                .map(|n| (n.to_string(), typed.prospect == n.to_string()))
                .collect(),
            intents: ["transfer", "license", "joint_rd", "none"]
                .iter()
                .map(|i| (i.to_string(), t(&format!("intent_{i}")), typed.intent == *i))
                .collect(),
            needs: typed.improvement_needs.clone(),
            contact_name: typed.contact_name.clone(),
            contact_phone: typed.contact_phone.clone(),
            contact_email: typed.contact_email.clone(),
            errors,
        }
    });
    EvaluationSection {
        count: found.count,
        average: found.average_prospect,
        items,
        form,
    }
}

/// A listing's row in `lang`.
pub(super) fn row(l: ListingView, t: &impl Fn(&str) -> String) -> Row {
    let modes: Vec<String> = l
        .offered_modes
        .iter()
        .map(|m| t(&format!("mode_{}", word(m))))
        .collect();
    Row {
        id: l.id,
        number: l.application_number,
        title: l.title,
        owner: l.owner.name,
        industry: l.industry,
        legal_status: t(&format!("legal_status_{}", word(&l.legal_status))),
        modes: modes.join(" · "),
        maturity: l.maturity.map(|m| m.to_string()).unwrap_or_default(),
        price: l.asking_price,
    }
}

/// A filter's choice as the domain's value (none when empty or unknown: the page offers only
/// known choices).
pub(super) fn parsed<T: serde::de::DeserializeOwned>(value: &Option<String>) -> Option<T> {
    let value = value.as_deref().filter(|v| !v.is_empty())?;
    serde_json::from_value(serde_json::Value::String(value.into())).ok()
}

/// The catalog of the request's language.
pub(super) fn labels<'a>(state: &'a AppState, req: &HttpRequest) -> impl Fn(&str) -> String + 'a {
    let lang = Lang::of_request(req);
    move |key: &str| state.templates.label(lang, key).to_string()
}

/// What the page states of a listing, in words.
pub(super) fn facts(l: &ListingView, t: &impl Fn(&str) -> String) -> Vec<(String, String)> {
    let date =
        |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_else(|| "—".into());
    let modes: Vec<String> = l
        .offered_modes
        .iter()
        .map(|m| t(&format!("mode_{}", word(m))))
        .collect();
    vec![
        (
            t("listing_application_number"),
            l.application_number.clone(),
        ),
        (
            t("listing_patent_type"),
            t(&format!("patent_type_{}", l.patent_type)),
        ),
        (
            t("listing_owner"),
            format!(
                "{}{}{}{}",
                l.owner.name,
                t("p_open"),
                l.owner.uscc,
                t("p_close")
            ),
        ),
        (t("listing_ipc_short"), l.ipc.join(" · ")),
        (t("listing_industry"), l.industry.clone()),
        (
            t("listing_legal_status"),
            format!(
                "{} · {}",
                t(&format!("legal_status_{}", word(&l.legal_status))),
                l.legal_status_since
            ),
        ),
        (t("listing_application_date"), date(l.application_date)),
        (t("listing_grant_date"), date(l.grant_date)),
        (t("listing_offered_modes"), modes.join(" · ")),
        (
            t("listing_maturity"),
            l.maturity
                .map(|m| m.to_string())
                .unwrap_or_else(|| "—".into()),
        ),
    ]
}
