//! The end of public notice: the accreditation takes effect and cycle 1 starts — found by
//! scheduled work that reads the app's clock, idempotently; and objections resolved by cnipa.

use chrono::{DateTime, NaiveDate, Utc};
use entities::{applications, centers, cycles};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    sea_query::{Expr, ExprTrait},
};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{Services, mail_data, require_decider, save, status};
use crate::{
    auth::CurrentUser,
    domain::{
        audit::AuditEntry, centers::status as center_status, lifecycle::cycles::reporting_years,
    },
    error::AppError,
    i18n::Msg,
    mail::{enqueue, recipients},
};

/// Sets the center's status (with its next version).
pub async fn set_center_status(
    db: &impl ConnectionTrait,
    center: &centers::Model,
    status: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    centers::Entity::update_many()
        .col_expr(centers::Column::Status, Expr::value(status))
        .col_expr(
            centers::Column::Version,
            Expr::col(centers::Column::Version).add(1),
        )
        .col_expr(centers::Column::UpdatedAt, Expr::value(now))
        .filter(centers::Column::Id.eq(center.id))
        .exec(db)
        .await?;
    Ok(())
}

/// Makes every accreditation whose notice has ended by today, with no open objection, take
/// effect (cycle 1 starts on the notice's last day). Safe to run any number of times, in any
/// number of instances: each application takes effect once. Returns how many took effect.
pub async fn take_effect_due(services: &Services<'_>) -> Result<usize, AppError> {
    let due = applications::Entity::find()
        .filter(applications::Column::Status.eq(status::ACCREDITED))
        .filter(applications::Column::EffectiveOn.is_null())
        .filter(applications::Column::ObjectionOpen.eq(false))
        .filter(applications::Column::NoticeEndsOn.lte(services.today))
        .all(services.db)
        .await?;
    let mut started = 0;
    for application in due {
        let Some(ends) = application.notice_ends_on else {
            continue;
        };
        if take_effect(services, application, ends, None).await? {
            started += 1;
        }
    }
    Ok(started)
}

/// Makes `application` take effect on `start`: cycle 1, the center accredited, mail; false when
/// another run got there first.
async fn take_effect(
    services: &Services<'_>,
    application: applications::Model,
    start: NaiveDate,
    actor: Option<i32>,
) -> Result<bool, AppError> {
    crate::db::write(services.db, async |txn| {
        // the claim: only the run whose update changes the row goes on
        let claimed = applications::Entity::update_many()
            .col_expr(applications::Column::EffectiveOn, Expr::value(start))
            .col_expr(
                applications::Column::Version,
                Expr::col(applications::Column::Version).add(1),
            )
            .col_expr(applications::Column::UpdatedAt, Expr::value(services.now))
            .filter(applications::Column::Id.eq(application.id))
            .filter(applications::Column::EffectiveOn.is_null())
            .filter(applications::Column::ObjectionOpen.eq(false))
            .filter(applications::Column::Status.eq(status::ACCREDITED))
            .exec(txn)
            .await?;
        if claimed.rows_affected != 1 {
            return Ok(false);
        }
        let Some(center) = centers::Entity::find_by_id(application.center_id)
            .one(txn)
            .await?
        else {
            return Ok(false);
        };
        let rules = services.rulebook.in_force_on(txn, start).await?.rules;
        let (first_year, last_year) = reporting_years(start, 1, rules.cycle_years);
        cycles::ActiveModel {
            center_id: Set(center.id),
            number: Set(1),
            start_date: Set(start),
            first_year: Set(first_year),
            last_year: Set(last_year),
            reason: Set(Some(format!(
                "accreditation application {}",
                application.id
            ))),
            created_by: Set(actor),
            created_at: Set(services.now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        set_center_status(txn, &center, center_status::ACCREDITED, services.now).await?;
        AuditEntry::new(actor, "application.take_effect", "application", application.id)
            .after(&serde_json::json!({"effective_on": start, "cycle": 1, "first_year": first_year, "last_year": last_year}))
            .write(txn, services.now)
            .await?;
        let mut effective = application;
        effective.effective_on = Some(start);
        let mut to = recipients::center_staff(txn, center.id).await?;
        to.extend(recipients::cnipa(txn).await?);
        enqueue(
            txn,
            services.mail(),
            "notice_ended",
            &to,
            &mail_data(services, &center, &effective, ""),
        )
        .await?;
        Ok(true)
    })
    .await
}

/// `{"outcome":"confirm|revoke","reason"}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ResolveInput {
    pub outcome: Resolution,
    #[serde(default)]
    pub reason: String,
}

/// How an objection ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// The accreditation stands: it takes effect when the notice ends, or today if it has.
    Confirm,
    /// The accreditation is revoked: the application ends rejected, the center back to draft.
    Revoke,
}

/// Resolves the open objection of an application under notice (cnipa; the deciding office for a
/// local center).
pub async fn resolve_objection(
    services: &Services<'_>,
    user: &CurrentUser,
    application: applications::Model,
    center: &centers::Model,
    input: &ResolveInput,
) -> Result<applications::Model, AppError> {
    require_decider(user, center)?;
    let reason = input.reason.trim().to_string();
    if reason.is_empty() {
        return Err(AppError::field(
            "reason",
            Msg::new("请说明理由", "a reason is required"),
        ));
    }
    if !application.objection_open {
        return Err(AppError::Conflict(Msg::new(
            format!(
                "申请当前状态为 {}，没有待处理的异议",
                crate::domain::states::in_words(&application.status).zh
            ),
            format!(
                "the application is {}; no objection is open",
                crate::domain::states::in_words(&application.status).en
            ),
        )));
    }
    let saved = crate::db::write(services.db, async |txn| {
        let version = application.version;
        let mut changed = application;
        changed.objection_open = false;
        changed.objection = Some(format!(
            "{}\n— {}: {reason}",
            changed.objection.clone().unwrap_or_default(),
            match input.outcome {
                Resolution::Confirm => "confirmed",
                Resolution::Revoke => "revoked",
            }
        ));
        if input.outcome == Resolution::Revoke {
            changed.status = status::REJECTED.to_string();
            changed.outcome = Some(status::REJECTED.to_string());
            changed.decision_reason = Some(reason.clone());
        }
        let saved = save(txn, changed, version, services.now).await?;
        if input.outcome == Resolution::Revoke {
            set_center_status(txn, center, center_status::DRAFT, services.now).await?;
        }
        AuditEntry::new(Some(user.id), "application.objection_resolved", "application", saved.id)
            .after(&serde_json::json!({"outcome": format!("{:?}", input.outcome).to_lowercase(), "reason": reason}))
            .write(txn, services.now)
            .await?;
        if input.outcome == Resolution::Revoke {
            let staff = recipients::center_staff(txn, center.id).await?;
            enqueue(
                txn,
                services.mail(),
                "decided",
                &staff,
                &mail_data(services, center, &saved, &reason),
            )
            .await?;
        }
        Ok(saved)
    })
    .await?;
    // a confirmation after the notice's end takes effect today
    if input.outcome == Resolution::Confirm
        && let Some(ends) = saved.notice_ends_on
        && ends <= services.today
    {
        take_effect(services, saved.clone(), services.today, Some(user.id)).await?;
        return applications::Entity::find_by_id(saved.id)
            .one(services.db)
            .await?
            .ok_or(AppError::NotFound);
    }
    Ok(saved)
}
