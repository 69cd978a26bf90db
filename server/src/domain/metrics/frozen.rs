//! A year's figures frozen into an application or a report revision.

use std::collections::BTreeMap;

use super::Metrics;

/// A year's figures and each criterion's verdict in both languages, as frozen into an application
/// or a report revision.
pub fn frozen_figures(m: &Metrics) -> serde_json::Value {
    let f = &m.figures;
    serde_json::json!({
        "year": m.year,
        "as_of": m.as_of,
        "rulebook_version": m.rulebook.version,
        "operation_amount": f.operation_amount.to_string(),
        "amount_by_kind": f.amount_by_kind.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<BTreeMap<_, _>>(),
        "related_party_amount": f.related_party_amount.to_string(),
        "transaction_count": f.transaction_count,
        "projects_cumulative": f.projects_cumulative,
        "projects_counted_from": m.cycle_start,
        "alliance_counting_members": f.alliance_counting_members,
        "alliance_members": f.alliance_members,
        "tech_smes_served": f.tech_smes_served,
        "criteria": m.verdicts.iter().map(|v| serde_json::json!({
            "rule": v.rule, "passed": v.passed, "detail_zh": v.detail.zh, "detail_en": v.detail.en,
        })).collect::<Vec<_>>(),
    })
}
