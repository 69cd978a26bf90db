//! The rule figures as pages show them: the thresholds and periods of a rulebook version, in the
//! reader's language with amounts in 元 and 万元.

use serde::Serialize;

use crate::{domain::rulebook::RulebookVersion, i18n::Lang, state::AppState};

/// One rule figure as the home page shows it.
#[derive(Serialize)]
pub struct Threshold {
    label_key: &'static str,
    value: String,
}

/// The main figures of `version` as read.
pub fn thresholds(state: &AppState, lang: Lang, version: &RulebookVersion) -> Vec<Threshold> {
    let rules = &version.rules;
    let amount = rules.annual_amount_threshold;
    vec![
        Threshold {
            label_key: "rule_annual_amount",
            value: format!(
                "{} {} ({} {})",
                amount.format_grouped(),
                state.templates.label(lang, "unit_yuan"),
                amount.format_wan(),
                state.templates.label(lang, "unit_wan")
            ),
        },
        Threshold {
            label_key: "rule_projects",
            value: rules.project_threshold.to_string(),
        },
        Threshold {
            label_key: "rule_alliance",
            value: rules.alliance_threshold.to_string(),
        },
        Threshold {
            label_key: "rule_cycle_years",
            value: rules.cycle_years.to_string(),
        },
        Threshold {
            label_key: "rule_report_due",
            value: rules.report_due_month_day.clone(),
        },
        Threshold {
            label_key: "rule_notice_days",
            value: rules.public_notice_working_days.to_string(),
        },
    ]
}
