//! What bars an open-licence declaration (Implementing Regulations Art. 86), computed from the
//! listing and its recorded facts — never typed by hand.

use chrono::NaiveDate;
use entities::{listing_facts as facts, patent_listings as listings};

use crate::i18n::Msg;

/// One condition that bars a declaration today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bar {
    /// The patent is not (or no longer) granted and in force.
    NotGranted,
    /// An exclusive or sole licence is in force.
    ExclusiveLicence {
        licensee: String,
        to: Option<NaiveDate>,
    },
    /// Suspended for an ownership dispute or a court preservation.
    Suspended { reason: String },
    /// The annual fee is not paid as due (a grace period counts as unpaid).
    FeeUnpaid { paid_until: Option<NaiveDate> },
    /// Pledged without the pledgee's recorded consent.
    PledgedWithoutConsent { pledgee: String },
    /// A utility model or design without a patent evaluation report.
    NoEvaluationReport,
    /// A co-owner whose consent is not given.
    CoOwnerWithoutConsent { uscc: String },
}

/// Whether `fact` is in force on `day` (from its first day to its last, or open-ended).
pub fn in_force(fact: &facts::Model, day: NaiveDate) -> bool {
    fact.from_date.is_none_or(|from| from <= day) && fact.to_date.is_none_or(|to| to >= day)
}

/// Every condition that bars declaring an open licence for `listing` on `today`, given its
/// recorded `facts` and the co-owners whose consent comes with the declaration (`None`: not
/// asked yet, so the co-owners are not checked).
pub fn bars(
    listing: &listings::Model,
    recorded: &[facts::Model],
    consents: Option<&[String]>,
    today: NaiveDate,
) -> Vec<Bar> {
    let mut found = Vec::new();
    if listing.legal_status != "granted" {
        found.push(Bar::NotGranted);
    }
    let live = recorded.iter().filter(|f| in_force(f, today));
    for fact in live {
        let party = fact.party.clone().unwrap_or_default();
        match (fact.fact.as_str(), fact.kind.as_deref()) {
            ("licence", Some("exclusive" | "sole")) => found.push(Bar::ExclusiveLicence {
                licensee: party,
                to: fact.to_date,
            }),
            ("suspension", reason) => found.push(Bar::Suspended {
                reason: reason.unwrap_or_default().to_string(),
            }),
            ("pledge", _) if fact.consent != Some(true) => {
                found.push(Bar::PledgedWithoutConsent { pledgee: party })
            }
            _ => {}
        }
    }
    if listing
        .annual_fee_paid_until
        .is_none_or(|paid| paid < today)
    {
        found.push(Bar::FeeUnpaid {
            paid_until: listing.annual_fee_paid_until,
        });
    }
    let has_report = recorded.iter().any(|f| f.fact == "evaluation_report");
    if listing.patent_type != "invention" && !has_report {
        found.push(Bar::NoEvaluationReport);
    }
    if let Some(given) = consents {
        let co_owners: Vec<String> =
            serde_json::from_str(&listing.co_owner_uscc).unwrap_or_default();
        for uscc in co_owners.into_iter().filter(|c| !given.contains(c)) {
            found.push(Bar::CoOwnerWithoutConsent { uscc });
        }
    }
    found
}

impl Bar {
    /// The condition in words.
    pub fn message(&self) -> Msg {
        match self {
            Bar::NotGranted => Msg::new(
                "专利尚未授权或已不在有效期内",
                "the patent is not granted and in force",
            ),
            Bar::ExclusiveLicence { licensee, to } => {
                let to = to.map(|d| d.to_string()).unwrap_or_default();
                Msg::new(
                    format!("已登记的独占或排他许可（被许可人 {licensee}，至 {to}）仍在有效期内"),
                    format!("an exclusive or sole licence (to {licensee}, until {to}) is in force"),
                )
            }
            Bar::Suspended { reason } => {
                let (zh, en) = if reason == "preservation" {
                    ("法院财产保全", "a court preservation")
                } else {
                    ("权属纠纷", "an ownership dispute")
                };
                Msg::new(
                    format!("专利权因{zh}处于中止程序"),
                    format!("the patent is suspended for {en}"),
                )
            }
            Bar::FeeUnpaid { paid_until } => match paid_until {
                Some(day) => Msg::new(
                    format!("年费仅缴至 {day}，未按期缴纳（滞纳期内视为未缴）"),
                    format!(
                        "the annual fee is paid only until {day} (a grace period counts as unpaid)"
                    ),
                ),
                None => Msg::new("未登记年费缴纳情况", "no annual fee payment is recorded"),
            },
            Bar::PledgedWithoutConsent { pledgee } => Msg::new(
                format!("专利权已质押给 {pledgee}，未取得质权人同意"),
                format!("the patent is pledged to {pledgee} without the pledgee's consent"),
            ),
            Bar::NoEvaluationReport => Msg::new(
                "实用新型或外观设计专利须提交专利权评价报告",
                "a utility model or design needs a patent evaluation report",
            ),
            Bar::CoOwnerWithoutConsent { uscc } => Msg::new(
                format!("共有人 {uscc} 未同意"),
                format!("co-owner {uscc} has not consented"),
            ),
        }
    }
}

/// The bars as one message: "不能声明开放许可：…；…".
pub fn refusal(found: &[Bar]) -> Msg {
    let (zh, en): (Vec<String>, Vec<String>) = found
        .iter()
        .map(|b| {
            let m = b.message();
            (m.zh.to_string(), m.en.to_string())
        })
        .unzip();
    Msg::new(
        format!("不能声明开放许可：{}", zh.join("；")),
        format!("an open licence cannot be declared: {}", en.join("; ")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn listing(patent_type: &str, status: &str, fee: Option<&str>) -> listings::Model {
        let at = chrono::Utc::now();
        listings::Model {
            id: 1,
            application_number: "201710601862.3".into(),
            title: "t".into(),
            abstract_text: "a".into(),
            claims: None,
            ipc: "[]".into(),
            patent_type: patent_type.into(),
            owner_organization_id: 1,
            co_owner_uscc: r#"["91320594100000003K"]"#.into(),
            inventors: "[]".into(),
            application_date: None,
            grant_date: None,
            legal_status: status.into(),
            legal_status_since: day("2020-01-01"),
            annual_fee_paid_until: fee.map(day),
            industry: "新材料".into(),
            maturity: None,
            offered_modes: "[]".into(),
            asking_price_fen: None,
            contact_name: None,
            contact_phone: None,
            contact_email: None,
            status: "listed".into(),
            listed_by: 1,
            import_id: None,
            version: 1,
            created_at: at,
            updated_at: at,
        }
    }

    fn fact(
        kind: (&str, Option<&str>),
        from: &str,
        to: Option<&str>,
        consent: Option<bool>,
    ) -> facts::Model {
        facts::Model {
            id: 1,
            listing_id: 1,
            fact: kind.0.into(),
            kind: kind.1.map(str::to_string),
            party: Some("某银行".into()),
            from_date: Some(day(from)),
            to_date: to.map(day),
            consent,
            file_name: None,
            content_type: None,
            size_bytes: None,
            sha256: None,
            stored_name: None,
            recorded_by: 1,
            created_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn a_granted_invention_with_its_fee_paid_and_every_consent_is_free() {
        let l = listing("invention", "granted", Some("2027-06-30"));
        let consents = vec!["91320594100000003K".to_string()];
        let ordinary = fact(
            ("licence", Some("ordinary")),
            "2026-01-01",
            Some("2028-01-01"),
            None,
        );
        let ended = fact(
            ("licence", Some("exclusive")),
            "2020-01-01",
            Some("2026-11-30"),
            None,
        );
        let consented = fact(("pledge", None), "2026-01-01", None, Some(true));
        let found = bars(
            &l,
            &[ordinary, ended, consented],
            Some(&consents),
            day("2026-12-08"),
        );
        assert_eq!(found, Vec::<Bar>::new());
    }

    #[test]
    fn every_bar_is_named_at_once() {
        let l = listing("utility_model", "pending", Some("2026-12-07"));
        let recorded = [
            fact(
                ("licence", Some("sole")),
                "2026-01-01",
                Some("2027-01-01"),
                None,
            ),
            fact(
                ("suspension", Some("preservation")),
                "2026-12-01",
                None,
                None,
            ),
            fact(("pledge", None), "2026-01-01", None, Some(false)),
        ];
        let found = bars(&l, &recorded, Some(&[]), day("2026-12-08"));
        assert_eq!(found.len(), 7, "{found:?}");
        assert!(refusal(&found).zh.contains("质押给 某银行"));
        assert!(found.contains(&Bar::FeeUnpaid {
            paid_until: Some(day("2026-12-07"))
        }));
    }

    #[test]
    fn a_fact_is_in_force_from_its_first_to_its_last_day() {
        let f = fact(
            ("licence", Some("exclusive")),
            "2026-01-01",
            Some("2026-12-31"),
            None,
        );
        assert!(!in_force(&f, day("2025-12-31")));
        assert!(in_force(&f, day("2026-01-01")) && in_force(&f, day("2026-12-31")));
        assert!(!in_force(&f, day("2027-01-01")));
    }
}
