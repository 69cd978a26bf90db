//! Report reminders (rulebook `reminder_days_before`, to the center's staff) and overdue notices
//! (`overdue_notice_days_after`, to the staff and cnipa), sent by scheduled work on the app's
//! clock. Each is sent once: a row per center, year, kind and offset, unique, is written in the
//! mail's transaction. A run that finds several offsets passed (no server ran on their days)
//! records them all and sends one mail, naming the latest. A rectification whose deadline
//! passed unanswered is reported once the same way (exit is then proposed).

use std::collections::{HashMap, HashSet};

use chrono::{Days, NaiveDate};
use entities::{annual_reports, centers, cycles, decisions, rectifications, reminders_sent};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait, Set,
};

use super::{
    reports::{self, status},
    services::Services,
};
use crate::domain::states::DecisionKind;
use crate::{
    error::AppError,
    mail::{enqueue, recipients},
};

/// Sends every reminder and overdue notice whose day has come and that was not sent before;
/// returns how many mails went to the outbox. Reads cycles, reports, decisions and sent reminders
/// in one query each, whatever the number of centers.
pub async fn send_due(services: &Services<'_>) -> Result<usize, AppError> {
    let today = services.today;
    let rules = services
        .rulebook
        .in_force_on(services.db, today)
        .await?
        .rules;
    // an exited center is reminded of nothing any more
    let exited = centers::Entity::find()
        .select_only()
        .column(centers::Column::Id)
        .filter(centers::Column::Status.eq(super::centers::status::EXITED))
        .into_query();
    let all_cycles = cycles::Entity::find()
        .filter(cycles::Column::CenterId.not_in_subquery(exited))
        .all(services.db)
        .await?;
    let stored: HashMap<(i32, i32), annual_reports::Model> = annual_reports::Entity::find()
        .all(services.db)
        .await?
        .into_iter()
        .map(|r| ((r.center_id, r.year), r))
        .collect();
    let recorded: HashSet<(i32, i32, String, i32)> = reminders_sent::Entity::find()
        .all(services.db)
        .await?
        .into_iter()
        .map(|r| (r.center_id, r.year, r.kind, r.offset_days))
        .collect();
    let (mut decided, mut extended) = (HashSet::new(), HashMap::new());
    for d in decisions::Entity::find()
        .filter(decisions::Column::Kind.is_in([
            DecisionKind::AnnualResult.as_str(),
            DecisionKind::Extension.as_str(),
        ]))
        .all(services.db)
        .await?
    {
        match (DecisionKind::parse(&d.kind), d.year, d.new_due_date) {
            (Some(DecisionKind::AnnualResult), Some(year), _) => {
                decided.insert((d.center_id, year));
            }
            (Some(DecisionKind::Extension), Some(year), Some(date)) => {
                extended.insert((d.center_id, year), date);
            }
            _ => {}
        }
    }
    let mut due_now = Vec::new();
    let mut year_rules: HashMap<i32, crate::domain::rulebook::Rules> = HashMap::new();
    for cycle in &all_cycles {
        for year in cycle.first_year..=cycle.last_year {
            let key = (cycle.center_id, year);
            if decided.contains(&key) {
                continue;
            }
            let of_year = match year_rules.get(&year) {
                Some(known) => known.clone(),
                None => {
                    let read = reports::year_rules(services, year).await?;
                    year_rules.insert(year, read.clone());
                    read
                }
            };
            let report_year = reports::ReportYear {
                year,
                stored: stored.get(&key),
                extension: extended.get(&key).copied(),
                decided: false,
            };
            let due = report_year.due(&of_year);
            let (kind, offsets, sign) = match report_year.status(&of_year, today) {
                status::NOT_DUE | status::DRAFT | status::RETURNED if today <= due => {
                    ("before", &rules.reminder_days_before, -1)
                }
                status::OVERDUE => ("after", &rules.overdue_notice_days_after, 1),
                _ => continue,
            };
            let passed: Vec<u32> = offsets
                .iter()
                .copied()
                .filter(|d| day(due, sign * i64::from(*d)) <= today)
                .filter(|d| {
                    let offset = i32::try_from(*d).unwrap_or(i32::MAX);
                    !recorded.contains(&(cycle.center_id, year, kind.to_string(), offset))
                })
                .collect();
            if !passed.is_empty() {
                due_now.push((cycle.center_id, year, due, kind, passed));
            }
        }
    }
    let mut sent = 0;
    for (center_id, year, due, kind, offsets) in due_now {
        if let Some(center) = centers::Entity::find_by_id(center_id)
            .one(services.db)
            .await?
        {
            sent += send_once(services, &center, year, due, kind, &offsets).await?;
        }
    }
    Ok(sent)
}

fn day(date: NaiveDate, offset: i64) -> NaiveDate {
    if offset >= 0 {
        date.checked_add_days(Days::new(offset.unsigned_abs()))
    } else {
        date.checked_sub_days(Days::new(offset.unsigned_abs()))
    }
    .unwrap_or(date)
}

/// Records the offsets not yet recorded and sends one mail for them, in one transaction; another
/// instance doing the same at the same time fails on the unique index and sends nothing.
async fn send_once(
    services: &Services<'_>,
    center: &centers::Model,
    year: i32,
    due: NaiveDate,
    kind: &str,
    offsets: &[u32],
) -> Result<usize, AppError> {
    let recorded: Vec<i32> = reminders_sent::Entity::find()
        .select_only()
        .column(reminders_sent::Column::OffsetDays)
        .filter(reminders_sent::Column::CenterId.eq(center.id))
        .filter(reminders_sent::Column::Year.eq(year))
        .filter(reminders_sent::Column::Kind.eq(kind))
        .into_tuple()
        .all(services.db)
        .await?;
    let new: Vec<i32> = offsets
        .iter()
        .map(|d| i32::try_from(*d).unwrap_or(i32::MAX))
        .filter(|d| !recorded.contains(d))
        .collect();
    // the reminder nearest the due date (or the notice furthest after it) is the one to send
    let Some(latest) = (if kind == "before" {
        new.iter().min()
    } else {
        new.iter().max()
    })
    .copied() else {
        return Ok(0);
    };
    crate::db::write(services.db, async |txn| {
        for offset in &new {
            let inserted = reminders_sent::ActiveModel {
                center_id: Set(center.id),
                year: Set(year),
                kind: Set(kind.to_string()),
                offset_days: Set(*offset),
                sent_at: Set(services.now),
                ..Default::default()
            }
            .insert(txn)
            .await;
            if inserted.is_err() {
                // another run recorded it first: it sends the mail
                return Ok(0);
            }
        }
        let mut to = recipients::center_staff(txn, center.id).await?;
        let template = if kind == "before" {
            "report_reminder"
        } else {
            to.extend(recipients::cnipa(txn).await?);
            "report_overdue"
        };
        let data = serde_json::json!({
            "center_name": center.name,
            "year": year,
            "due_date": due.to_string(),
            "days": latest,
            "link": format!("{}/centers/{}/reports/{year}", services.public_url.trim_end_matches('/'), center.id),
        });
        enqueue(txn, services.mail(), template, &to, &data).await?;
        Ok(to.len())
    })
    .await
}

/// The kind of a sent-reminder row recording that a lapsed rectification was reported.
const RECTIFICATION_LAPSED: &str = "rectification_lapsed";

/// Mails cnipa and the center's staff, once, about each rectification whose deadline has passed
/// without an accepted report (exit is proposed from that day); returns how many were reported.
pub async fn send_lapsed_rectifications(services: &Services<'_>) -> Result<usize, AppError> {
    let today = services.today;
    let recorded: HashSet<(i32, i32)> = reminders_sent::Entity::find()
        .filter(reminders_sent::Column::Kind.eq(RECTIFICATION_LAPSED))
        .all(services.db)
        .await?
        .into_iter()
        .map(|r| (r.center_id, r.year))
        .collect();
    let lapsed: Vec<rectifications::Model> = rectifications::Entity::find()
        .filter(rectifications::Column::Status.is_in([
            super::lifecycle::rectification::status::OPEN,
            super::lifecycle::rectification::status::SUBMITTED,
        ]))
        .filter(rectifications::Column::Deadline.lt(today))
        .all(services.db)
        .await?
        .into_iter()
        .filter(|r| !recorded.contains(&(r.center_id, r.year)))
        .collect();
    let mut reported = 0;
    for rectification in lapsed {
        let Some(center) = centers::Entity::find_by_id(rectification.center_id)
            .one(services.db)
            .await?
        else {
            continue;
        };
        let reported_now = crate::db::write(services.db, async |txn| {
            let inserted = reminders_sent::ActiveModel {
                center_id: Set(center.id),
                year: Set(rectification.year),
                kind: Set(RECTIFICATION_LAPSED.to_string()),
                offset_days: Set(0),
                sent_at: Set(services.now),
                ..Default::default()
            }
            .insert(txn)
            .await;
            if let Err(err) = inserted {
                return match AppError::from(err) {
                    AppError::Conflict(_) => Ok(false), // another run reported it
                    other => Err(other),
                };
            }
            let mut to = recipients::center_staff(txn, center.id).await?;
            to.extend(recipients::cnipa(txn).await?);
            let data = serde_json::json!({
                "center_name": center.name,
                "year": rectification.year,
                "deadline": rectification.deadline.to_string(),
                "link": format!("{}/centers/{}", services.public_url.trim_end_matches('/'), center.id),
            });
            enqueue(txn, services.mail(), "rectification_lapsed", &to, &data).await?;
            Ok(true)
        })
        .await?;
        reported += usize::from(reported_now);
    }
    Ok(reported)
}
