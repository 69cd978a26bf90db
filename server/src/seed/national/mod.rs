//! `ipoc seed --scale national`: a national-scale data set for benchmarks — 1,000 centers, 50,000
//! organizations, 100,000 memberships, 1,000,000 deals over three years and 30,000 projects, with
//! valid identifiers and uneven, realistic spreads. Deterministic (fixed random seed); refuses to
//! run twice on one database.

pub mod market;
mod records;
mod rows;

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use entities::{centers, cycles, organizations};
use rand::{Rng, SeedableRng, rngs::StdRng};
use sea_orm::{ActiveValue::NotSet, DatabaseConnection, EntityTrait, PaginatorTrait, Set};

use self::rows::{insert_batches, region};
use crate::{
    domain::{
        identifiers::with_check_character,
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

/// What every step of the generation shares: the database, the one random sequence (so that the
/// data set is the same on every run), the first day of the data and the app's clock.
struct Run<'a> {
    db: &'a DatabaseConnection,
    rng: StdRng,
    start: NaiveDate,
    today: NaiveDate,
    now: DateTime<Utc>,
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
    let mut run = Run {
        db,
        rng: StdRng::seed_from_u64(20_261_121),
        start: NaiveDate::from_ymd_opt(today.year() - 2, 1, 1).unwrap_or(today),
        today,
        now,
    };
    let (org_ids, org_kind_of) = organizations(&mut run, scale).await?;
    let (center_list, center_ids) = centers(&mut run, scale, &org_ids).await?;
    cycles(&run, &center_list, &center_ids).await?;
    let orgs = (org_ids.as_slice(), &org_kind_of);
    records::memberships(&mut run, scale, &center_ids, orgs).await?;
    records::deals(&mut run, scale, &center_ids).await?;
    records::projects(&mut run, scale, &center_ids).await?;

    if users::find_by_email(db, BENCH_EMAIL).await?.is_none() {
        let input = NewUserInput {
            email: BENCH_EMAIL.into(),
            name: String::new(),
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

/// Organizations: 60 % enterprises, 15 % universities, 15 % institutes, the rest other kinds;
/// their ids and each one's kind.
async fn organizations(
    run: &mut Run<'_>,
    scale: &Scale,
) -> Result<(Vec<i32>, HashMap<i32, String>), AppError> {
    let (db, now) = (run.db, run.now);
    let rng = &mut run.rng;
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
        let region = region(rng);
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
    let org_kind_of: HashMap<i32, String> = all_orgs.into_iter().map(|o| (o.id, o.kind)).collect();
    Ok((org_ids, org_kind_of))
}

/// Centers hosted by research institutes; every center and the ids of those added.
async fn centers(
    run: &mut Run<'_>,
    scale: &Scale,
    org_ids: &[i32],
) -> Result<(Vec<centers::Model>, Vec<i32>), AppError> {
    let (db, now) = (run.db, run.now);
    let rng = &mut run.rng;
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
            region_code: Set(region(rng)),
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
    Ok((center_list, center_ids))
}

/// The first cycle of each accredited center added.
async fn cycles(
    run: &Run<'_>,
    center_list: &[centers::Model],
    center_ids: &[i32],
) -> Result<(), AppError> {
    let (db, start, now) = (run.db, run.start, run.now);
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
    Ok(())
}
