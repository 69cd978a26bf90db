//! Filing a report: saving its draft, submitting it with the year's figures frozen as the next
//! revision, and returning it for correction.

use chrono::{DateTime, Datelike, Days, Utc};
use entities::{annual_report_revisions, annual_reports, centers, organizations};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use super::{ReturnInput, cycle_of, status, stored_report};
use crate::{
    auth::CurrentUser,
    domain::{
        audit::AuditEntry,
        metrics,
        metrics::frozen_figures,
        narratives::NarrativeInput as ApplicationInput,
        narratives::{check_areas, check_complete, json_list, json_map},
        services::Services,
    },
    error::{AppError, FieldErrors},
    i18n::Msg,
    mail::{enqueue, recipients},
};

fn conflict(zh: String, en: String) -> AppError {
    AppError::Conflict(Msg::new(zh, en))
}

/// Saves the draft of `year` (its staff): `version` from the last read, none for a report never
/// saved (409 when stale); a submitted or decided report is locked (409). True when created.
pub async fn save(
    db: &DatabaseConnection,
    user: &CurrentUser,
    center: &centers::Model,
    year: i32,
    input: ApplicationInput,
    now: DateTime<Utc>,
) -> Result<(annual_reports::Model, bool), AppError> {
    let cycle = cycle_of(db, center.id, year)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::default();
    check_areas(&input.narratives, &input.nothing_to_report, &mut errors);
    errors.into_result(())?;
    let narratives = serde_json::to_string(&input.narratives).map_err(anyhow::Error::from)?;
    let nothing = serde_json::to_string(&input.nothing_to_report).map_err(anyhow::Error::from)?;
    crate::db::write(db, async |txn| {
        let existing = stored_report(txn, center.id, year).await?;
        let (saved, created) = match (existing, input.version) {
            (None, None) => {
                let report = annual_reports::ActiveModel {
                    center_id: Set(center.id),
                    cycle_id: Set(cycle.id),
                    year: Set(year),
                    status: Set(status::DRAFT.to_string()),
                    narratives: Set(narratives),
                    nothing_to_report: Set(nothing),
                    revision: Set(0),
                    version: Set(1),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                (report, true)
            }
            (None, Some(_)) => {
                return Err(conflict(
                    "该报告尚未保存过，请不要提供 version".into(),
                    "this report was never saved; send no version".into(),
                ));
            }
            (Some(_), None) => {
                return Err(AppError::field(
                    "version",
                    Msg::new("缺少 version", "version is required"),
                ));
            }
            (Some(report), Some(version)) => {
                if !matches!(report.status.as_str(), status::DRAFT | status::RETURNED) {
                    return Err(conflict(
                        format!(
                            "报告当前状态为 {}，已锁定",
                            crate::domain::states::in_words(&report.status).zh
                        ),
                        format!(
                            "the report is {}; it is locked",
                            crate::domain::states::in_words(&report.status).en
                        ),
                    ));
                }
                update_current(
                    txn,
                    (report.id, version),
                    vec![
                        (
                            annual_reports::Column::Narratives,
                            sea_orm::sea_query::Expr::value(narratives),
                        ),
                        (
                            annual_reports::Column::NothingToReport,
                            sea_orm::sea_query::Expr::value(nothing),
                        ),
                    ],
                    now,
                )
                .await?;
                let saved = annual_reports::Entity::find_by_id(report.id)
                    .one(txn)
                    .await?
                    .ok_or(AppError::NotFound)?;
                (saved, false)
            }
        };
        AuditEntry::new(Some(user.id), "report.save", "annual_report", saved.id)
            .write(txn, now)
            .await?;
        Ok((saved, created))
    })
    .await
}

/// Submits the report of `year` (its staff): after the year has ended; a first submission until
/// the due date, a returned one within its correction period (409 otherwise: overdue); each area
/// written or listed in `nothing_to_report`; the year's figures frozen with the rulebook version
/// as the next revision; the report locked.
pub async fn submit(
    services: &Services<'_>,
    user: &CurrentUser,
    center: &centers::Model,
    year: i32,
) -> Result<annual_reports::Model, AppError> {
    cycle_of(services.db, center.id, year)
        .await?
        .ok_or(AppError::NotFound)?;
    let rules = super::year_rules(services, year).await?;
    let report = stored_report(services.db, center.id, year)
        .await?
        .ok_or_else(|| {
            conflict(
                "请先保存报告草稿".into(),
                "save the report as a draft first".into(),
            )
        })?;
    if services.today.year() <= year {
        return Err(conflict(
            format!("{year} 年尚未结束，不能提交年度报告"),
            format!("{year} has not ended; its report cannot be submitted yet"),
        ));
    }
    let extension = super::extension_of(services.db, center.id, year).await?;
    let shown = super::ReportYear {
        year,
        stored: Some(&report),
        extension,
        decided: false,
    }
    .status(&rules, services.today);
    if !matches!(shown, status::DRAFT | status::RETURNED) {
        return Err(conflict(
            format!(
                "报告当前状态为 {}，不能提交",
                crate::domain::states::in_words(shown).zh
            ),
            format!(
                "the report is {}; it cannot be submitted",
                crate::domain::states::in_words(shown).en
            ),
        ));
    }
    check_complete(
        &json_map(&report.narratives),
        &json_list(&report.nothing_to_report),
    )?;
    let host = organizations::Entity::find_by_id(center.host_organization_id)
        .one(services.db)
        .await?;
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
    let figures = frozen_figures(&m);
    crate::db::write(services.db, async |txn| {
        let revision = report.revision + 1;
        update_current(
            txn,
            (report.id, report.version),
            vec![
                (
                    annual_reports::Column::Status,
                    sea_orm::sea_query::Expr::value(status::SUBMITTED),
                ),
                (
                    annual_reports::Column::Revision,
                    sea_orm::sea_query::Expr::value(revision),
                ),
            ],
            services.now,
        )
        .await?;
        annual_report_revisions::ActiveModel {
            report_id: Set(report.id),
            revision: Set(revision),
            narratives: Set(report.narratives.clone()),
            nothing_to_report: Set(report.nothing_to_report.clone()),
            snapshot: Set(figures.to_string()),
            rulebook_version: Set(m.rulebook.version),
            submitted_by: Set(user.id),
            submitted_at: Set(services.now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        AuditEntry::new(Some(user.id), "report.submit", "annual_report", report.id)
            .after(&serde_json::json!({"year": year, "revision": revision}))
            .write(txn, services.now)
            .await?;
        Ok(())
    })
    .await?;
    stored_report(services.db, center.id, year)
        .await?
        .ok_or(AppError::NotFound)
}

/// Returns a submitted report to the center with reasons (cnipa; the deciding local office for a
/// local center): it may be corrected and submitted again within `correction_days` (rulebook
/// default), whatever its due date. The center is mailed.
pub async fn return_report(
    services: &Services<'_>,
    user: &CurrentUser,
    center: &centers::Model,
    year: i32,
    input: &ReturnInput,
) -> Result<annual_reports::Model, AppError> {
    if !crate::domain::jurisdiction::decides(user, center) {
        return Err(AppError::ForbiddenBecause(Msg::new(
            "国家级中心的报告由国家知识产权局审查，地方中心由所在地知识产权局审查",
            "cnipa reviews national centers' reports; the local office of the region reviews local ones",
        )));
    }
    let reason = input.reason.trim().to_string();
    if reason.is_empty() {
        return Err(AppError::field(
            "reason",
            Msg::new("请说明退回理由", "a reason is required"),
        ));
    }
    let rules = services
        .rulebook
        .in_force_on(services.db, services.today)
        .await?
        .rules;
    let days = input.correction_days.unwrap_or(rules.correction_days);
    if days == 0 || days > 365 {
        return Err(AppError::field(
            "correction_days",
            Msg::new("须在 1 至 365 天之间", "must lie between 1 and 365 days"),
        ));
    }
    let report = stored_report(services.db, center.id, year)
        .await?
        .ok_or(AppError::NotFound)?;
    if report.status != status::SUBMITTED {
        return Err(conflict(
            format!(
                "报告当前状态为 {}，不能退回",
                crate::domain::states::in_words(&report.status).zh
            ),
            format!(
                "the report is {}; it cannot be returned",
                crate::domain::states::in_words(&report.status).en
            ),
        ));
    }
    let correction_due = services
        .today
        .checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(services.today);
    crate::db::write(services.db, async |txn| {
        update_current(
            txn,
            (report.id, report.version),
            vec![
                (
                    annual_reports::Column::Status,
                    sea_orm::sea_query::Expr::value(status::RETURNED),
                ),
                (
                    annual_reports::Column::ReturnReason,
                    sea_orm::sea_query::Expr::value(reason.clone()),
                ),
                (
                    annual_reports::Column::CorrectionDue,
                    sea_orm::sea_query::Expr::value(correction_due),
                ),
            ],
            services.now,
        )
        .await?;
        AuditEntry::new(Some(user.id), "report.return", "annual_report", report.id)
            .after(
                &serde_json::json!({"year": year, "reason": reason, "correction_due": correction_due}),
            )
            .write(txn, services.now)
            .await?;
        let staff = recipients::center_staff(txn, center.id).await?;
        let data = serde_json::json!({
            "center_name": center.name,
            "year": year,
            "reason": reason,
            "correction_due": correction_due.to_string(),
            "link": format!("{}/centers/{}/reports/{year}", services.public_url.trim_end_matches('/'), center.id),
        });
        enqueue(txn, services.mail(), "report_returned", &staff, &data).await?;
        Ok(())
    })
    .await?;
    stored_report(services.db, center.id, year)
        .await?
        .ok_or(AppError::NotFound)
}

/// Writes `changes` over report `id` if it is still at `version`, moving it to the next version;
/// 409 when someone changed it meanwhile.
async fn update_current(
    db: &impl sea_orm::ConnectionTrait,
    (id, version): (i32, i32),
    changes: Vec<(annual_reports::Column, sea_orm::sea_query::SimpleExpr)>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    use sea_orm::sea_query::Expr;
    let mut update = annual_reports::Entity::update_many()
        .col_expr(annual_reports::Column::Version, Expr::value(version + 1))
        .col_expr(annual_reports::Column::UpdatedAt, Expr::value(now));
    for (column, value) in changes {
        update = update.col_expr(column, value);
    }
    let result = update
        .filter(annual_reports::Column::Id.eq(id))
        .filter(annual_reports::Column::Version.eq(version))
        .exec(db)
        .await?;
    if result.rows_affected == 1 {
        Ok(())
    } else {
        Err(conflict(
            "报告已被他人修改，请刷新后重试".into(),
            "the report changed meanwhile; reload and try again".into(),
        ))
    }
}
