//! Construction cycles (建设周期): their reporting years, and registering the cycle of a center
//! accredited before ipoc existed.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use entities::{centers, cycles};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, sea_query::Expr,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::states::DecisionKind;
use crate::domain::{audit::AuditEntry, centers::status, ledger::ledger_date, rulebook};
use crate::{
    error::{AppError, FieldErrors},
    i18n::Msg,
};

/// `{"start_date","reason"}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CycleInput {
    pub start_date: String,
    pub reason: String,
}

/// A cycle as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CycleView {
    pub id: i32,
    pub center_id: i32,
    pub number: i32,
    pub start_date: NaiveDate,
    pub first_year: i32,
    pub last_year: i32,
    pub end_date: NaiveDate,
    pub reason: Option<String>,
}

impl From<cycles::Model> for CycleView {
    fn from(c: cycles::Model) -> Self {
        CycleView {
            end_date: NaiveDate::from_ymd_opt(c.last_year, 12, 31).unwrap_or(c.start_date),
            id: c.id,
            center_id: c.center_id,
            number: c.number,
            start_date: c.start_date,
            first_year: c.first_year,
            last_year: c.last_year,
            reason: c.reason,
        }
    }
}

/// The reporting years of a cycle starting on `start`: the first cycle covers the `cycle_years`
/// calendar years after the year it starts; a renewed cycle (starting 1 January) covers its own
/// year and the following ones.
pub fn reporting_years(start: NaiveDate, number: i32, cycle_years: u32) -> (i32, i32) {
    let first = if number == 1 {
        start.year() + 1
    } else {
        start.year()
    };
    (first, first + cycle_years as i32 - 1)
}

/// Registers a cycle of a center accredited before ipoc (cnipa or admin): the center becomes
/// accredited with that cycle, numbered after its existing ones; audited. Refused (409) for a
/// center that has exited or is under notice.
pub async fn register(
    db: &DatabaseConnection,
    center: centers::Model,
    actor_user_id: i32,
    input: CycleInput,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<CycleView, AppError> {
    let mut errors = FieldErrors::default();
    let start = ledger_date("start_date", &input.start_date, today, &mut errors);
    let reason = input.reason.trim().to_string();
    if reason.is_empty() {
        errors.add("reason", Msg::new("请说明登记理由", "a reason is required"));
    }
    let start = errors.into_result(start)?.unwrap_or(today);
    if matches!(
        center.status.as_str(),
        crate::domain::centers::status::EXITED | crate::domain::centers::status::UNDER_NOTICE
    ) {
        return Err(AppError::Conflict(Msg::new(
            format!(
                "中心当前状态为 {}，不能登记周期",
                crate::domain::states::in_words(&center.status).zh
            ),
            format!(
                "the center is {}; no cycle can be registered",
                crate::domain::states::in_words(&center.status).en
            ),
        )));
    }
    let rules = rulebook::in_force_on(db, start).await?.rules;
    crate::db::write(db, async |txn| {
        let previous = cycles::Entity::find()
            .filter(cycles::Column::CenterId.eq(center.id))
            .order_by_desc(cycles::Column::Number)
            .one(txn)
            .await?;
        let number = previous.as_ref().map_or(1, |c| c.number + 1);
        if let Some(prev) = previous.as_ref().filter(|p| start.year() <= p.last_year) {
            return Err(AppError::field(
                "start_date",
                Msg::new(
                    format!("须晚于上一周期（至 {} 年）", prev.last_year),
                    format!(
                        "must follow the previous cycle (which ends in {})",
                        prev.last_year
                    ),
                ),
            ));
        }
        let (first_year, last_year) = reporting_years(start, number, rules.cycle_years);
        let cycle = cycles::ActiveModel {
            center_id: Set(center.id),
            number: Set(number),
            start_date: Set(start),
            first_year: Set(first_year),
            last_year: Set(last_year),
            reason: Set(Some(reason)),
            created_by: Set(Some(actor_user_id)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        centers::Entity::update_many()
            .col_expr(centers::Column::Status, Expr::value(status::ACCREDITED))
            .col_expr(centers::Column::Version, Expr::value(center.version + 1))
            .col_expr(centers::Column::UpdatedAt, Expr::value(now))
            .filter(centers::Column::Id.eq(center.id))
            .exec(txn)
            .await?;
        let view = CycleView::from(cycle);
        AuditEntry::new(Some(actor_user_id), "cycle.register", "center", center.id)
            .after(&view)
            .write(txn, now)
            .await?;
        Ok(view)
    })
    .await
}

/// Records the evaluation of the center's latest cycle after its last year's annual result
/// (cnipa): `qualified` opens the next cycle by itself, starting 1 January after the cycle's last
/// year; a cycle is evaluated once (409 otherwise, also for two results sent at once: the
/// decision claims the cycle in its transaction).
pub async fn record_result(
    txn: &impl ConnectionTrait,
    services: &crate::domain::services::Services<'_>,
    user: &crate::auth::CurrentUser,
    center: &centers::Model,
    qualified: bool,
    reason: String,
    rulebook_version: i32,
) -> Result<entities::decisions::Model, AppError> {
    use entities::decisions;
    let cycle = cycles::Entity::find()
        .filter(cycles::Column::CenterId.eq(center.id))
        .order_by_desc(cycles::Column::Number)
        .one(txn)
        .await?
        .ok_or_else(|| {
            AppError::Conflict(Msg::new("该中心没有建设周期", "the center has no cycle"))
        })?;
    let decided = |kind: DecisionKind| {
        decisions::Entity::find()
            .filter(decisions::Column::CenterId.eq(center.id))
            .filter(decisions::Column::Kind.eq(kind.as_str()))
            .filter(decisions::Column::Year.eq(cycle.last_year))
    };
    if decided(DecisionKind::AnnualResult)
        .one(txn)
        .await?
        .is_none()
    {
        return Err(AppError::Conflict(Msg::new(
            format!(
                "第 {} 周期最后一年（{} 年）的年度结果尚未记录",
                cycle.number, cycle.last_year
            ),
            format!(
                "the annual result of cycle {}'s last year ({}) is not recorded yet",
                cycle.number, cycle.last_year
            ),
        )));
    }
    if decided(DecisionKind::CycleResult).one(txn).await?.is_some() {
        return Err(AppError::Conflict(Msg::new(
            format!("第 {} 周期已评价", cycle.number),
            format!("cycle {} is already evaluated", cycle.number),
        )));
    }
    let saved = decisions::ActiveModel {
        center_id: Set(center.id),
        kind: Set(DecisionKind::CycleResult.as_str().into()),
        year: Set(Some(cycle.last_year)),
        result: Set(Some(
            if qualified {
                "qualified"
            } else {
                "unqualified"
            }
            .into(),
        )),
        reason: Set(Some(reason)),
        rulebook_version: Set(rulebook_version),
        decided_by: Set(user.id),
        decided_at: Set(services.now),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(super::record::once)?;
    if qualified {
        let start = NaiveDate::from_ymd_opt(cycle.last_year + 1, 1, 1).unwrap_or(services.today);
        let rules = rulebook::in_force_on(txn, start).await?.rules;
        let (first_year, last_year) = reporting_years(start, cycle.number + 1, rules.cycle_years);
        cycles::ActiveModel {
            center_id: Set(center.id),
            number: Set(cycle.number + 1),
            start_date: Set(start),
            first_year: Set(first_year),
            last_year: Set(last_year),
            reason: Set(Some(format!("renewed: cycle {} qualified", cycle.number))),
            created_by: Set(Some(user.id)),
            created_at: Set(services.now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    AuditEntry::new(Some(user.id), "decision.record", "center", center.id)
        .after(&super::record::DecisionView::from(saved.clone()))
        .write(txn, services.now)
        .await?;
    Ok(saved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reporting_years_follow_the_start() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(reporting_years(d(2024, 6, 10), 1, 3), (2025, 2027));
        assert_eq!(reporting_years(d(2028, 1, 1), 2, 3), (2028, 2030));
    }
}
