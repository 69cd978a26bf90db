//! Demo centers already in their cycle, so that the dashboard, the reviews pages and cnipa's home
//! show something to act on: one on track with its last report waiting on cnipa, one with two
//! unqualified years (exit proposed), one local center whose report is overdue. Dates follow the
//! app's clock; added once, when the first of them is missing.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use entities::{annual_report_revisions, annual_reports, centers, cycles, decisions};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use crate::domain::states::DecisionKind;
use crate::domain::{
    ledger::{TransactionInput, TransactionKind, records},
    users,
};
use crate::error::AppError;

/// One demo center in its cycle.
struct Spec {
    name: &'static str,
    level: &'static str,
    industry: &'static str,
    region: &'static str,
    /// Its cycle started on 1 June of this many years ago.
    started_years_ago: i32,
    /// Annual results, by years before this one.
    results: &'static [(i32, &'static str)],
    /// The report of this many years ago is submitted and waits on its review.
    waiting: Option<i32>,
    /// This year's operation amount.
    amount: &'static str,
    /// Whether its alliance has every organization on record and eight more enterprises.
    alliance: bool,
    /// Its staff account (e-mail, name), if it has one.
    staff: Option<(&'static str, &'static str)>,
}

const SPECS: [Spec; 3] = [
    Spec {
        name: "苏州纳米技术产业知识产权运营中心（演示）",
        level: "national",
        industry: "新材料",
        region: "320505",
        started_years_ago: 3,
        results: &[(2, "qualified")],
        waiting: Some(1),
        amount: "5600000.00",
        alliance: true,
        staff: None,
    },
    Spec {
        name: "无锡物联网产业知识产权运营中心（演示）",
        level: "national",
        industry: "新一代信息技术",
        region: "320214",
        started_years_ago: 3,
        results: &[(2, "unqualified"), (1, "unqualified")],
        waiting: None,
        amount: "800000.00",
        alliance: false,
        staff: None,
    },
    Spec {
        name: "南京生物医药产业知识产权运营中心（演示）",
        level: "provincial",
        industry: "生物",
        region: "320106",
        started_years_ago: 2,
        results: &[],
        waiting: None,
        amount: "2100000.00",
        alliance: false,
        staff: Some(("nanjing@demo.ipoc.cn", "吴宁")),
    },
];

/// Adds the demo centers in their cycles (hosted by `host`, their deals with `counterparty`)
/// when the first is missing; returns whether it added them.
pub async fn seed(
    db: &DatabaseConnection,
    host: &entities::organizations::Model,
    counterparty: &str,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    if centers::Entity::find()
        .filter(centers::Column::Name.eq(SPECS[0].name))
        .one(db)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    let Some(cnipa) = users::find_by_email(db, "cnipa@demo.ipoc.cn").await? else {
        return Ok(false);
    };
    let today = crate::clock::china_date(now);
    let this_year = today.year();
    let rulebook = crate::domain::rulebook::RulebookCache::new(std::time::Duration::ZERO);
    let figures = crate::domain::metrics::FiguresCache::new(0);
    for spec in &SPECS {
        let center = centers::ActiveModel {
            name: Set(spec.name.into()),
            level: Set(spec.level.into()),
            industry: Set(spec.industry.into()),
            region_code: Set(spec.region.into()),
            host_organization_id: Set(host.id),
            status: Set(crate::domain::centers::status::ACCREDITED.into()),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        let start_year = this_year - spec.started_years_ago;
        let start = NaiveDate::from_ymd_opt(start_year, 6, 1).unwrap_or(today);
        let (first_year, last_year) = crate::domain::lifecycle::cycles::reporting_years(
            start,
            1,
            crate::domain::rulebook::Rules::policy().cycle_years,
        );
        let cycle = cycles::ActiveModel {
            center_id: Set(center.id),
            number: Set(1),
            start_date: Set(start),
            first_year: Set(first_year),
            last_year: Set(last_year),
            reason: Set(Some("演示数据 / demo".into())),
            created_by: Set(Some(cnipa.id)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        if let Some((email, name)) = spec.staff {
            staff_account(db, center.id, (email, name), now).await?;
        }
        if spec.alliance {
            let joined = NaiveDate::from_ymd_opt(start_year, 1, 10).unwrap_or(today);
            seed_alliance(db, center.id, host.id, joined, cnipa.id, now).await?;
        }
        let filed: Vec<(i32, Option<&str>)> = spec
            .results
            .iter()
            .map(|(ago, result)| (*ago, Some(*result)))
            .chain(spec.waiting.map(|ago| (ago, None)))
            .collect();
        let year_start = NaiveDate::from_ymd_opt(this_year, 1, 1).unwrap_or(today);
        let mut deal_dates = vec![(today - Duration::days(20)).max(year_start)];
        deal_dates.extend(
            filed
                .iter()
                .filter_map(|(ago, _)| NaiveDate::from_ymd_opt(this_year - ago, 6, 30)),
        );
        for date in deal_dates {
            let input = TransactionInput {
                kind: TransactionKind::License,
                amount: spec.amount.into(),
                contract_date: date.to_string(),
                patent_numbers: vec!["201710601862.3".into()],
                counterparty_uscc: vec![counterparty.to_string()],
                contract_no: Some(format!("DEMO-{}-{}", center.id, date.year())),
                related_party: false,
                note: None,
            };
            crate::db::write(db, async |txn| {
                records::create::<records::Deal>(txn, center.id, cnipa.id, input, today, now).await
            })
            .await?;
        }
        for (ago, result) in filed {
            let year = this_year - ago;
            let m = crate::domain::metrics::evaluate(
                db,
                &rulebook,
                &figures,
                &center,
                Some(host),
                year,
                today,
            )
            .await?;
            let frozen = crate::domain::accreditation::frozen_figures(&m);
            file_report(db, &cycle, year, result.is_some(), cnipa.id, &frozen, now).await?;
            if let Some(result) = result {
                decisions::ActiveModel {
                    center_id: Set(center.id),
                    kind: Set(DecisionKind::AnnualResult.as_str().into()),
                    year: Set(Some(year)),
                    result: Set(Some(result.into())),
                    reason: Set(Some("演示数据 / demo".into())),
                    proposed_result: Set(Some(result.into())),
                    rulebook_version: Set(1),
                    decided_by: Set(cnipa.id),
                    decided_at: Set(now),
                    ..Default::default()
                }
                .insert(db)
                .await?;
            }
        }
    }
    Ok(true)
}

/// The staff account `email` of the center `center_id`, with the demo password.
async fn staff_account(
    db: &DatabaseConnection,
    center_id: i32,
    (email, name): (&str, &str),
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if users::find_by_email(db, email).await?.is_some() {
        return Ok(());
    }
    let password_hash = crate::auth::password::hash(super::demo::DEMO_PASSWORD.to_string()).await?;
    let account = users::Account {
        email: email.to_string(),
        name: name.to_string(),
        password_hash,
        role: users::Role::Center,
        organization_id: None,
        center_id: Some(center_id),
        region_code: None,
    };
    users::insert_seeded(db, account, now).await.map(drop)
}

/// A submitted (or, once its result is recorded, decided) report of `year` with one revision
/// holding the year's `frozen` figures.
async fn file_report(
    db: &DatabaseConnection,
    cycle: &cycles::Model,
    year: i32,
    decided: bool,
    by: i32,
    frozen: &serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let narratives = r#"{"operations":"年度转让许可及作价入股","key_tasks":"完成专项行动重点任务","sme_service":"服务科技型中小企业","chain_support":"支撑产业链关键环节"}"#;
    let report = annual_reports::ActiveModel {
        center_id: Set(cycle.center_id),
        cycle_id: Set(cycle.id),
        year: Set(year),
        status: Set(if decided { "decided" } else { "submitted" }.into()),
        narratives: Set(narratives.into()),
        nothing_to_report: Set("[]".into()),
        revision: Set(1),
        version: Set(2),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    annual_report_revisions::ActiveModel {
        report_id: Set(report.id),
        revision: Set(1),
        narratives: Set(narratives.into()),
        nothing_to_report: Set("[]".into()),
        snapshot: Set(frozen.to_string()),
        rulebook_version: Set(1),
        submitted_by: Set(by),
        submitted_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// An alliance of every organization on record but the host, and eight more enterprises.
async fn seed_alliance(
    db: &DatabaseConnection,
    center_id: i32,
    host_id: i32,
    joined: NaiveDate,
    by: i32,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use crate::domain::{
        identifiers::{RegionCode, with_check_character},
        organizations::{self, NewOrganization, OrgKind},
    };
    // every Jiangsu organization on record (the experts' organizations are elsewhere)
    let mut members: Vec<i32> = entities::organizations::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .filter(|o| o.id != host_id && o.region_code.starts_with("32"))
        .map(|o| o.id)
        .collect();
    for n in 0..8u32 {
        let body = format!("913205057100000{n:02}");
        let uscc = with_check_character(&body)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("bad demo code {body}")))?;
        let org = organizations::insert(
            db,
            NewOrganization {
                uscc,
                name: format!("苏州纳米示范企业{}", n + 1),
                kind: OrgKind::Enterprise,
                region: RegionCode::parse("320505").map_err(|e| AppError::Internal(e.into()))?,
                flags: Vec::new(),
                uscc_check_override_reason: None,
            },
            now,
        )
        .await?;
        members.push(org.id);
    }
    for organization_id in members {
        crate::domain::alliance::insert_membership(
            db,
            center_id,
            organization_id,
            joined.into(),
            by,
            None,
            now,
        )
        .await?;
    }
    Ok(())
}
