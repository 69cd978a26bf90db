//! Exit (退出): decided by cnipa (the deciding local office for a local center) with a reason,
//! after public notice as for accreditation; when the notice ends the center is `exited`: it
//! leaves the public list, its records become read-only, its history stays, and its staff, cnipa
//! and its local office are mailed.

use chrono::NaiveDate;
use entities::{centers, decisions};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    sea_query::{Expr, ExprTrait},
};

use crate::domain::states::DecisionKind;
use crate::domain::{
    audit::AuditEntry, centers::status as center_status, notice, services::Services,
};
use crate::{
    auth::CurrentUser,
    error::AppError,
    i18n::Msg,
    mail::{enqueue, recipients},
};

/// Records the exit of an accredited center with its reason: public notice for the rulebook's
/// working days follows; an exit already decided is 409.
pub async fn decide(
    txn: &impl ConnectionTrait,
    services: &Services<'_>,
    user: &CurrentUser,
    center: &centers::Model,
    reason: String,
    rulebook_version: i32,
    notice_days: u32,
) -> Result<decisions::Model, AppError> {
    if center.status != center_status::ACCREDITED {
        return Err(AppError::Conflict(Msg::new(
            format!(
                "中心当前状态为 {}，不能决定退出",
                crate::domain::states::in_words(&center.status).zh
            ),
            format!(
                "the center is {}; no exit can be decided",
                crate::domain::states::in_words(&center.status).en
            ),
        )));
    }
    let pending = decisions::Entity::find()
        .filter(decisions::Column::CenterId.eq(center.id))
        .filter(decisions::Column::Kind.eq(DecisionKind::Exit.as_str()))
        .one(txn)
        .await?;
    if pending.is_some() {
        return Err(AppError::Conflict(Msg::new(
            "该中心的退出已决定，正在公示",
            "the center's exit is decided and under public notice",
        )));
    }
    let ends = notice::notice_end(services.today, notice_days);
    let saved = decisions::ActiveModel {
        center_id: Set(center.id),
        kind: Set(DecisionKind::Exit.as_str().into()),
        reason: Set(Some(reason)),
        rulebook_version: Set(rulebook_version),
        decided_by: Set(user.id),
        decided_at: Set(services.now),
        notice_ends_on: Set(Some(ends)),
        ..Default::default()
    }
    .insert(txn)
    .await
    .map_err(super::record::once)?;
    crate::domain::centers::touch(txn, center.id, services.now).await?;
    // an exit decided while the center asked to withdraw confirms its request
    super::withdrawal::close_open(
        txn,
        center.id,
        super::withdrawal::status::CONFIRMED,
        services.now,
    )
    .await?;
    AuditEntry::new(Some(user.id), "decision.record", "center", center.id)
        .after(&super::record::DecisionView::from(saved.clone()))
        .write(txn, services.now)
        .await?;
    let to = concerned(txn, center).await?;
    enqueue(
        txn,
        services.mail(),
        "exit_decided",
        &to,
        &data(services, center, ends),
    )
    .await?;
    Ok(saved)
}

/// Everyone concerned by an exit: the center's staff, cnipa, the local office of its region.
async fn concerned(
    db: &impl sea_orm::ConnectionTrait,
    center: &centers::Model,
) -> Result<Vec<String>, AppError> {
    let mut to = recipients::center_staff(db, center.id).await?;
    to.extend(recipients::cnipa(db).await?);
    to.extend(
        recipients::local_office(db, &crate::domain::jurisdiction::authority_region(center))
            .await?,
    );
    to.sort();
    to.dedup();
    Ok(to)
}

fn data(services: &Services<'_>, center: &centers::Model, ends: NaiveDate) -> serde_json::Value {
    serde_json::json!({
        "center_name": center.name,
        "notice_ends_on": ends.to_string(),
        "link": format!("{}/centers/{}", services.public_url.trim_end_matches('/'), center.id),
    })
}

/// Makes every exit whose notice has ended by today take effect, once (a claiming update), in
/// any number of runs and instances; returns how many did.
pub async fn take_effect_due(services: &Services<'_>) -> Result<usize, AppError> {
    let due = decisions::Entity::find()
        .filter(decisions::Column::Kind.eq(DecisionKind::Exit.as_str()))
        .filter(decisions::Column::EffectiveOn.is_null())
        .filter(decisions::Column::NoticeEndsOn.lte(services.today))
        .all(services.db)
        .await?;
    let mut exited = 0;
    for decision in due {
        let Some(ends) = decision.notice_ends_on else {
            continue;
        };
        let took_effect = crate::db::write(services.db, async |txn| {
            let claimed = decisions::Entity::update_many()
                .col_expr(decisions::Column::EffectiveOn, Expr::value(ends))
                .filter(decisions::Column::Id.eq(decision.id))
                .filter(decisions::Column::EffectiveOn.is_null())
                .exec(txn)
                .await?;
            if claimed.rows_affected != 1 {
                return Ok(false); // another run took it
            }
            let Some(center) = centers::Entity::find_by_id(decision.center_id)
                .one(txn)
                .await?
            else {
                return Ok(false);
            };
            centers::Entity::update_many()
                .col_expr(centers::Column::Status, Expr::value(center_status::EXITED))
                .col_expr(
                    centers::Column::Version,
                    Expr::col(centers::Column::Version).add(1),
                )
                .col_expr(centers::Column::UpdatedAt, Expr::value(services.now))
                .filter(centers::Column::Id.eq(center.id))
                .exec(txn)
                .await?;
            AuditEntry::new(None, "center.exit", "center", center.id)
                .after(&serde_json::json!({"effective_on": ends}))
                .write(txn, services.now)
                .await?;
            let to = concerned(txn, &center).await?;
            enqueue(
                txn,
                services.mail(),
                "exit_effective",
                &to,
                &data(services, &center, ends),
            )
            .await?;
            Ok(true)
        })
        .await?;
        exited += usize::from(took_effect);
    }
    Ok(exited)
}

/// The last day of the public notice of the exit decided for `center_id` and not yet in effect,
/// if there is one (the center shows it wherever its status shows).
pub async fn notice_ends_on(
    db: &impl ConnectionTrait,
    center_id: i32,
) -> Result<Option<NaiveDate>, AppError> {
    let pending = decisions::Entity::find()
        .filter(decisions::Column::CenterId.eq(center_id))
        .filter(decisions::Column::Kind.eq(DecisionKind::Exit.as_str()))
        .filter(decisions::Column::EffectiveOn.is_null())
        .one(db)
        .await?;
    Ok(pending.and_then(|d| d.notice_ends_on))
}
