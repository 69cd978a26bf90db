//! Annual performance reports (年度绩效报告): the reporting calendar of every cycle (computed,
//! never typed), the draft, submission with the year's figures frozen as a revision, and return
//! for correction. A cycle's reports stay with it when filed after it ends.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use entities::{annual_report_revisions, annual_reports, centers, cycles, organizations};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    accreditation::{
        self, ApplicationInput, Services, check_areas, check_complete, json_list, json_map,
    },
    audit::AuditEntry,
    metrics,
    rulebook::Rules,
};
use crate::{
    auth::CurrentUser,
    error::{AppError, FieldErrors},
    i18n::Msg,
    mail::{enqueue, recipients},
};

/// Report states as readers see them (`not_due` and `overdue` are computed from the calendar).
pub mod status {
    pub const NOT_DUE: &str = "not_due";
    pub const DRAFT: &str = "draft";
    pub const SUBMITTED: &str = "submitted";
    pub const RETURNED: &str = "returned";
    pub const OVERDUE: &str = "overdue";
    pub const DECIDED: &str = "decided";
}

/// One reporting year of a center as its readers see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportView {
    pub cycle: i32,
    pub year: i32,
    pub due_date: NaiveDate,
    pub status: String,
    pub revision: i32,
    /// None for a report never saved.
    pub version: Option<i32>,
    pub narratives: BTreeMap<String, String>,
    pub nothing_to_report: Vec<String>,
    pub return_reason: Option<String>,
    pub correction_due: Option<NaiveDate>,
    pub proposed_result: Option<String>,
    pub proposal_reasons: Vec<String>,
    pub result: Option<String>,
}

/// One submitted revision, frozen.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RevisionView {
    pub revision: i32,
    pub narratives: BTreeMap<String, String>,
    pub nothing_to_report: Vec<String>,
    /// The year's figures and verdicts at submission.
    #[schema(value_type = Object)]
    pub figures: serde_json::Value,
    pub rulebook_version: i32,
    pub submitted_at: DateTime<Utc>,
}

/// A report with every submitted revision.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportDetail {
    #[serde(flatten)]
    pub report: ReportView,
    pub revisions: Vec<RevisionView>,
}

/// `{"reason","correction_days"?}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReturnInput {
    #[serde(default)]
    pub reason: String,
    pub correction_days: Option<u32>,
}

/// The day the report of `year` is due: `report_due_month_day` of the following year.
pub fn due_date(year: i32, rules: &Rules) -> NaiveDate {
    NaiveDate::parse_from_str(
        &format!("{}-{}", year + 1, rules.report_due_month_day),
        "%Y-%m-%d",
    )
    .unwrap_or_else(|_| NaiveDate::from_ymd_opt(year + 1, 3, 31).unwrap_or_default())
}

/// The status a reader sees: a stored `draft` (or no report) is `not_due` until the due date and
/// `overdue` after it; a `returned` one is `overdue` once its correction period has passed.
pub fn shown_status(
    stored: Option<&annual_reports::Model>,
    due: NaiveDate,
    today: NaiveDate,
) -> &'static str {
    match stored.map(|r| r.status.as_str()) {
        None if today > due => status::OVERDUE,
        None => status::NOT_DUE,
        Some(status::DRAFT) if today > due => status::OVERDUE,
        Some(status::DRAFT) => status::DRAFT,
        Some(status::RETURNED) => match stored.and_then(|r| r.correction_due) {
            Some(last) if today > last => status::OVERDUE,
            _ => status::RETURNED,
        },
        Some(status::SUBMITTED) => status::SUBMITTED,
        Some(_) => status::DECIDED,
    }
}

/// The cycle of `center` whose reporting years hold `year`.
async fn cycle_of(
    db: &impl ConnectionTrait,
    center_id: i32,
    year: i32,
) -> Result<Option<cycles::Model>, AppError> {
    Ok(cycles::Entity::find()
        .filter(cycles::Column::CenterId.eq(center_id))
        .filter(cycles::Column::FirstYear.lte(year))
        .filter(cycles::Column::LastYear.gte(year))
        .one(db)
        .await?)
}

fn view(
    cycle: &cycles::Model,
    year: i32,
    stored: Option<&annual_reports::Model>,
    rules: &Rules,
    today: NaiveDate,
) -> ReportView {
    let due = due_date(year, rules);
    let shown = shown_status(stored, due, today);
    let overdue = shown == status::OVERDUE;
    ReportView {
        cycle: cycle.number,
        year,
        due_date: due,
        status: shown.to_string(),
        revision: stored.map_or(0, |r| r.revision),
        version: stored.map(|r| r.version),
        narratives: stored.map(|r| json_map(&r.narratives)).unwrap_or_default(),
        nothing_to_report: stored
            .map(|r| json_list(&r.nothing_to_report))
            .unwrap_or_default(),
        return_reason: stored.and_then(|r| r.return_reason.clone()),
        correction_due: stored.and_then(|r| r.correction_due),
        // an overdue report is proposed unqualified; the review proposes the rest (later)
        proposed_result: overdue.then(|| "unqualified".to_string()),
        proposal_reasons: if overdue {
            vec![format!(
                "报告逾期未提交（截止 {due}） / the report is overdue (due {due})"
            )]
        } else {
            Vec::new()
        },
        result: None,
    }
}

/// The reporting years of every cycle of `center`, in order, with due dates and statuses.
pub async fn calendar(
    services: &Services<'_>,
    center: &centers::Model,
) -> Result<Vec<ReportView>, AppError> {
    let rules = services
        .rulebook
        .in_force_on(services.db, services.today)
        .await?
        .rules;
    let cycles = cycles::Entity::find()
        .filter(cycles::Column::CenterId.eq(center.id))
        .order_by_asc(cycles::Column::Number)
        .all(services.db)
        .await?;
    let stored: BTreeMap<i32, annual_reports::Model> = annual_reports::Entity::find()
        .filter(annual_reports::Column::CenterId.eq(center.id))
        .all(services.db)
        .await?
        .into_iter()
        .map(|r| (r.year, r))
        .collect();
    Ok(cycles
        .iter()
        .flat_map(|cycle| {
            (cycle.first_year..=cycle.last_year)
                .map(|year| view(cycle, year, stored.get(&year), &rules, services.today))
                .collect::<Vec<_>>()
        })
        .collect())
}

/// The report of `year` with every submitted revision (404 for a year of no cycle).
pub async fn detail(
    services: &Services<'_>,
    center: &centers::Model,
    year: i32,
) -> Result<ReportDetail, AppError> {
    let cycle = cycle_of(services.db, center.id, year)
        .await?
        .ok_or(AppError::NotFound)?;
    let rules = services
        .rulebook
        .in_force_on(services.db, services.today)
        .await?
        .rules;
    let stored = stored_report(services.db, center.id, year).await?;
    let revisions = match &stored {
        Some(report) => annual_report_revisions::Entity::find()
            .filter(annual_report_revisions::Column::ReportId.eq(report.id))
            .order_by_asc(annual_report_revisions::Column::Revision)
            .all(services.db)
            .await?
            .into_iter()
            .map(|r| RevisionView {
                revision: r.revision,
                narratives: json_map(&r.narratives),
                nothing_to_report: json_list(&r.nothing_to_report),
                figures: serde_json::from_str(&r.snapshot).unwrap_or_default(),
                rulebook_version: r.rulebook_version,
                submitted_at: r.submitted_at,
            })
            .collect(),
        None => Vec::new(),
    };
    Ok(ReportDetail {
        report: view(&cycle, year, stored.as_ref(), &rules, services.today),
        revisions,
    })
}

async fn stored_report(
    db: &impl ConnectionTrait,
    center_id: i32,
    year: i32,
) -> Result<Option<annual_reports::Model>, AppError> {
    Ok(annual_reports::Entity::find()
        .filter(annual_reports::Column::CenterId.eq(center_id))
        .filter(annual_reports::Column::Year.eq(year))
        .one(db)
        .await?)
}

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
    check_areas(&input, &mut errors);
    errors.into_result(())?;
    let narratives = serde_json::to_string(&input.narratives).map_err(anyhow::Error::from)?;
    let nothing = serde_json::to_string(&input.nothing_to_report).map_err(anyhow::Error::from)?;
    let txn = crate::db::write_txn(db).await?;
    let existing = stored_report(&txn, center.id, year).await?;
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
            .insert(&txn)
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
                    format!("报告当前状态为 {}，已锁定", report.status),
                    format!("the report is {}; it is locked", report.status),
                ));
            }
            let result = annual_reports::Entity::update_many()
                .col_expr(
                    annual_reports::Column::Narratives,
                    sea_orm::sea_query::Expr::value(narratives),
                )
                .col_expr(
                    annual_reports::Column::NothingToReport,
                    sea_orm::sea_query::Expr::value(nothing),
                )
                .col_expr(
                    annual_reports::Column::Version,
                    sea_orm::sea_query::Expr::value(version + 1),
                )
                .col_expr(
                    annual_reports::Column::UpdatedAt,
                    sea_orm::sea_query::Expr::value(now),
                )
                .filter(annual_reports::Column::Id.eq(report.id))
                .filter(annual_reports::Column::Version.eq(version))
                .exec(&txn)
                .await?;
            if result.rows_affected != 1 {
                return Err(conflict(
                    "报告已被他人修改，请刷新后重试".into(),
                    "the report changed meanwhile; reload and try again".into(),
                ));
            }
            let saved = annual_reports::Entity::find_by_id(report.id)
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound)?;
            (saved, false)
        }
    };
    AuditEntry::new(Some(user.id), "report.save", "annual_report", saved.id)
        .write(&txn, now)
        .await?;
    txn.commit().await?;
    Ok((saved, created))
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
    let rules = services
        .rulebook
        .in_force_on(services.db, services.today)
        .await?
        .rules;
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
    let shown = shown_status(Some(&report), due_date(year, &rules), services.today);
    if !matches!(shown, status::DRAFT | status::RETURNED) {
        return Err(conflict(
            format!("报告当前状态为 {shown}，不能提交"),
            format!("the report is {shown}; it cannot be submitted"),
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
    let figures = accreditation::frozen_figures(&m);
    let txn = crate::db::write_txn(services.db).await?;
    let revision = report.revision + 1;
    let result = annual_reports::Entity::update_many()
        .col_expr(
            annual_reports::Column::Status,
            sea_orm::sea_query::Expr::value(status::SUBMITTED),
        )
        .col_expr(
            annual_reports::Column::Revision,
            sea_orm::sea_query::Expr::value(revision),
        )
        .col_expr(
            annual_reports::Column::Version,
            sea_orm::sea_query::Expr::value(report.version + 1),
        )
        .col_expr(
            annual_reports::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(services.now),
        )
        .filter(annual_reports::Column::Id.eq(report.id))
        .filter(annual_reports::Column::Version.eq(report.version))
        .exec(&txn)
        .await?;
    if result.rows_affected != 1 {
        return Err(conflict(
            "报告已被他人修改，请刷新后重试".into(),
            "the report changed meanwhile; reload and try again".into(),
        ));
    }
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
    .insert(&txn)
    .await?;
    AuditEntry::new(Some(user.id), "report.submit", "annual_report", report.id)
        .after(&serde_json::json!({"year": year, "revision": revision}))
        .write(&txn, services.now)
        .await?;
    txn.commit().await?;
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
    if !accreditation::decides(user, center) {
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
            format!("报告当前状态为 {}，不能退回", report.status),
            format!("the report is {}; it cannot be returned", report.status),
        ));
    }
    let correction_due = services
        .today
        .checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(services.today);
    let txn = crate::db::write_txn(services.db).await?;
    let result = annual_reports::Entity::update_many()
        .col_expr(
            annual_reports::Column::Status,
            sea_orm::sea_query::Expr::value(status::RETURNED),
        )
        .col_expr(
            annual_reports::Column::ReturnReason,
            sea_orm::sea_query::Expr::value(reason.clone()),
        )
        .col_expr(
            annual_reports::Column::CorrectionDue,
            sea_orm::sea_query::Expr::value(correction_due),
        )
        .col_expr(
            annual_reports::Column::Version,
            sea_orm::sea_query::Expr::value(report.version + 1),
        )
        .col_expr(
            annual_reports::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(services.now),
        )
        .filter(annual_reports::Column::Id.eq(report.id))
        .filter(annual_reports::Column::Version.eq(report.version))
        .exec(&txn)
        .await?;
    if result.rows_affected != 1 {
        return Err(conflict(
            "报告已被他人修改，请刷新后重试".into(),
            "the report changed meanwhile; reload and try again".into(),
        ));
    }
    AuditEntry::new(Some(user.id), "report.return", "annual_report", report.id)
        .after(
            &serde_json::json!({"year": year, "reason": reason, "correction_due": correction_due}),
        )
        .write(&txn, services.now)
        .await?;
    let staff = recipients::center_staff(&txn, center.id).await?;
    let data = serde_json::json!({
        "center_name": center.name,
        "year": year,
        "reason": reason,
        "correction_due": correction_due.to_string(),
        "link": format!("{}/centers/{}/reports/{year}", services.public_url.trim_end_matches('/'), center.id),
    });
    enqueue(&txn, services.templates, "report_returned", &staff, &data).await?;
    txn.commit().await?;
    stored_report(services.db, center.id, year)
        .await?
        .ok_or(AppError::NotFound)
}
