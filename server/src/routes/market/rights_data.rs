//! What a listing's rights page shows, in the reader's words: the open licence, what bars one,
//! the recorded facts, the earlier declarations, and — for those who manage the listing — the
//! forms, with what a refused one was sent and why.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::{
    domain::{
        identifiers::Yuan,
        market::{
            ListingView,
            rights::{Rights, declaration::DeclarationView, facts::FactView},
        },
    },
    error::FieldErrors,
    i18n::Lang,
    web::page_form::Sent,
};

/// The forms of the page, each with its fields.
pub(super) const FORMS: [(&str, &[&str]); 6] = [
    ("declare", &["fee_kind", "fee", "payment", "term_years"]),
    ("licence", &["kind", "licensee", "from", "to"]),
    ("pledge", &["pledgee", "from", "to", "pledgee_consent"]),
    ("suspension", &["reason", "from", "to"]),
    ("facts", &["to"]),
    ("report", &["file"]),
];

/// A form of the page that was refused: which one, what was sent, and the field errors or the
/// conflict in words.
pub(super) struct Refused<'a> {
    pub(super) form: &'a str,
    pub(super) sent: &'a Sent,
    pub(super) errors: FieldErrors,
    pub(super) conflict: Option<String>,
}

#[derive(Serialize)]
pub(super) struct RightsPage {
    pub(super) listing: ListingView,
    pub(super) patent_type: String,
    pub(super) manages: bool,
    pub(super) open: Option<Declaration>,
    pub(super) bars: Vec<String>,
    pub(super) facts: Vec<Fact>,
    pub(super) history: Vec<Declaration>,
    pub(super) forms: BTreeMap<&'static str, FormState>,
    /// The co-owners, each with whether its consent box is ticked.
    pub(super) co_owners: Vec<(String, bool)>,
    pub(super) needs_report: bool,
    /// The choices of the forms' lists: `(value, label, chosen)`.
    pub(super) fee_kinds: Vec<Choice>,
    pub(super) licence_kinds: Vec<Choice>,
    pub(super) suspension_reasons: Vec<Choice>,
}

/// A choice of a list: `(value, label, chosen)`.
type Choice = (String, String, bool);

/// Each of `values` with its label (the catalog's `prefix` + value), chosen when `field` of
/// `form` holds it.
fn choices(
    values: &[&str],
    prefix: &str,
    (form, field): (&FormState, &str),
    t: &impl Fn(&str) -> String,
) -> Vec<Choice> {
    let chosen = form.values.get(field).map(String::as_str).unwrap_or("");
    (values.iter())
        .map(|v| (v.to_string(), t(&format!("{prefix}{v}")), *v == chosen))
        .collect()
}

/// A declaration in words.
#[derive(Serialize)]
pub(super) struct Declaration {
    fee_kind: String,
    fee: String,
    payment: String,
    term_years: i32,
    declared_on: String,
    until: String,
    ended: Option<String>,
}

/// A recorded fact in words.
#[derive(Serialize)]
pub(super) struct Fact {
    id: i32,
    what: String,
    kind: String,
    party: String,
    from: String,
    to: String,
    consent: String,
    in_force: bool,
    report: bool,
}

/// A form's values and errors (by field), and a conflict shown above it.
#[derive(Serialize, Default)]
pub(super) struct FormState {
    values: BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
    conflict: Option<String>,
}

/// A declaration's fee in words: grouped yuan, or a percentage.
fn fee(d: &DeclarationView) -> String {
    match Yuan::parse(&d.fee) {
        Ok(y) if d.fee_kind != "royalty_rate" => format!("{} 元", y.format_grouped()),
        _ => format!("{}%", d.fee),
    }
}

fn declaration(d: &DeclarationView, t: &impl Fn(&str) -> String) -> Declaration {
    Declaration {
        fee_kind: t(&format!("fee_kind_{}", d.fee_kind)),
        fee: fee(d),
        payment: d.payment.clone(),
        term_years: d.term_years,
        declared_on: d.declared_on.to_string(),
        until: d.until.to_string(),
        ended: d.ended_because.as_ref().map(|why| {
            let on = d.ended_on.map(|o| o.to_string()).unwrap_or_default();
            format!("{on} {}", t(&format!("open_licence_ended_{why}")))
        }),
    }
}

fn fact(f: &FactView, t: &impl Fn(&str) -> String) -> Fact {
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let kind = match (f.fact.as_str(), &f.kind) {
        ("licence", Some(k)) => t(&format!("licence_kind_{k}")),
        ("suspension", Some(k)) => t(&format!("suspension_reason_{k}")),
        ("evaluation_report", _) => f.file_name.clone().unwrap_or_default(),
        _ => String::new(),
    };
    Fact {
        id: f.id,
        what: t(&format!("fact_{}", f.fact)),
        kind,
        party: f.party.clone().unwrap_or_default(),
        from: day(f.from),
        to: day(f.to),
        consent: f
            .consent
            .map(|c| t(if c { "yes" } else { "no" }))
            .unwrap_or_default(),
        in_force: f.in_force,
        report: f.fact == "evaluation_report",
    }
}

/// The page from the listing, its rights, the reader's right to manage it and a refused form.
pub(super) fn page(
    listing: ListingView,
    rights: Rights,
    manages: bool,
    refused: Option<Refused<'_>>,
    (t, lang): (&impl Fn(&str) -> String, Lang),
) -> RightsPage {
    let blank = |fields: &[&str]| -> BTreeMap<String, String> {
        fields
            .iter()
            .map(|f| (f.to_string(), String::new()))
            .collect()
    };
    let mut forms: BTreeMap<&'static str, FormState> = (FORMS.iter())
        .map(|(form, fields)| {
            let state = FormState {
                values: blank(fields),
                errors: blank(fields),
                conflict: None,
            };
            (*form, state)
        })
        .collect();
    let mut ticked: Vec<String> = Vec::new();
    if let Some(r) = refused {
        let name = (FORMS.iter().find(|(f, _)| *f == r.form)).map_or("declare", |(f, _)| *f);
        let state = forms.entry(name).or_default();
        state.values.extend(r.sent.all());
        for (field, messages) in r.errors.in_lang(lang) {
            state.errors.insert(field, messages.join(lang.separator()));
        }
        state.conflict = r.conflict;
        ticked = state
            .values
            .keys()
            .filter_map(|k| k.strip_prefix("consent_").map(str::to_string))
            .collect();
    }
    let co_owners = listing
        .co_owner_uscc
        .iter()
        .map(|c| (c.clone(), ticked.contains(c)))
        .collect();
    let fee_kinds = choices(
        &["lump_sum", "annual_fee", "royalty_rate"],
        "fee_kind_",
        (&forms["declare"], "fee_kind"),
        t,
    );
    let licence_kinds = choices(
        &["exclusive", "sole", "ordinary"],
        "licence_kind_",
        (&forms["licence"], "kind"),
        t,
    );
    let suspension_reasons = choices(
        &["ownership_dispute", "preservation"],
        "suspension_reason_",
        (&forms["suspension"], "reason"),
        t,
    );
    RightsPage {
        patent_type: t(&format!("patent_type_{}", listing.patent_type)),
        needs_report: listing.patent_type != "invention",
        open: rights.open_licence.as_ref().map(|d| declaration(d, t)),
        bars: rights.bars,
        facts: rights.facts.iter().map(|f| fact(f, t)).collect(),
        history: (rights.declarations.iter())
            .filter(|d| d.ended_on.is_some())
            .map(|d| declaration(d, t))
            .collect(),
        forms,
        co_owners,
        fee_kinds,
        licence_kinds,
        suspension_reasons,
        manages,
        listing,
    }
}
