//! The rulebook: every threshold, weight and deadline as versioned data. A rule reads the version
//! in force on the date it evaluates; versions never change once written.

use std::collections::BTreeMap;

mod cache;
mod versions;

pub use cache::RulebookCache;
pub use versions::*;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    identifiers::Yuan,
    organizations::{OrgFlag, OrgKind},
};
use crate::{error::FieldErrors, i18n::Msg};

/// One kind of organization that may host a national center, optionally only with a flag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct HostRule {
    pub kind: OrgKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag: Option<OrgFlag>,
}

/// The score thresholds of the annual result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResultThresholds {
    pub qualified: u32,
    pub basically_qualified: u32,
}

/// The values of one rulebook version. Version 1 (`Rules::policy()`) holds the published policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Annual conversion-operation amount that passes `operation_scale` (yuan).
    #[schema(value_type = String, example = "5000000.00")]
    pub annual_amount_threshold: Yuan,
    /// Cumulative conversion / industrialization projects that pass `operation_scale`.
    pub project_threshold: u32,
    /// Counting alliance members that pass `alliance_size`.
    pub alliance_threshold: u32,
    /// Kinds of organization that count toward the alliance.
    pub alliance_counting_kinds: Vec<OrgKind>,
    /// Who may host a national center.
    pub national_host_rule: Vec<HostRule>,
    /// Reporting years of a construction cycle.
    pub cycle_years: u32,
    /// Due date of an annual report in the following year, `MM-DD`.
    pub report_due_month_day: String,
    /// Days before a due date on which reminders go out.
    pub reminder_days_before: Vec<u32>,
    /// Days after a due date on which overdue notices go out.
    pub overdue_notice_days_after: Vec<u32>,
    /// Working days of public notice (公示).
    pub public_notice_working_days: u32,
    /// Days a returned report may be corrected in.
    pub correction_days: u32,
    /// Days a rectification (整改) may take.
    pub rectification_days: u32,
    /// Rubric item → weight; the weights sum to 100.
    pub rubric: BTreeMap<String, u32>,
    /// The rubric of annual reports (weights sum to 100); null or absent: the same as `rubric`.
    #[serde(default)]
    pub annual_rubric: Option<BTreeMap<String, u32>>,
    /// Mean scores for `qualified` and `basically_qualified`.
    pub result_thresholds: ResultThresholds,
    /// Experts who must all have scored before a decision (absent in older versions: 3).
    #[serde(default = "default_min_experts")]
    pub min_experts: u32,
}

fn default_min_experts() -> u32 {
    3
}

/// The date from which version 1 is in force.
pub fn policy_effective_from() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default()
}

impl Rules {
    /// The published policy numbers and this product's defaults (rulebook version 1).
    pub fn policy() -> Rules {
        Rules {
            annual_amount_threshold: Yuan::from_yuan(5_000_000),
            project_threshold: 10,
            alliance_threshold: 20,
            alliance_counting_kinds: vec![
                OrgKind::Enterprise,
                OrgKind::University,
                OrgKind::ResearchInstitute,
            ],
            national_host_rule: vec![
                HostRule {
                    kind: OrgKind::Enterprise,
                    flag: Some(OrgFlag::Leading),
                },
                HostRule {
                    kind: OrgKind::ResearchInstitute,
                    flag: None,
                },
                HostRule {
                    kind: OrgKind::IndustrialPark,
                    flag: Some(OrgFlag::NationalLevel),
                },
                HostRule {
                    kind: OrgKind::IndustryAssociation,
                    flag: Some(OrgFlag::NationalLevel),
                },
            ],
            cycle_years: 3,
            report_due_month_day: "03-31".into(),
            reminder_days_before: vec![30, 7, 1],
            overdue_notice_days_after: vec![1, 7, 14],
            public_notice_working_days: 5,
            correction_days: 30,
            rectification_days: 90,
            rubric: [
                ("operation_scale", 30),
                ("projects", 20),
                ("alliance", 15),
                ("sme_service", 15),
                ("chain_support", 20),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
            annual_rubric: None,
            result_thresholds: ResultThresholds {
                qualified: 80,
                basically_qualified: 60,
            },
            min_experts: default_min_experts(),
        }
    }

    /// The rubric annual reports are scored against: `annual_rubric`, else `rubric`.
    pub fn annual_rubric(&self) -> &BTreeMap<String, u32> {
        self.annual_rubric.as_ref().unwrap_or(&self.rubric)
    }

    /// Checks the values are coherent: positive thresholds and periods, a valid due day, rubric
    /// weights summing to 100, qualified above basically qualified.
    pub fn check(&self) -> FieldErrors {
        let mut errors = FieldErrors::default();
        let positive = |errors: &mut FieldErrors, key: &str, value: u32| {
            if value == 0 {
                errors.add(
                    key,
                    Msg::new(
                        format!("{key} 须大于 0"),
                        format!("{key} must be greater than 0"),
                    ),
                );
            }
        };
        if self.annual_amount_threshold.fen() == 0 {
            errors.add(
                "annual_amount_threshold",
                Msg::new(
                    "金额门槛须大于 0",
                    "the amount threshold must be greater than 0",
                ),
            );
        }
        positive(&mut errors, "project_threshold", self.project_threshold);
        positive(&mut errors, "alliance_threshold", self.alliance_threshold);
        positive(&mut errors, "cycle_years", self.cycle_years);
        positive(
            &mut errors,
            "public_notice_working_days",
            self.public_notice_working_days,
        );
        positive(&mut errors, "correction_days", self.correction_days);
        positive(&mut errors, "rectification_days", self.rectification_days);
        if self.alliance_counting_kinds.is_empty() {
            errors.add(
                "alliance_counting_kinds",
                Msg::new("至少一类机构计入联盟", "at least one kind must count"),
            );
        }
        if self.national_host_rule.is_empty() {
            errors.add(
                "national_host_rule",
                Msg::new(
                    "至少一类机构可作为建设主体",
                    "at least one kind must be eligible to host",
                ),
            );
        }
        if self.due_date_in(2001).is_none() {
            errors.add(
                "report_due_month_day",
                Msg::new("应为 MM-DD，如 03-31", "must be MM-DD, like 03-31"),
            );
        }
        for (key, rubric) in [
            ("rubric", Some(&self.rubric)),
            ("annual_rubric", self.annual_rubric.as_ref()),
        ] {
            let Some(rubric) = rubric else { continue };
            let total: u32 = rubric.values().sum();
            if total != 100 {
                errors.add(
                    key,
                    Msg::new(
                        format!("评分项权重之和应为 100，实际为 {total}"),
                        format!("rubric weights must sum to 100, not {total}"),
                    ),
                );
            }
        }
        positive(&mut errors, "min_experts", self.min_experts);
        let t = &self.result_thresholds;
        if t.qualified > 100 || t.basically_qualified >= t.qualified {
            errors.add(
                "result_thresholds",
                Msg::new(
                    "须满足 0 ≤ 基本合格 < 合格 ≤ 100",
                    "needs 0 ≤ basically_qualified < qualified ≤ 100",
                ),
            );
        }
        errors
    }

    /// The annual report due date in `year` (the year after the reporting year).
    pub fn due_date_in(&self, year: i32) -> Option<NaiveDate> {
        let (month, day) = self.report_due_month_day.split_once('-')?;
        if month.len() != 2 || day.len() != 2 {
            return None;
        }
        NaiveDate::from_ymd_opt(year, month.parse().ok()?, day.parse().ok()?)
    }
}
