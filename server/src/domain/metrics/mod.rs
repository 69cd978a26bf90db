//! The indicators of a center, computed from its records alone, and the verdict of each criterion
//! under the rulebook version in force on the evaluated date.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use entities::{centers, organizations};
use sea_orm::{ConnectionTrait, Statement, Value};

use super::{
    centers::CenterLevel,
    identifiers::Yuan,
    ledger::{ORGANIZED_PROJECT_STATUSES, TransactionKind},
    organizations::OrgFlag,
    parse_enum,
    rulebook::{self, RulebookVersion, Rules},
};
use crate::{error::AppError, i18n::Msg};

pub mod cache;
mod frozen;
mod list;
pub mod records;
pub use cache::{FiguresCache, FiguresKey, ItemStamp};
pub use frozen::frozen_figures;
pub use list::{IndicatorSummary, ListedCenter, list_with_indicators, page_stamps, stamp_of};

/// The day a year is evaluated on: 31 December, or today for the current year; a future year is
/// refused (422).
pub fn evaluation_date(year: i32, today: NaiveDate) -> Result<NaiveDate, AppError> {
    if year > today.year() {
        return Err(AppError::field(
            "year",
            Msg::new(
                format!("{year} 年尚未到来"),
                format!("{year} lies in the future"),
            ),
        ));
    }
    if year < 2000 {
        return Err(AppError::field(
            "year",
            Msg::new("年份不得早于 2000 年", "the year may not lie before 2000"),
        ));
    }
    if year == today.year() {
        Ok(today)
    } else {
        NaiveDate::from_ymd_opt(year, 12, 31)
            .ok_or_else(|| AppError::field("year", Msg::new("年份无效", "invalid year")))
    }
}

/// The figures of one center for one year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub amount_by_kind: BTreeMap<&'static str, Yuan>,
    pub operation_amount: Yuan,
    pub related_party_amount: Yuan,
    pub transaction_count: i64,
    pub projects_cumulative: i64,
    pub alliance_counting_members: i64,
    pub alliance_members: i64,
    pub tech_smes_served: i64,
    pub events_by_kind: BTreeMap<String, i64>,
}

/// One criterion's verdict, with the figures and threshold it compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub rule: &'static str,
    pub passed: bool,
    pub detail: Msg,
}

fn values(items: impl IntoIterator<Item = Value>) -> Vec<Value> {
    items.into_iter().collect()
}

async fn query(
    db: &impl ConnectionTrait,
    sql: &str,
    params: Vec<Value>,
) -> Result<Vec<sea_orm::QueryResult>, AppError> {
    Ok(db
        .query_all_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            sql,
            params,
        ))
        .await?)
}

/// `$first, $first+1, …` placeholders for `count` values.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Computes, in one round trip, the figures of `center_id` for `year` as of `as_of`: deals by
/// contract year (from the maintained yearly totals), organized projects started from the start of
/// the cycle holding `year` (or ever) up to `as_of`, alliance members active on `as_of` (counting
/// only `rules.alliance_counting_kinds`), distinct tech SMEs served and events by kind in the year;
/// and the start of that cycle.
pub async fn figures(
    db: &impl ConnectionTrait,
    center_id: i32,
    year: i32,
    as_of: NaiveDate,
    rules: &Rules,
) -> Result<(Figures, Option<NaiveDate>), AppError> {
    let year_start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(as_of);
    let mut params = values([
        center_id.into(),
        year.into(),
        year_start.into(),
        as_of.into(),
        super::ledger::earliest_ledger_date().into(),
        true.into(),
    ]);
    let statuses = placeholders(params.len() + 1, ORGANIZED_PROJECT_STATUSES.len());
    params.extend(ORGANIZED_PROJECT_STATUSES.iter().map(|s| Value::from(*s)));
    let kinds = match rules.alliance_counting_kinds.len() {
        0 => "NULL".to_string(),
        n => placeholders(params.len() + 1, n),
    };
    params.extend(
        rules
            .alliance_counting_kinds
            .iter()
            .map(|k| Value::from(k.as_str())),
    );
    let cycle = "SELECT start_date FROM cycles WHERE center_id = $1 AND first_year <= $2 AND last_year >= $2";
    let sql = format!(
        "SELECT 'deal' AS metric, kind AS label, CASE WHEN related_party THEN 1 ELSE 0 END AS flag, amount_fen AS amount, deal_count AS n \
           FROM center_year_totals WHERE center_id = $1 AND year = $2 \
         UNION ALL SELECT 'cycle', CAST(start_date AS TEXT), 0, 0, 0 FROM cycles WHERE center_id = $1 AND first_year <= $2 AND last_year >= $2 \
         UNION ALL SELECT 'projects', '', 0, 0, COUNT(*) FROM projects WHERE center_id = $1 AND deleted_at IS NULL \
           AND start_date >= COALESCE(({cycle}), $5) AND start_date <= $4 AND status IN ({statuses}) \
         UNION ALL SELECT 'members', '', 0, SUM(CASE WHEN org_kind IN ({kinds}) THEN 1 ELSE 0 END), COUNT(*) FROM memberships \
           WHERE center_id = $1 AND deleted_at IS NULL AND joined_on <= $4 AND (left_on IS NULL OR left_on > $4) \
         UNION ALL SELECT 'smes', '', 0, 0, COUNT(DISTINCT seo.organization_id) FROM service_event_organizations seo \
           JOIN service_events e ON e.id = seo.event_id JOIN organizations o ON o.id = seo.organization_id \
           WHERE e.center_id = $1 AND e.deleted_at IS NULL AND e.event_date >= $3 AND e.event_date <= $4 AND o.flag_tech_sme = $6 \
         UNION ALL SELECT 'events', kind, 0, 0, COUNT(*) FROM service_events \
           WHERE center_id = $1 AND deleted_at IS NULL AND event_date >= $3 AND event_date <= $4 GROUP BY kind"
    );
    let mut figures = Figures::default();
    for kind in TransactionKind::ALL {
        figures
            .amount_by_kind
            .insert(kind.as_str(), Yuan::default());
    }
    let mut cycle_start = None;
    for row in query(db, &sql, params).await? {
        let metric: String = row.try_get("", "metric")?;
        let label: String = row
            .try_get::<Option<String>>("", "label")?
            .unwrap_or_default();
        let amount: i64 = row.try_get::<Option<i64>>("", "amount")?.unwrap_or(0);
        let n: i64 = row.try_get("", "n")?;
        match metric.as_str() {
            "deal" => {
                let total = Yuan::from_fen(amount).unwrap_or_default();
                figures.transaction_count += n;
                if let Some(kind) = parse_enum::<TransactionKind>(&label) {
                    let slot = figures.amount_by_kind.entry(kind.as_str()).or_default();
                    *slot = slot.checked_add(total).unwrap_or(*slot);
                }
                figures.operation_amount = figures
                    .operation_amount
                    .checked_add(total)
                    .unwrap_or(figures.operation_amount);
                if row.try_get::<i32>("", "flag")? == 1 {
                    figures.related_party_amount = figures
                        .related_party_amount
                        .checked_add(total)
                        .unwrap_or(figures.related_party_amount);
                }
            }
            "cycle" => cycle_start = NaiveDate::parse_from_str(&label, "%Y-%m-%d").ok(),
            "projects" => figures.projects_cumulative = n,
            "members" => {
                figures.alliance_counting_members = amount;
                figures.alliance_members = n;
            }
            "smes" => figures.tech_smes_served = n,
            "events" => {
                figures.events_by_kind.insert(label, n);
            }
            _ => {}
        }
    }
    Ok((figures, cycle_start))
}

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

/// Everything the metrics route shows for one center and year.
pub struct Metrics {
    pub year: i32,
    pub as_of: NaiveDate,
    pub rulebook: RulebookVersion,
    pub cycle_start: Option<NaiveDate>,
    pub figures: Figures,
    pub verdicts: Vec<Verdict>,
}

/// Evaluates `center` for `year` as of its evaluation date under the rulebook in force then;
/// the figures come from `cache` while the center's records are unchanged.
#[tracing::instrument(skip_all, fields(center = center.id, year))]
pub async fn evaluate(
    db: &impl ConnectionTrait,
    rulebook: &rulebook::RulebookCache,
    cache: &FiguresCache,
    center: &centers::Model,
    host: Option<&organizations::Model>,
    year: i32,
    today: NaiveDate,
) -> Result<Metrics, AppError> {
    let as_of = evaluation_date(year, today)?;
    let rulebook = rulebook.in_force_on(db, as_of).await?;
    let key = FiguresKey {
        center_id: center.id,
        year,
        as_of,
        rulebook_version: rulebook.version,
    };
    let computed = match cache.full.get(&key, &center.figures_version) {
        Some(hit) => hit,
        None => {
            let fresh =
                std::sync::Arc::new(figures(db, center.id, year, as_of, &rulebook.rules).await?);
            cache.full.keep(key, center.figures_version, fresh.clone());
            fresh
        }
    };
    let (figures, cycle_start) = (computed.0.clone(), computed.1);
    let verdicts = vec![
        operation_scale(&rulebook.rules, &figures),
        alliance_size(&rulebook.rules, &figures),
        host_eligible(&rulebook.rules, &center.level, host),
    ];
    Ok(Metrics {
        year,
        as_of,
        rulebook,
        cycle_start,
        figures,
        verdicts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn future_years_are_refused() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        assert_eq!(evaluation_date(2026, today).unwrap(), today);
        assert_eq!(
            evaluation_date(2025, today).unwrap(),
            NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()
        );
        assert!(evaluation_date(2027, today).is_err());
    }
}
