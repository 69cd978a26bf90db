//! The national data set's records: memberships, deals with their patents and year totals, projects.

use std::collections::HashMap;

use chrono::Duration;
use entities::{memberships, projects, transactions};
use rand::{Rng, seq::SliceRandom};
use sea_orm::{ActiveValue::NotSet, Set};

use super::rows::{insert_batches, insert_deals, patent, random_date};
use super::{Run, Scale};
use crate::domain::{identifiers::with_check_character, ledger::to_json_list};
use crate::error::AppError;

/// Memberships of distinct organizations per center, a few withdrawn, with the active counts.
pub(super) async fn memberships(
    run: &mut Run<'_>,
    scale: &Scale,
    center_ids: &[i32],
    (org_ids, org_kind_of): (&[i32], &HashMap<i32, String>),
) -> Result<(), AppError> {
    let (db, start, today, now) = (run.db, run.start, run.today, run.now);
    let rng = &mut run.rng;
    // memberships: distinct organizations per center, a few withdrawn
    let mut member_rows = Vec::new();
    for &center in center_ids {
        let mut picks: Vec<i32> = (0..scale.memberships_per_center * 2)
            .map(|_| org_ids[rng.random_range(0..org_ids.len())])
            .collect();
        picks.sort_unstable();
        picks.dedup();
        picks.shuffle(rng);
        for org in picks.into_iter().take(scale.memberships_per_center) {
            let joined = random_date(rng, start - Duration::days(700), today);
            let left = rng
                .random_bool(0.08)
                .then(|| random_date(rng, joined, today));
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
    let mut active: HashMap<(i32, String), i64> = HashMap::new();
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
    Ok(())
}

/// Deals with their patent numbers and the year totals they move.
pub(super) async fn deals(
    run: &mut Run<'_>,
    scale: &Scale,
    center_ids: &[i32],
) -> Result<(), AppError> {
    let (db, start, today, now) = (run.db, run.start, run.today, run.now);
    let rng = &mut run.rng;
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
        for n in 0..count {
            // 1,100 to 440,000 yuan per deal, most of them small
            let amount_fen = (rng.random_range(7.0f64..13.0).exp() * 100.0) as i64;
            let kind = kinds[rng.random_range(0..kinds.len())];
            let contract_date = random_date(rng, start, today);
            let related_party = rng.random_bool(0.05);
            totals.add(center, contract_date, kind, related_party, amount_fen, 1);
            deals.push(transactions::ActiveModel {
                id: NotSet,
                center_id: Set(center),
                kind: Set(kind.into()),
                amount_fen: Set(amount_fen),
                contract_date: Set(contract_date),
                counterparty_uscc: Set(to_json_list(std::slice::from_ref(&counterparty))),
                // one contract, one deal: numbered in order within the center
                contract_no: Set(Some(format!("HT-{center}-{:07}", n + 1))),
                contract_key: Set(Some(format!("HT-{center}-{:07}", n + 1))),
                related_party: Set(related_party),
                note: Set(None),
                import_id: Set(None),
                deleted_at: Set(None),
                version: Set(1),
                created_by: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            });
            patents.push(patent(rng));
        }
        insert_deals(db, deals, patents).await?;
        totals.apply(db).await?;
    }
    Ok(())
}

/// Conversion and industrialization projects.
pub(super) async fn projects(
    run: &mut Run<'_>,
    scale: &Scale,
    center_ids: &[i32],
) -> Result<(), AppError> {
    let (db, start, today, now) = (run.db, run.start, run.today, run.now);
    let rng = &mut run.rng;
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
            start_date: Set(random_date(rng, start - Duration::days(365), today)),
            status: Set(statuses[rng.random_range(0..statuses.len())].into()),
            patent_numbers: Set(to_json_list(&[patent(rng)])),
            partner_uscc: Set("[]".into()),
            deleted_at: Set(None),
            version: Set(1),
            created_by: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .collect();
    insert_batches(db, project_rows).await?;
    Ok(())
}
