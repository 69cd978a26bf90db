//! `ipoc seed --scale national`: a national-scale data set for benchmarks — 1,000 centers, 50,000
//! organizations, 100,000 memberships, 1,000,000 deals over three years and 30,000 projects, with
//! valid identifiers and uneven, realistic spreads. Deterministic (fixed random seed); refuses to
//! run twice on one database.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use entities::{
    centers, cycles, memberships, organizations, projects, transaction_patents, transactions,
};
use rand::{Rng, SeedableRng, rngs::StdRng, seq::SliceRandom};
use sea_orm::{ActiveValue::NotSet, DatabaseConnection, EntityTrait, PaginatorTrait, Set};

use crate::{
    domain::{
        identifiers::{PROVINCES, PatentNumber, with_check_character},
        ledger::to_json_list,
        users::{self, NewUserInput, Role},
    },
    error::AppError,
};

/// How much to generate.
pub struct Scale {
    pub centers: usize,
    pub organizations: usize,
    pub memberships_per_center: usize,
    pub transactions: usize,
    pub projects: usize,
}

/// The national data set of the benchmarks.
pub const NATIONAL: Scale = Scale {
    centers: 1_000,
    organizations: 50_000,
    memberships_per_center: 100,
    transactions: 1_000_000,
    projects: 30_000,
};

/// The account the benchmarks read with (a `cnipa` user reads every center).
pub const BENCH_EMAIL: &str = "bench-cnipa@ipoc.local";
/// Its password.
pub const BENCH_PASSWORD: &str = "ipoc-bench-2026";

const INDUSTRIES: [&str; 9] = [
    "新一代信息技术",
    "高端装备制造",
    "新材料",
    "生物",
    "新能源汽车",
    "新能源",
    "节能环保",
    "数字创意",
    "相关服务业",
];
const BATCH: usize = 1_000;

fn region(rng: &mut StdRng) -> String {
    let province = PROVINCES[rng.random_range(0..31)].0;
    format!(
        "{province}{:02}{:02}",
        rng.random_range(1..20),
        rng.random_range(0..10)
    )
}

fn random_date(rng: &mut StdRng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    from + Duration::days(rng.random_range(0..=(to - from).num_days()))
}

fn patent(rng: &mut StdRng) -> String {
    let body = format!(
        "{}{}{:07}",
        rng.random_range(2012..2025),
        [1, 1, 1, 2, 3][rng.random_range(0..5)],
        rng.random_range(0..10_000_000)
    );
    PatentNumber::from_body(&body)
        .map(|p| p.to_string())
        .unwrap_or_default()
}

async fn insert_batches<A, E>(db: &DatabaseConnection, rows: Vec<A>) -> Result<(), AppError>
where
    A: sea_orm::ActiveModelTrait<Entity = E> + Send,
    E: EntityTrait,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(BATCH).collect();
        E::insert_many(chunk).exec_without_returning(db).await?;
    }
    Ok(())
}

/// Inserts deals in batches, each with its one patent number.
async fn insert_deals(
    db: &DatabaseConnection,
    deals: Vec<transactions::ActiveModel>,
    patents: Vec<String>,
) -> Result<(), AppError> {
    let mut rows = deals.into_iter().zip(patents).peekable();
    while rows.peek().is_some() {
        let (chunk, numbers): (Vec<_>, Vec<_>) = rows.by_ref().take(BATCH).unzip();
        let ids = transactions::Entity::insert_many(chunk)
            .exec_with_returning_keys(db)
            .await?;
        let patent_rows =
            ids.into_iter()
                .zip(numbers)
                .map(|(id, number)| transaction_patents::ActiveModel {
                    transaction_id: Set(id),
                    position: Set(0),
                    patent_number: Set(number),
                });
        transaction_patents::Entity::insert_many(patent_rows)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Generates the data set; `today` bounds every date (nothing after it).
pub async fn seed(
    db: &DatabaseConnection,
    scale: &Scale,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    if centers::Entity::find().count(db).await? >= scale.centers as u64 {
        return Ok("national data already present; nothing added".into());
    }
    let mut rng = StdRng::seed_from_u64(20_261_121);
    let start = NaiveDate::from_ymd_opt(today.year() - 2, 1, 1).unwrap_or(today);

    // organizations: 60 % enterprises, 15 % universities, 15 % institutes, the rest other kinds
    let kinds = [
        "enterprise",
        "enterprise",
        "enterprise",
        "enterprise",
        "enterprise",
        "enterprise",
        "university",
        "research_institute",
        "service_agency",
        "industrial_park",
    ];
    let first_org = organizations::Entity::find().count(db).await? as usize;
    let mut orgs = Vec::with_capacity(scale.organizations);
    let mut org_kinds = Vec::with_capacity(scale.organizations);
    for n in 0..scale.organizations {
        let kind = if n % 20 == 7 {
            "research_institute"
        } else {
            kinds[rng.random_range(0..kinds.len())]
        };
        let region = region(&mut rng);
        let uscc = with_check_character(&format!("91{region}{:09}", first_org + n))
            .map(|u| u.to_string())
            .unwrap_or_default();
        org_kinds.push(kind);
        orgs.push(organizations::ActiveModel {
            id: NotSet,
            uscc: Set(uscc),
            name: Set(format!(
                "{}{}有限公司",
                ["华芯", "中材", "新源", "瑞泰", "博远", "科达"][n % 6],
                n
            )),
            kind: Set(kind.to_string()),
            region_code: Set(region),
            flag_leading: Set(kind == "enterprise" && rng.random_bool(0.08)),
            flag_tech_sme: Set(kind == "enterprise" && rng.random_bool(0.35)),
            flag_high_tech: Set(kind == "enterprise" && rng.random_bool(0.25)),
            flag_specialized: Set(kind == "enterprise" && rng.random_bool(0.1)),
            flag_state_owned: Set(rng.random_bool(0.1)),
            flag_national_level: Set(kind == "industrial_park" && rng.random_bool(0.5)),
            uscc_check_override_reason: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        });
    }
    insert_batches(db, orgs).await?;
    let all_orgs = organizations::Entity::find().all(db).await?;
    let org_ids: Vec<i32> = all_orgs.iter().map(|o| o.id).skip(first_org).collect();
    let org_kind_of: std::collections::HashMap<i32, String> =
        all_orgs.into_iter().map(|o| (o.id, o.kind)).collect();

    // centers, hosted by research institutes (every 20th organization is one)
    let mut center_rows = Vec::with_capacity(scale.centers);
    for c in 0..scale.centers {
        let level = [
            "national",
            "national",
            "provincial",
            "provincial",
            "municipal",
        ][c % 5];
        let status = if c % 10 < 7 { "accredited" } else { "draft" };
        center_rows.push(centers::ActiveModel {
            id: NotSet,
            name: Set(format!("{}产业知识产权运营中心{c}", INDUSTRIES[c % 9])),
            level: Set(level.into()),
            industry: Set(INDUSTRIES[c % 9].into()),
            region_code: Set(region(&mut rng)),
            host_organization_id: Set(org_ids[(c * 20 + 7) % org_ids.len()]),
            status: Set(status.into()),
            version: Set(1),
            figures_version: NotSet,
            lifecycle_version: NotSet,
            created_at: Set(now),
            updated_at: Set(now),
        });
    }
    insert_batches(db, center_rows).await?;
    let center_list = centers::Entity::find().all(db).await?;
    let center_ids: Vec<i32> = center_list
        .iter()
        .rev()
        .take(scale.centers)
        .map(|c| c.id)
        .collect();

    // cycles of the accredited: started the year before the data begins
    let started = NaiveDate::from_ymd_opt(start.year() - 1, 6, 1).unwrap_or(start);
    let (first_year, last_year) = crate::domain::lifecycle::cycles::reporting_years(
        started,
        1,
        crate::domain::rulebook::Rules::policy().cycle_years,
    );
    let cycle_rows: Vec<_> = center_list
        .iter()
        .filter(|c| c.status == "accredited" && center_ids.contains(&c.id))
        .map(|c| cycles::ActiveModel {
            id: NotSet,
            center_id: Set(c.id),
            number: Set(1),
            start_date: Set(started),
            first_year: Set(first_year),
            last_year: Set(last_year),
            reason: Set(Some("seed".into())),
            created_by: Set(None),
            created_at: Set(now),
        })
        .collect();
    insert_batches(db, cycle_rows).await?;

    // memberships: distinct organizations per center, a few withdrawn
    let mut member_rows = Vec::new();
    for &center in &center_ids {
        let mut picks: Vec<i32> = (0..scale.memberships_per_center * 2)
            .map(|_| org_ids[rng.random_range(0..org_ids.len())])
            .collect();
        picks.sort_unstable();
        picks.dedup();
        picks.shuffle(&mut rng);
        for org in picks.into_iter().take(scale.memberships_per_center) {
            let joined = random_date(&mut rng, start - Duration::days(700), today);
            let left = rng
                .random_bool(0.08)
                .then(|| random_date(&mut rng, joined, today));
            member_rows.push(memberships::ActiveModel {
                id: NotSet,
                center_id: Set(center),
                organization_id: Set(org),
                org_kind: Set(org_kind_of[&org].to_string()),
                joined_on: Set(joined),
                left_on: Set(left),
                import_id: Set(None),
                deleted_at: Set(None),
                version: Set(1),
                created_by: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            });
        }
    }
    let mut active: std::collections::HashMap<(i32, String), i64> =
        std::collections::HashMap::new();
    for m in &member_rows {
        if let (
            sea_orm::ActiveValue::Set(center),
            sea_orm::ActiveValue::Set(kind),
            sea_orm::ActiveValue::Set(None),
        ) = (&m.center_id, &m.org_kind, &m.left_on)
        {
            *active.entry((*center, kind.clone())).or_default() += 1;
        }
    }
    insert_batches(db, member_rows).await?;
    for ((center, kind), count) in active {
        crate::domain::alliance::move_active_count(db, center, &kind, count).await?;
    }

    // deals: centers differ in activity (a long tail), amounts spread over three decades of yuan
    let weights: Vec<f64> = center_ids
        .iter()
        .map(|_| rng.random_range(0.0f64..1.0).powi(3) + 0.05)
        .collect();
    let total_weight: f64 = weights.iter().sum();
    let kinds = [
        "license",
        "license",
        "license",
        "license",
        "transfer",
        "transfer",
        "transfer",
        "capital_contribution",
        "capital_contribution",
        "financing",
    ];
    let counterparty = with_check_character("91110000600037341")
        .map(|u| u.to_string())
        .unwrap_or_default();
    let mut written = 0usize;
    for (i, &center) in center_ids.iter().enumerate() {
        let count = if i + 1 == center_ids.len() {
            scale.transactions - written
        } else {
            ((weights[i] / total_weight) * scale.transactions as f64) as usize
        };
        written += count;
        let (mut deals, mut patents) = (Vec::with_capacity(count), Vec::with_capacity(count));
        let mut totals = crate::domain::ledger::totals::TotalsDelta::default();
        for _ in 0..count {
            // 1,100 to 440,000 yuan per deal, most of them small
            let amount_fen = (rng.random_range(7.0f64..13.0).exp() * 100.0) as i64;
            let kind = kinds[rng.random_range(0..kinds.len())];
            let contract_date = random_date(&mut rng, start, today);
            let related_party = rng.random_bool(0.05);
            totals.add(center, contract_date, kind, related_party, amount_fen, 1);
            deals.push(transactions::ActiveModel {
                id: NotSet,
                center_id: Set(center),
                kind: Set(kind.into()),
                amount_fen: Set(amount_fen),
                contract_date: Set(contract_date),
                counterparty_uscc: Set(to_json_list(std::slice::from_ref(&counterparty))),
                contract_no: Set(Some(format!(
                    "HT-{center}-{}",
                    rng.random_range(0..1_000_000)
                ))),
                related_party: Set(related_party),
                note: Set(None),
                import_id: Set(None),
                deleted_at: Set(None),
                version: Set(1),
                created_by: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            });
            patents.push(patent(&mut rng));
        }
        insert_deals(db, deals, patents).await?;
        totals.apply(db).await?;
    }

    let statuses = ["running", "running", "completed", "stopped", "planned"];
    let project_rows: Vec<_> = (0..scale.projects)
        .map(|p| projects::ActiveModel {
            id: NotSet,
            center_id: Set(center_ids[rng.random_range(0..center_ids.len())]),
            kind: Set(if p % 3 == 0 {
                "industrialization"
            } else {
                "conversion"
            }
            .into()),
            name: Set(format!("专利转化项目{p}")),
            start_date: Set(random_date(&mut rng, start - Duration::days(365), today)),
            status: Set(statuses[rng.random_range(0..statuses.len())].into()),
            patent_numbers: Set(to_json_list(&[patent(&mut rng)])),
            partner_uscc: Set("[]".into()),
            deleted_at: Set(None),
            version: Set(1),
            created_by: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .collect();
    insert_batches(db, project_rows).await?;

    if users::find_by_email(db, BENCH_EMAIL).await?.is_none() {
        let input = NewUserInput {
            email: BENCH_EMAIL.into(),
            password: BENCH_PASSWORD.into(),
            role: Role::Cnipa,
            organization_id: None,
            center_id: None,
            region_code: None,
        };
        users::create(db, None, input, now).await?;
    }
    let decider = users::find_by_email(db, BENCH_EMAIL)
        .await?
        .map(|u| u.id)
        .ok_or(AppError::NotFound)?;
    super::reports::seed_reports(db, decider, today, now).await?;
    Ok(format!(
        "national data: {} centers, {} organizations, {} memberships, {} deals, {} projects; read with {BENCH_EMAIL} / {BENCH_PASSWORD}",
        scale.centers,
        scale.organizations,
        scale.centers * scale.memberships_per_center,
        scale.transactions,
        scale.projects
    ))
}
