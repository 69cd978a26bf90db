//! Filing an application: starting it, saving its text, and submitting it with the last full
//! year's figures frozen.

use crate::domain::metrics::frozen_figures;

use chrono::{DateTime, Datelike, Utc};
use entities::{applications, centers, organizations};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::{
    ApplicationInput, Services, authority_region, editable, is_national, mail_data, save, status,
};
use crate::{
    auth::CurrentUser,
    domain::{
        audit::AuditEntry,
        centers::status as center_status,
        metrics,
        narratives::{check_areas, check_complete, json_list, json_map},
    },
    error::{AppError, FieldErrors},
    i18n::Msg,
};

/// Starts the application of `center` (its staff): the center is not accredited, and has no
/// application in progress (409).
pub async fn create(
    db: &DatabaseConnection,
    user: &CurrentUser,
    center: &centers::Model,
    input: ApplicationInput,
    now: DateTime<Utc>,
) -> Result<applications::Model, AppError> {
    let mut errors = FieldErrors::default();
    check_areas(&input.narratives, &input.nothing_to_report, &mut errors);
    errors.into_result(())?;
    if center.status != center_status::DRAFT {
        return Err(AppError::Conflict(Msg::new(
            format!(
                "中心当前状态为 {}，不能申请认定",
                crate::domain::states::in_words(&center.status).zh
            ),
            format!(
                "the center is {}; it cannot apply",
                crate::domain::states::in_words(&center.status).en
            ),
        )));
    }
    crate::db::write(db, async |txn| {
        let open = applications::Entity::find()
            .filter(applications::Column::CenterId.eq(center.id))
            .filter(applications::Column::Status.ne(status::REJECTED))
            .order_by_desc(applications::Column::Id)
            .one(txn)
            .await?;
        if let Some(open) = open {
            return Err(AppError::Conflict(Msg::new(
                format!("已有进行中的申请（{}，状态 {}）", open.id, open.status),
                format!("application {} is in progress ({})", open.id, open.status),
            )));
        }
        let application = applications::ActiveModel {
            center_id: Set(center.id),
            status: Set(status::DRAFT.to_string()),
            narratives: Set(serde_json::to_string(&input.narratives).map_err(anyhow::Error::from)?),
            nothing_to_report: Set(
                serde_json::to_string(&input.nothing_to_report).map_err(anyhow::Error::from)?
            ),
            criteria_failed: Set(false),
            objection_open: Set(false),
            waiting_since: Set(now),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        AuditEntry::new(
            Some(user.id),
            "application.create",
            "application",
            application.id,
        )
        .write(txn, now)
        .await?;
        Ok(application)
    })
    .await
}

/// Saves the draft (or returned) application's text; `version` from the last read (409 if stale).
pub async fn save_draft(
    db: &DatabaseConnection,
    user: &CurrentUser,
    application: applications::Model,
    input: ApplicationInput,
    now: DateTime<Utc>,
) -> Result<applications::Model, AppError> {
    let mut errors = FieldErrors::default();
    check_areas(&input.narratives, &input.nothing_to_report, &mut errors);
    let Some(version) = input.version else {
        errors.add("version", Msg::new("缺少 version", "version is required"));
        return Err(AppError::Validation(errors));
    };
    errors.into_result(())?;
    editable(&application)?;
    crate::db::write(db, async |txn| {
        let mut changed = application.clone();
        changed.narratives =
            serde_json::to_string(&input.narratives).map_err(anyhow::Error::from)?;
        changed.nothing_to_report =
            serde_json::to_string(&input.nothing_to_report).map_err(anyhow::Error::from)?;
        let saved = save(txn, changed, version, now).await?;
        AuditEntry::new(Some(user.id), "application.save", "application", saved.id)
            .write(txn, now)
            .await?;
        Ok(saved)
    })
    .await
}

/// The indicators of the last full year before `today`, as frozen into an application.
async fn snapshot(
    services: &Services<'_>,
    center: &centers::Model,
) -> Result<(serde_json::Value, i32, bool), AppError> {
    let host = organizations::Entity::find_by_id(center.host_organization_id)
        .one(services.db)
        .await?;
    let year = services.today.year() - 1;
    let m = metrics::evaluate(
        services.db,
        services.rulebook,
        services.figures,
        center,
        host.as_ref(),
        year,
        services.today,
    )
    .await?;
    let failed = m.verdicts.iter().any(|v| !v.passed);
    let mut value = frozen_figures(&m);
    value["profile"] = serde_json::json!({
        "name": center.name,
        "level": center.level,
        "industry": center.industry,
        "region_code": center.region_code,
        "host": host.as_ref().map(|h| serde_json::json!({
            "name": h.name, "uscc": h.uscc, "kind": h.kind,
            "leading": h.flag_leading, "national_level": h.flag_national_level,
        })),
    });
    Ok((value, year, failed))
}

/// Submits a draft or returned application (its staff): every area written or listed in
/// `nothing_to_report`; the last full year's indicators frozen with their verdicts (a failing
/// hard criterion is allowed but marked). National: to the provincial office for
/// recommendation; local: straight to review by the deciding office. Mail to that office.
pub async fn submit(
    services: &Services<'_>,
    user: &CurrentUser,
    application: applications::Model,
    center: &centers::Model,
) -> Result<applications::Model, AppError> {
    editable(&application)?;
    check_complete(
        &json_map(&application.narratives),
        &json_list(&application.nothing_to_report),
    )?;
    let (frozen, year, failed) = snapshot(services, center).await?;
    crate::db::write(services.db, async |txn| {
        let version = application.version;
        let mut changed = application;
        changed.status = if is_national(center) {
            status::SUBMITTED
        } else {
            status::UNDER_REVIEW
        }
        .to_string();
        changed.snapshot = Some(frozen.to_string());
        changed.snapshot_year = Some(year);
        changed.criteria_failed = failed;
        changed.submitted_at = Some(services.now);
        changed.waiting_since = services.now;
        let saved = save(txn, changed, version, services.now).await?;
        AuditEntry::new(Some(user.id), "application.submit", "application", saved.id)
            .after(&serde_json::json!({"status": saved.status, "criteria_failed": failed}))
            .write(txn, services.now)
            .await?;
        let office = crate::mail::recipients::local_office(txn, &authority_region(center)).await?;
        // no account for that office yet: cnipa hears of it instead, so the step is not lost
        let to = if office.is_empty() {
            crate::mail::recipients::cnipa(txn).await?
        } else {
            office
        };
        crate::mail::enqueue(
            txn,
            services.mail(),
            "submitted",
            &to,
            &mail_data(services, center, &saved, ""),
        )
        .await?;
        Ok(saved)
    })
    .await
}
