//! `ipoc seed --scale market` (benchmarks only): 1,000,000 listings and 100,000 demands over the
//! national organizations, their Chinese titles and abstracts generated from the technical
//! dictionary's words of each industry. Rows go in directly; `ipoc search rebuild` indexes them.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use entities::{demands, organizations, patent_listings as listings};
use rand::{Rng, SeedableRng, rngs::StdRng};
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect, Set,
};

use super::rows::insert_batches;
use crate::{domain::identifiers::PatentNumber, error::AppError};

/// How many listings and demands the market data set holds.
pub struct MarketScale {
    pub listings: usize,
    pub demands: usize,
}

/// The benchmarks' market.
pub const MARKET: MarketScale = MarketScale {
    listings: 1_000_000,
    demands: 100_000,
};

/// The technical words of each industry: the dictionary's sections.
fn vocabulary() -> Vec<(String, Vec<String>)> {
    let mut sections: Vec<(String, Vec<String>)> = Vec::new();
    for line in crate::search::text::DICTIONARY
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        match line.strip_prefix("# ") {
            Some(name) if !name.contains('：') => sections.push((name.to_string(), Vec::new())),
            Some(_) => {}
            None => {
                if let Some((_, words)) = sections.last_mut() {
                    words.extend(line.split_whitespace().next().map(str::to_string));
                }
            }
        }
    }
    sections.retain(|(_, words)| words.len() >= 6);
    sections
}

const FORMS: [&str; 8] = [
    "制备方法",
    "装置",
    "系统",
    "复合结构",
    "检测方法",
    "控制方法",
    "生产工艺",
    "组件",
];
const EFFECTS: [&str; 8] = [
    "提高了效率",
    "降低了成本",
    "延长了寿命",
    "提升了稳定性",
    "减少了能耗",
    "提高了精度",
    "简化了工艺",
    "增强了安全性",
];
const SCENES: [&str; 6] = [
    "适用于规模化生产",
    "可用于工业现场",
    "适合批量制造",
    "便于推广应用",
    "满足车规要求",
    "可在线实时监测",
];

/// A sentence of `words` picked at random.
fn pick<'a>(rng: &mut StdRng, words: &'a [String]) -> &'a str {
    &words[rng.random_range(0..words.len())]
}

/// Generates the market data set once (refused when listings already exist).
pub async fn seed(
    db: &DatabaseConnection,
    scale: &MarketScale,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    if listings::Entity::find().count(db).await? > 0 {
        return Ok("market data already present; nothing added".into());
    }
    let owners: Vec<(i32, String)> = organizations::Entity::find()
        .select_only()
        .columns([organizations::Column::Id, organizations::Column::Kind])
        .filter(organizations::Column::Kind.is_in([
            "university",
            "research_institute",
            "enterprise",
        ]))
        .into_tuple()
        .all(db)
        .await?;
    let enterprises: Vec<i32> = owners
        .iter()
        .filter(|(_, k)| k == "enterprise")
        .map(|(id, _)| *id)
        .collect();
    if owners.is_empty() || enterprises.is_empty() {
        return Ok("no organizations: run `ipoc seed --scale national` first".into());
    }
    let vocabulary = vocabulary();
    let mut rng = StdRng::seed_from_u64(20_261_207);
    let modes = [
        "[\"transfer\"]",
        "[\"license\"]",
        "[\"transfer\",\"license\"]",
        "[\"license\",\"joint_rd\"]",
        "[\"capital_contribution\"]",
    ];
    let mut batch = Vec::with_capacity(10_000);
    for n in 0..scale.listings {
        let (industry, words) = &vocabulary[n % vocabulary.len()];
        let (a, b, c) = (
            pick(&mut rng, words).to_string(),
            pick(&mut rng, words).to_string(),
            pick(&mut rng, words).to_string(),
        );
        let year = 2012 + (n % 13) as i32;
        let body = format!("{year}{}{:07}", [1, 1, 2][n % 3], n);
        let number = PatentNumber::from_body(&body)
            .map(|p| p.to_string())
            .unwrap_or_default();
        let granted = NaiveDate::from_ymd_opt(year + 2, 1 + (n % 12) as u32, 1 + (n % 28) as u32)
            .filter(|d| *d <= today);
        let owner = owners[rng.random_range(0..owners.len())].0;
        batch.push(listings::ActiveModel {
            id: NotSet,
            application_number: Set(number),
            title: Set(format!("一种基于{a}的{b}{}", FORMS[n % FORMS.len()])),
            abstract_text: Set(format!(
                "本发明公开了一种{b}{}，将{a}与{c}相结合，{}，{}。{}。",
                FORMS[(n / 7) % FORMS.len()],
                EFFECTS[n % EFFECTS.len()],
                EFFECTS[(n / 3) % EFFECTS.len()],
                SCENES[n % SCENES.len()]
            )),
            claims: Set(None),
            ipc: Set(format!(
                "[\"{}\"]",
                [
                    "H01M 4/36",
                    "C09D 5/08",
                    "G06T 7/00",
                    "B25J 9/16",
                    "A61K 39/00",
                    "H02J 7/00",
                    "B01D 53/50",
                    "G01N 21/88"
                ][n % 8]
            )),
            patent_type: Set(if n % 3 == 2 {
                "utility_model"
            } else {
                "invention"
            }
            .into()),
            owner_organization_id: Set(owner),
            co_owner_uscc: Set("[]".into()),
            inventors: Set("[]".into()),
            application_date: Set(NaiveDate::from_ymd_opt(year, 3, 1)),
            grant_date: Set(granted),
            legal_status: Set(if granted.is_some() {
                "granted"
            } else {
                "pending"
            }
            .into()),
            legal_status_since: Set(granted.unwrap_or(today)),
            annual_fee_paid_until: Set(None),
            industry: Set(industry.clone()),
            maturity: Set(Some(1 + (n % 9) as i32)),
            offered_modes: Set(modes[n % modes.len()].into()),
            asking_price_fen: Set(Some(rng.random_range(10..500) * 1_000_000)),
            contact_name: Set(Some("联系人".into())),
            contact_phone: Set(None),
            contact_email: Set(None),
            status: Set("listed".into()),
            import_id: Set(None),
            listed_by: Set(1),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        });
        if batch.len() == batch.capacity() {
            insert_batches(db, std::mem::take(&mut batch)).await?;
        }
    }
    insert_batches(db, batch).await?;
    let mut demand_rows = Vec::with_capacity(scale.demands);
    for n in 0..scale.demands {
        let (industry, words) = &vocabulary[n % vocabulary.len()];
        let (a, b) = (
            pick(&mut rng, words).to_string(),
            pick(&mut rng, words).to_string(),
        );
        demand_rows.push(demands::ActiveModel {
            id: NotSet,
            member_organization_id: Set(enterprises[rng.random_range(0..enterprises.len())]),
            title: Set(format!("寻求{a}{}技术", FORMS[n % FORMS.len()])),
            description: Set(format!(
                "我司在{b}环节遇到瓶颈，希望引进{a}相关专利，{}。",
                EFFECTS[n % EFFECTS.len()]
            )),
            industry: Set(industry.clone()),
            ipc: Set("[]".into()),
            keywords: Set(format!("[\"{a}\",\"{b}\"]")),
            wanted_mode: Set(["transfer", "license", "joint_rd", "commissioned_rd"][n % 4].into()),
            budget_min_fen: Set(None),
            budget_max_fen: Set(Some(rng.random_range(50..1_000) * 1_000_000)),
            valid_until: Set(today + Duration::days(30 + (n % 300) as i64)),
            visibility: Set(if n % 2 == 0 { "platform" } else { "alliance" }.into()),
            anonymous: Set(n % 5 == 0),
            contact_name: Set(None),
            contact_phone: Set(None),
            contact_email: Set(None),
            status: Set("open".into()),
            registered_by: Set(1),
            on_behalf_center_id: Set(None),
            expiry_mailed_for: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        });
    }
    insert_batches(db, demand_rows).await?;
    Ok(format!(
        "market data: {} listings and {} demands; index them with `ipoc search rebuild`",
        scale.listings, scale.demands
    ))
}
