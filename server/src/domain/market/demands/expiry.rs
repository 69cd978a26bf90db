//! A demand's member is mailed 14 days before the demand expires (domain.md "Matches"): once per
//! expiry date, across instances and restarts (the demand records the date it was mailed about;
//! a renewal moves the date, and the next reminder comes for the new one).

use chrono::Duration;
use entities::{demands, users};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use serde::Serialize;

use crate::{domain::services::Services, error::AppError, mail::enqueue};

/// Days before its expiry a demand's member is reminded.
const DAYS_BEFORE: i64 = 14;

#[derive(Serialize)]
struct Reminder {
    title: String,
    valid_until: String,
    days: i64,
    link: String,
}

/// Mails the member of every open or matched demand expiring within 14 days that was not mailed
/// about this expiry yet (the schedule): how many demands.
pub async fn remind_due(services: &Services<'_>) -> Result<usize, AppError> {
    let today = services.today;
    let due = demands::Entity::find()
        .filter(demands::Column::Status.is_in(["open", "matched"]))
        .filter(demands::Column::ValidUntil.gte(today))
        .filter(demands::Column::ValidUntil.lte(today + Duration::days(DAYS_BEFORE)))
        .all(services.db)
        .await?;
    let mut sent = 0;
    for demand in due
        .into_iter()
        .filter(|d| d.expiry_mailed_for != Some(d.valid_until))
    {
        let mailed = crate::db::write(services.db, async |txn| {
            remind(txn, services, &demand).await
        })
        .await?;
        sent += usize::from(mailed);
    }
    Ok(sent)
}

/// Claims the reminder of `demand` and writes its mail, in one transaction: false when another
/// instance claimed it first.
async fn remind(
    txn: &impl ConnectionTrait,
    services: &Services<'_>,
    demand: &demands::Model,
) -> Result<bool, AppError> {
    let claimed = demands::Entity::update_many()
        .col_expr(
            demands::Column::ExpiryMailedFor,
            Expr::value(demand.valid_until),
        )
        .filter(demands::Column::Id.eq(demand.id))
        .filter(demands::Column::ValidUntil.eq(demand.valid_until))
        .filter(
            demands::Column::ExpiryMailedFor
                .is_null()
                .or(demands::Column::ExpiryMailedFor.ne(demand.valid_until)),
        )
        .exec(txn)
        .await?;
    if claimed.rows_affected == 0 {
        return Ok(false);
    }
    let mut to: Vec<String> = users::Entity::find()
        .select_only()
        .column(users::Column::Email)
        .filter(users::Column::OrganizationId.eq(demand.member_organization_id))
        .filter(users::Column::Disabled.eq(false))
        .into_tuple()
        .all(txn)
        .await?;
    if to.is_empty() {
        to = (users::Entity::find_by_id(demand.registered_by)
            .one(txn)
            .await?)
            .map(|u| vec![u.email])
            .unwrap_or_default();
    }
    let data = Reminder {
        title: demand.title.clone(),
        valid_until: demand.valid_until.to_string(),
        days: (demand.valid_until - services.today).num_days(),
        link: format!("{}/demands/{}", services.public_url, demand.id),
    };
    enqueue(txn, services.mail(), "demand_expiring", &to, &data).await?;
    Ok(true)
}
