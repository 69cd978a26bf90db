//! The reporting history of the national data set: for each seeded cycle, the annual reports of
//! the years whose due date has passed — most decided (70 % qualified, 20 % basically qualified,
//! 10 % unqualified), some submitted and waiting, some never filed (overdue) — so the dashboard
//! and the benchmarks read a realistic mix.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use entities::{annual_report_revisions, annual_reports, cycles, decisions};
use rand::{Rng, SeedableRng, rngs::StdRng};
use sea_orm::{ActiveValue::NotSet, DatabaseConnection, EntityTrait, Set};

use crate::domain::states::DecisionKind;
use crate::{domain::reports, error::AppError};

/// Seeds reports and annual results of every cycle, decided by `decider`.
pub async fn seed_reports(
    db: &DatabaseConnection,
    decider: i32,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let rules = crate::domain::rulebook::Rules::policy();
    let mut rng = StdRng::seed_from_u64(20_261_122);
    let mut report_rows = Vec::new();
    let mut decision_rows = Vec::new();
    for cycle in cycles::Entity::find().all(db).await? {
        for year in cycle.first_year..=cycle.last_year.min(today.year() - 1) {
            if reports::ReportYear::plain(year).due(&rules) >= today {
                continue;
            }
            let roll: f64 = rng.random();
            if roll < 0.05 {
                continue; // never filed: overdue
            }
            let decided = roll >= 0.15;
            report_rows.push(annual_reports::ActiveModel {
                id: NotSet,
                center_id: Set(cycle.center_id),
                cycle_id: Set(cycle.id),
                year: Set(year),
                status: Set(if decided { "decided" } else { "submitted" }.into()),
                narratives: Set(r#"{"operations":"年度运营情况","key_tasks":"重点任务","sme_service":"服务中小企业","chain_support":"支撑产业链"}"#.into()),
                nothing_to_report: Set("[]".into()),
                revision: Set(1),
                return_reason: Set(None),
                correction_due: Set(None),
                version: Set(2),
                created_at: Set(now),
                updated_at: Set(now),
            });
            if decided {
                let result = match rng.random_range(0..10) {
                    0 => "unqualified",
                    1 | 2 => "basically_qualified",
                    _ => "qualified",
                };
                decision_rows.push(decisions::ActiveModel {
                    id: NotSet,
                    center_id: Set(cycle.center_id),
                    kind: Set(DecisionKind::AnnualResult.as_str().into()),
                    year: Set(Some(year)),
                    result: Set(Some(result.into())),
                    accepted: Set(None),
                    new_due_date: Set(None),
                    reason: Set(Some("seed".into())),
                    proposed_result: Set(Some(result.into())),
                    rulebook_version: Set(1),
                    decided_by: Set(decider),
                    decided_at: Set(now),
                    notice_ends_on: Set(None),
                    effective_on: Set(None),
                });
            }
        }
    }
    for chunk in report_rows.chunks(1_000) {
        annual_reports::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    let revisions: Vec<_> = annual_reports::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|r| annual_report_revisions::ActiveModel {
            id: NotSet,
            report_id: Set(r.id),
            revision: Set(1),
            narratives: Set(r.narratives),
            nothing_to_report: Set(r.nothing_to_report),
            snapshot: Set("{}".into()),
            rulebook_version: Set(1),
            submitted_by: Set(decider),
            submitted_at: Set(now),
        })
        .collect();
    for chunk in revisions.chunks(1_000) {
        annual_report_revisions::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    for chunk in decision_rows.chunks(1_000) {
        decisions::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}
