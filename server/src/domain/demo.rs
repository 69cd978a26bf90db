//! Demo data: one account per role and a handful of organizations. Idempotent: what exists is
//! kept, only what is missing is added; everything is dated by the app's clock.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use serde_json::json;

use super::{
    audit::AuditEntry,
    identifiers::{RegionCode, with_check_character},
    organizations::{self, NewOrganization, OrgFlag, OrgKind},
    users::{self, Role},
};
use crate::{auth::password, error::AppError};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "ipoc-demo-2026";

/// Demo organizations: the first 17 characters of the USCC, name, kind, region, flags.
const ORGANIZATIONS: [(&str, &str, OrgKind, &str, &[OrgFlag]); 7] = [
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
];

/// Demo accounts: e-mail, role, index of its organization, jurisdiction.
const ACCOUNTS: [(&str, Role, Option<usize>, Option<&str>); 6] = [
    ("admin@demo.ipoc.cn", Role::Admin, None, None),
    ("cnipa@demo.ipoc.cn", Role::Cnipa, None, None),
    ("expert@demo.ipoc.cn", Role::Expert, Some(2), None),
    (
        "local@demo.ipoc.cn",
        Role::LocalOffice,
        None,
        Some("320000"),
    ),
    ("center@demo.ipoc.cn", Role::Center, Some(0), None),
    ("member@demo.ipoc.cn", Role::Member, Some(3), None),
];

/// What a seeding run added.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub organizations_added: usize,
    pub users_added: usize,
}

/// Adds the demo organizations and accounts that are missing, in one transaction with one audit
/// row (none when nothing was missing).
#[tracing::instrument(skip_all)]
pub async fn seed(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<SeedReport, AppError> {
    let mut report = SeedReport::default();
    let txn = crate::db::write_txn(db).await?;
    let mut org_ids = Vec::new();
    for (body, name, kind, region, flags) in ORGANIZATIONS {
        let uscc = with_check_character(body)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("bad demo code {body}")))?;
        let org = match organizations::find_by_uscc(&txn, &uscc).await? {
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
                organizations::insert(&txn, new, now).await?
            }
        };
        org_ids.push(org.id);
    }
    let mut demo_hash = None;
    for (email, role, org_index, region) in ACCOUNTS {
        if users::find_by_email(&txn, email).await?.is_some() {
            continue;
        }
        let hash = match &demo_hash {
            Some(hash) => String::clone(hash),
            None => demo_hash
                .insert(password::hash(DEMO_PASSWORD.to_string()).await?)
                .clone(),
        };
        let organization_id = org_index.and_then(|i| org_ids.get(i).copied());
        users::insert_seeded(
            &txn,
            email,
            hash,
            role,
            organization_id,
            region.map(str::to_string),
            now,
        )
        .await?;
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
        .write(&txn, now)
        .await?;
    }
    txn.commit().await?;
    Ok(report)
}
