//! Demo data of the market: listings of the demo center's university, institute and enterprise,
//! and demands of its enterprise, registered through the domain's own commands by the center's
//! staff. Added once, while the library is empty.

use chrono::{DateTime, Utc};
use entities::patent_listings;
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

use crate::{
    auth::CurrentUser,
    domain::{
        identifiers::PatentNumber,
        market::{ListingInput, OfferedMode, demands, listings},
        users::{self, Role},
    },
    error::AppError,
};

/// `(number body, title, abstract, main IPC, the owner code's first 17 characters, grant date, modes, maturity, price)`.
type DemoListing = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [OfferedMode],
    i32,
    &'static str,
);

const LISTINGS: [DemoListing; 4] = [
    (
        "201810234567",
        "一种高首效硅碳复合负极材料及其制备方法",
        "以多孔碳为骨架包覆纳米硅，首次库伦效率达 89%，循环 500 次容量保持率 85%，适用于动力锂离子电池。",
        "H01M 4/36",
        "12320000466000001",
        "2021-06-18",
        &[OfferedMode::Transfer, OfferedMode::License],
        6,
        "1200000",
    ),
    (
        "201910456789",
        "一种耐盐雾纳米复合防腐涂层",
        "环氧树脂中分散改性石墨烯片层，中性盐雾试验 3000 小时无锈蚀，用于海上风电塔筒与船舶。",
        "C09D 163/00",
        "12320000466000002",
        "2022-03-09",
        &[OfferedMode::License, OfferedMode::JointRd],
        5,
        "",
    ),
    (
        "202010678901",
        "柔性钙钛矿薄膜太阳能电池的低温制备方法",
        "在 120 ℃以下连续涂布制备钙钛矿吸光层，柔性组件光电转换效率 18.6%，可弯折 5000 次。",
        "H10K 30/40",
        "12320000466000001",
        "2023-01-17",
        &[OfferedMode::Transfer, OfferedMode::CapitalContribution],
        4,
        "3000000",
    ),
    (
        "202120890123",
        "一种用于电池极片的视觉缺陷检测装置",
        "线阵相机与深度学习模型结合，在线识别极片划痕、漏箔和颗粒，检出率 99.2%。",
        "G01N 21/88",
        "91320594100000003",
        "2022-02-25",
        &[OfferedMode::License],
        7,
        "300000",
    ),
];

/// Lists the demo patents and registers the demo demands once, as the demo center's staff.
pub async fn seed(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<bool, AppError> {
    if patent_listings::Entity::find().count(db).await? > 0 {
        return Ok(false);
    }
    let Some(staff) = users::find_by_email(db, "center@demo.ipoc.cn").await? else {
        return Ok(false);
    };
    let staff = CurrentUser {
        id: staff.id,
        email: staff.email,
        role: Role::Center,
        organization_id: staff.organization_id,
        center_id: staff.center_id,
        region_code: staff.region_code,
    };
    let today = crate::clock::china_date(now);
    crate::db::write(db, async |txn| {
        for (body, title, text, ipc, owner, granted, modes, maturity, price) in LISTINGS {
            let number = PatentNumber::from_body(body)
                .ok_or_else(|| AppError::Internal(anyhow::anyhow!("bad demo number {body}")))?;
            let input = ListingInput {
                application_number: number.to_string(),
                title: title.into(),
                abstract_text: text.into(),
                ipc: vec![ipc.into()],
                owner_uscc: crate::domain::identifiers::with_check_character(owner)
                    .map(|code| code.to_string()),
                industry: "新材料".into(),
                legal_status: Some(crate::domain::market::LegalStatus::Granted),
                grant_date: Some(granted.into()),
                annual_fee_paid_until: Some("2027-06-30".into()),
                offered_modes: modes.to_vec(),
                maturity: Some(maturity),
                asking_price: Some(price.to_string()).filter(|p| !p.is_empty()),
                ..Default::default()
            };
            listings::create(txn, &staff, &input, (today, now)).await?;
        }
        for (title, text, mode, visibility, anonymous) in DEMANDS {
            let input = demands::DemandInput {
                title: title.into(),
                description: text.into(),
                industry: "新材料".into(),
                keywords: vec![],
                wanted_mode: Some(mode),
                budget_min: Some("500000".into()),
                budget_max: Some("2000000".into()),
                valid_until: (today + chrono::Duration::days(180)).to_string(),
                visibility: Some(visibility),
                anonymous,
                member_uscc: Some("91320594100000003K".into()),
                ..Default::default()
            };
            demands::create(txn, &staff, &input, (today, now)).await?;
        }
        Ok(true)
    })
    .await
}

/// `(title, description, wanted mode, visibility, anonymous)` of the demo enterprise's demands.
const DEMANDS: [(&str, &str, demands::WantedMode, demands::Visibility, bool); 2] = [
    (
        "寻求首次效率高于 88% 的硅碳负极量产工艺",
        "我司动力电池产线需要首次效率高于 88%、循环稳定的负极材料，希望受让成熟专利并获得工艺指导。",
        demands::WantedMode::Transfer,
        demands::Visibility::Alliance,
        false,
    ),
    (
        "征集海上风电设备长效防腐涂层合作",
        "海上风电塔筒防腐维护成本高，希望与高校院所合作研发耐盐雾 3000 小时以上的涂层体系。",
        demands::WantedMode::JointRd,
        demands::Visibility::Platform,
        true,
    ),
];
