//! What the library's pages show, in the reader's words: a row of the list, a listing's facts,
//! and the catalog of the request's language.

use actix_web::HttpRequest;
use serde::Serialize;

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

/// A choice's stored word (`LegalStatus::Granted` → `granted`).
pub(super) fn word<T: Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
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
