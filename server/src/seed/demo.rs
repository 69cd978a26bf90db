//! Demo data: one account per role and a handful of organizations. Idempotent: what exists is
//! kept, only what is missing is added; everything is dated by the app's clock.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use serde_json::json;

use crate::domain::{
    audit::AuditEntry,
    identifiers::{RegionCode, with_check_character},
    organizations::{self, NewOrganization, OrgFlag, OrgKind},
    users::{self, Role},
};
use crate::{auth::password, error::AppError};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "ipoc-demo-2026";

/// Demo organizations: the first 17 characters of the USCC, name, kind, region, flags.
/// The last three, outside Jiangsu, employ the experts who review the Jiangsu demo centers.
const ORGANIZATIONS: [(&str, &str, OrgKind, &str, &[OrgFlag]); 10] = [
    (
        "91320500100000001",
        "江苏新材科技集团有限公司",
        OrgKind::Enterprise,
        "320500",
        &[OrgFlag::Leading, OrgFlag::HighTech],
    ),
    (
        "12320000466000001",
        "苏州大学",
        OrgKind::University,
        "320508",
        &[],
    ),
    (
        "12320000466000002",
        "江苏省材料科学研究院",
        OrgKind::ResearchInstitute,
        "320102",
        &[],
    ),
    (
        "91320594100000003",
        "苏州纳米新材料有限公司",
        OrgKind::Enterprise,
        "320594",
        &[OrgFlag::TechSme, OrgFlag::Specialized],
    ),
    (
        "91320505100000004",
        "苏州知识产权服务有限公司",
        OrgKind::ServiceAgency,
        "320505",
        &[],
    ),
    (
        "11320500000000005",
        "苏州工业园区管理委员会",
        OrgKind::IndustrialPark,
        "320571",
        &[OrgFlag::NationalLevel],
    ),
    (
        "91320100100000006",
        "南京高分子材料有限公司",
        OrgKind::Enterprise,
        "320115",
        &[OrgFlag::TechSme, OrgFlag::HighTech],
    ),
    (
        "12330000470003007",
        "浙江大学",
        OrgKind::University,
        "330106",
        &[],
    ),
    (
        "12310000425004008",
        "上海交通大学",
        OrgKind::University,
        "310104",
        &[],
    ),
    (
        "12330000717000009",
        "中国科学院宁波材料技术与工程研究所",
        OrgKind::ResearchInstitute,
        "330211",
        &[],
    ),
];

type DemoAccount = (
    &'static str,
    &'static str,
    Role,
    Option<usize>,
    Option<&'static str>,
);

/// Demo accounts: e-mail, name, role, index of its organization, jurisdiction. Three experts
/// work outside the demo alliances; the fourth works for one of their members (a conflict).
const ACCOUNTS: [DemoAccount; 9] = [
    ("admin@demo.ipoc.cn", "系统管理员", Role::Admin, None, None),
    ("cnipa@demo.ipoc.cn", "刘审核", Role::Cnipa, None, None),
    ("expert@demo.ipoc.cn", "王明", Role::Expert, Some(7), None),
    ("expert2@demo.ipoc.cn", "李静", Role::Expert, Some(8), None),
    ("expert3@demo.ipoc.cn", "陈涛", Role::Expert, Some(9), None),
    ("expert4@demo.ipoc.cn", "赵磊", Role::Expert, Some(2), None),
    (
        "local@demo.ipoc.cn",
        "江苏省知识产权局",
        Role::LocalOffice,
        None,
        Some("320000"),
    ),
    ("center@demo.ipoc.cn", "周运营", Role::Center, Some(0), None),
    ("member@demo.ipoc.cn", "孙会员", Role::Member, Some(3), None),
];

/// What a seeding run added.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub organizations_added: usize,
    pub users_added: usize,
    pub center_added: bool,
    /// The demo centers in their cycles (reports, results, proposals) were added.
    pub reviewed_centers_added: bool,
    /// The demo listings and demands were added.
    pub market_added: bool,
}

/// Adds the demo organizations and accounts that are missing, in one transaction with one audit
/// row (none when nothing was missing).
#[tracing::instrument(skip_all)]
pub async fn seed(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<SeedReport, AppError> {
    let mut report = SeedReport::default();
    crate::db::write(db, async |txn| {
        let mut org_ids = Vec::new();
        for (body, name, kind, region, flags) in ORGANIZATIONS {
            let uscc = with_check_character(body)
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("bad demo code {body}")))?;
            let org = match organizations::find_by_uscc(txn, &uscc).await? {
                Some(existing) => existing,
                None => {
                    report.organizations_added += 1;
                    let region = RegionCode::parse(region).map_err(|e| AppError::Internal(e.into()))?;
                    let new = NewOrganization {
                        uscc,
                        name: name.to_string(),
                        kind,
                        region,
                        flags: flags.to_vec(),
                        uscc_check_override_reason: None,
                    };
                    organizations::insert(txn, new, now).await?
                }
            };
            org_ids.push(org.id);
        }
        let mut demo_hash = None;
        for (email, name, role, org_index, region) in ACCOUNTS {
            if users::find_by_email(txn, email).await?.is_some() {
                continue;
            }
            let hash = match &demo_hash {
                Some(hash) => String::clone(hash),
                None => demo_hash
                    .insert(password::hash(DEMO_PASSWORD.to_string()).await?)
                    .clone(),
            };
            let organization_id = org_index.and_then(|i| org_ids.get(i).copied());
            let account = users::Account {
                email: email.to_string(),
                name: name.to_string(),
                password_hash: hash,
                role,
                organization_id,
                center_id: None,
                region_code: region.map(str::to_string),
            };
            users::insert_seeded(txn, account, now).await?;
            report.users_added += 1;
        }
        if report != SeedReport::default() {
            AuditEntry {
                actor_user_id: None,
                action: "demo.seed",
                entity: "demo",
                entity_id: None,
                before: None,
                after: Some(json!({"organizations_added": report.organizations_added, "users_added": report.users_added})),
            }
            .write(txn, now)
            .await?;
        }
        Ok(())
    })
    .await?;
    report.center_added = seed_center(db, now).await?;
    let host = organizations::find_by_uscc(db, &demo_code(ORGANIZATIONS[0].0)?).await?;
    if let Some(host) = host {
        let counterparty = demo_code(ORGANIZATIONS[1].0)?.to_string();
        report.reviewed_centers_added =
            super::demo_reviews::seed(db, &host, &counterparty, now).await?;
    }
    report.market_added = super::demo_market::seed(db, now).await?;
    Ok(report)
}

/// The full code of a demo organization from its first 17 characters.
fn demo_code(body: &str) -> Result<crate::domain::identifiers::Uscc, AppError> {
    with_check_character(body)
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("bad demo code {body}")))
}

/// The demo center's name (how seeding recognises it).
pub const DEMO_CENTER: &str = "江苏新材料产业知识产权运营中心（演示）";

/// A demo center run by `center@demo.ipoc.cn`, part of the way to each threshold: an alliance of
/// twelve counting members and a service agency, a few deals and projects of this year, all dated
/// before today. Added once, when no center of that name exists.
async fn seed_center(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<bool, AppError> {
    use chrono::{Datelike, Duration};
    use entities::{centers, users as user_entity};
    use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, sea_query::Expr};

    use crate::domain::ledger::{
        ProjectInput, ProjectKind, ProjectStatus, TransactionInput, TransactionKind, records,
    };

    if centers::Entity::find()
        .filter(centers::Column::Name.eq(DEMO_CENTER))
        .one(db)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    let Some(staff) = users::find_by_email(db, "center@demo.ipoc.cn")
        .await?
        .filter(|u| u.center_id.is_none())
    else {
        return Ok(false);
    };
    let code = |body: &str| {
        with_check_character(body)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("bad demo code {body}")))
    };
    let host = organizations::find_by_uscc(db, &code(ORGANIZATIONS[0].0)?)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = crate::clock::china_date(now);
    let center = crate::db::write(db, async |txn| {
        let center = centers::ActiveModel {
            name: Set(DEMO_CENTER.into()),
            level: Set("national".into()),
            industry: Set("新材料".into()),
            region_code: Set("320505".into()),
            host_organization_id: Set(host.id),
            status: Set(crate::domain::centers::status::DRAFT.into()),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        user_entity::Entity::update_many()
            .col_expr(user_entity::Column::CenterId, Expr::value(center.id))
            .filter(user_entity::Column::Id.eq(staff.id))
            .exec(txn)
            .await?;
        let joined = today - Duration::days(200);
        for (body, ..) in &ORGANIZATIONS[1..5] {
            let org = organizations::find_by_uscc(txn, &code(body)?)
                .await?
                .ok_or(AppError::NotFound)?;
            crate::domain::alliance::insert_membership(
                txn,
                center.id,
                org.id,
                joined.into(),
                staff.id,
                None,
                now,
            )
            .await?;
        }
        for n in 0..9u32 {
            let org = organizations::insert(
                txn,
                NewOrganization {
                    uscc: code(&format!("913205057000000{n:02}"))?,
                    name: format!("苏州示范新材料企业{}", n + 1),
                    kind: OrgKind::Enterprise,
                    region: RegionCode::parse("320506")
                        .map_err(|e| AppError::Internal(e.into()))?,
                    flags: if n % 2 == 0 {
                        vec![OrgFlag::TechSme]
                    } else {
                        Vec::new()
                    },
                    uscc_check_override_reason: None,
                },
                now,
            )
            .await?;
            crate::domain::alliance::insert_membership(
                txn,
                center.id,
                org.id,
                (joined + Duration::days(i64::from(n) * 7)).into(),
                staff.id,
                None,
                now,
            )
            .await?;
        }
        AuditEntry {
            actor_user_id: None,
            action: "demo.seed_center",
            entity: "center",
            entity_id: Some(center.id.to_string()),
            before: None,
            after: Some(json!({"name": DEMO_CENTER})),
        }
        .write(txn, now)
        .await?;
        Ok(center)
    })
    .await?;
    let counterparty = code(ORGANIZATIONS[1].0)?.to_string();
    let year_start = chrono::NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let deals = [
        (TransactionKind::License, "850000.00", 30),
        (TransactionKind::Transfer, "1200000.00", 75),
        (TransactionKind::CapitalContribution, "960000.00", 120),
        (TransactionKind::Financing, "300000.00", 160),
    ];
    for (kind, amount, days_ago) in deals {
        let date = (today - Duration::days(days_ago)).max(year_start);
        let input = TransactionInput {
            kind,
            amount: amount.into(),
            contract_date: date.to_string(),
            patent_numbers: vec!["201710601862.3".into()],
            counterparty_uscc: vec![counterparty.clone()],
            contract_no: Some(format!("SZ-{}-{days_ago}", today.year())),
            related_party: false,
            note: None,
        };
        crate::db::write(db, async |txn| {
            records::create::<records::Deal>(txn, center.id, staff.id, input, today, now).await
        })
        .await?;
    }
    for (n, status) in [
        ProjectStatus::Running,
        ProjectStatus::Completed,
        ProjectStatus::Running,
        ProjectStatus::Stopped,
        ProjectStatus::Running,
        ProjectStatus::Planned,
    ]
    .into_iter()
    .enumerate()
    {
        let start = (today - Duration::days(40 + 25 * n as i64)).max(year_start);
        let input = ProjectInput {
            kind: if n % 2 == 0 {
                ProjectKind::Conversion
            } else {
                ProjectKind::Industrialization
            },
            name: format!("高性能复合材料专利转化项目{}", n + 1),
            start_date: start.to_string(),
            status,
            patent_numbers: vec!["201710601862.3".into()],
            partner_uscc: vec![counterparty.clone()],
        };
        crate::db::write(db, async |txn| {
            records::create::<records::Project>(txn, center.id, staff.id, input, today, now).await
        })
        .await?;
    }
    Ok(true)
}
