//! The verdict of each criterion: operation scale, alliance size, host eligibility.

use entities::organizations;

use super::{Figures, Verdict};
use crate::{
    domain::{centers::CenterLevel, organizations::OrgFlag, parse_enum, rulebook::Rules},
    i18n::Msg,
};

/// The sign between a figure and its threshold.
fn relation(holds: bool) -> &'static str {
    if holds { "≥" } else { "<" }
}

/// `operation_scale`: the year's amount ≥ `annual_amount_threshold` **or** cumulative projects ≥
/// `project_threshold`.
pub fn operation_scale(rules: &Rules, figures: &Figures) -> Verdict {
    let amount_ok = figures.operation_amount >= rules.annual_amount_threshold;
    let projects_ok = figures.projects_cumulative >= i64::from(rules.project_threshold);
    let amount = format!(
        "{} {} {}",
        figures.operation_amount.format_grouped(),
        relation(amount_ok),
        rules.annual_amount_threshold.format_grouped()
    );
    let projects = format!(
        "{} {} {}",
        figures.projects_cumulative,
        relation(projects_ok),
        rules.project_threshold
    );
    Verdict {
        rule: "operation_scale",
        passed: amount_ok || projects_ok,
        detail: Msg::new(
            format!("{amount} 元; {projects} 个项目"),
            format!("{amount} yuan; {projects} projects"),
        ),
    }
}

/// `alliance_size`: counting members on the evaluated date ≥ `alliance_threshold`.
pub fn alliance_size(rules: &Rules, figures: &Figures) -> Verdict {
    let passed = figures.alliance_counting_members >= i64::from(rules.alliance_threshold);
    let counted = format!(
        "{} {} {}",
        figures.alliance_counting_members,
        relation(passed),
        rules.alliance_threshold
    );
    // the kinds that count are the rulebook's `alliance_counting_kinds`
    let (zh, en): (Vec<String>, Vec<String>) = rules
        .alliance_counting_kinds
        .iter()
        .map(|kind| kind_label(kind.as_str()))
        .unzip();
    Verdict {
        rule: "alliance_size",
        passed,
        detail: Msg::new(
            format!("{counted} 家（{}）", zh.join("、")),
            format!("{counted} counting members ({})", en.join(", ")),
        ),
    }
}

fn kind_label(kind: &str) -> (String, String) {
    let (zh, en) = match kind {
        "enterprise" => ("企业", "enterprise"),
        "university" => ("高校", "university"),
        "research_institute" => ("科研院所", "research institute"),
        "hospital" => ("医院", "hospital"),
        "industrial_park" => ("产业园区", "industrial park"),
        "industry_association" => ("行业协会", "industry association"),
        "service_agency" => ("服务机构", "service agency"),
        "financial_institution" => ("金融机构", "financial institution"),
        _ => ("其他机构", "other organization"),
    };
    (zh.to_string(), en.to_string())
}

fn flag_of(host: &organizations::Model, flag: OrgFlag) -> bool {
    match flag {
        OrgFlag::Leading => host.flag_leading,
        OrgFlag::TechSme => host.flag_tech_sme,
        OrgFlag::HighTech => host.flag_high_tech,
        OrgFlag::Specialized => host.flag_specialized,
        OrgFlag::StateOwned => host.flag_state_owned,
        OrgFlag::NationalLevel => host.flag_national_level,
    }
}

/// `host_eligible`: a national center's host matches one entry of `national_host_rule` (kind, and
/// the flag it names); local centers are not bound by it.
pub fn host_eligible(rules: &Rules, level: &str, host: Option<&organizations::Model>) -> Verdict {
    let rule = "host_eligible";
    if parse_enum::<CenterLevel>(level) != Some(CenterLevel::National) {
        return Verdict {
            rule,
            passed: true,
            detail: Msg::new(
                "地方运营中心不适用国家级建设主体要求",
                "local centers are not bound by the national host rule",
            ),
        };
    }
    let Some(host) = host else {
        return Verdict {
            rule,
            passed: false,
            detail: Msg::new("未登记建设主体", "no host organization is recorded"),
        };
    };
    let (kind_zh, kind_en) = kind_label(&host.kind);
    let matched = rules
        .national_host_rule
        .iter()
        .find(|r| r.kind.as_str() == host.kind && r.flag.is_none_or(|f| flag_of(host, f)));
    let allowed_zh: Vec<String> = rules
        .national_host_rule
        .iter()
        .map(|r| {
            kind_label(r.kind.as_str()).0
                + if r.flag.is_some() {
                    "（须标记）"
                } else {
                    ""
                }
        })
        .collect();
    let allowed_en: Vec<String> = rules
        .national_host_rule
        .iter()
        .map(|r| {
            kind_label(r.kind.as_str()).1
                + r.flag
                    .map(|f| format!(" flagged {}", f.as_str()))
                    .as_deref()
                    .unwrap_or("")
        })
        .collect();
    match matched {
        Some(r) => Verdict {
            rule,
            passed: true,
            detail: Msg::new(
                format!(
                    "建设主体“{}”为{}{}",
                    host.name,
                    kind_zh,
                    if r.flag.is_some() {
                        "，标记符合要求"
                    } else {
                        ""
                    }
                ),
                format!(
                    "host '{}' is a{} {kind_en}",
                    host.name,
                    r.flag
                        .map(|f| format!(" {}", f.as_str()))
                        .unwrap_or_default()
                ),
            ),
        },
        None => Verdict {
            rule,
            passed: false,
            detail: Msg::new(
                format!(
                    "建设主体“{}”为{}，不符合国家级中心要求（应为：{}）",
                    host.name,
                    kind_zh,
                    allowed_zh.join("、")
                ),
                format!(
                    "host '{}' is a {kind_en} without the required flag; a national center's host must be: {}",
                    host.name,
                    allowed_en.join(", ")
                ),
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::identifiers::Yuan;

    fn figures(amount: &str, projects: i64, members: i64) -> Figures {
        Figures {
            operation_amount: Yuan::parse(amount).unwrap(),
            projects_cumulative: projects,
            alliance_counting_members: members,
            ..Default::default()
        }
    }

    #[test]
    fn the_boundary_table() {
        let rules = Rules::policy();
        let cases = [
            (
                "4999999.99",
                9,
                false,
                "4,999,999.99 < 5,000,000.00 元; 9 < 10 个项目",
            ),
            (
                "5000000.00",
                0,
                true,
                "5,000,000.00 ≥ 5,000,000.00 元; 0 < 10 个项目",
            ),
            ("0", 10, true, "0.00 < 5,000,000.00 元; 10 ≥ 10 个项目"),
        ];
        for (amount, projects, passed, detail) in cases {
            let verdict = operation_scale(&rules, &figures(amount, projects, 0));
            assert_eq!(verdict.passed, passed, "{amount} {projects}");
            assert_eq!(verdict.detail.zh, detail);
        }
        assert!(!alliance_size(&rules, &figures("0", 0, 19)).passed);
        assert!(alliance_size(&rules, &figures("0", 0, 20)).passed);
        assert!(
            alliance_size(&rules, &figures("0", 0, 19))
                .detail
                .zh
                .starts_with("19 < 20")
        );
    }

    #[test]
    fn the_alliance_verdict_names_the_kinds_the_rulebook_counts() {
        let figures = Figures {
            alliance_counting_members: 21,
            ..Figures::default()
        };
        let policy = alliance_size(&Rules::policy(), &figures);
        assert!(
            policy.detail.zh.contains("企业、高校、科研院所"),
            "{}",
            policy.detail.zh
        );
        let enterprises_only = Rules {
            alliance_counting_kinds: vec![crate::domain::organizations::OrgKind::Enterprise],
            ..Rules::policy()
        };
        let verdict = alliance_size(&enterprises_only, &figures);
        assert!(
            verdict.detail.zh.ends_with("家（企业）"),
            "{}",
            verdict.detail.zh
        );
        assert!(
            !verdict.detail.en.contains("universities"),
            "{}",
            verdict.detail.en
        );
    }
}
