//! Accreditation (认定): one state machine from the center's application to the start of its
//! first cycle — `draft → submitted → recommended → under_review → accredited | rejected`, with
//! `returned` from `submitted`; local-level centers go `submitted → under_review` directly.

pub mod attachments;
mod effect;
pub mod notice;
mod steps;

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use entities::{applications, centers, organizations};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use effect::{Resolution, ResolveInput, resolve_objection, take_effect_due};
pub use steps::{
    DecideInput, Outcome, assign, decide, declare_conflict, object, recommend_or_return, score,
};

use super::{
    access,
    audit::AuditEntry,
    centers::{CenterLevel, status as center_status},
    metrics,
    review::{self, AssignmentView, Subject},
    rulebook::RulebookCache,
    users::Role,
};
use crate::{
    auth::CurrentUser,
    error::{AppError, FieldErrors},
    i18n::Msg,
    templates::Templates,
};

/// Application states.
pub mod status {
    pub const DRAFT: &str = "draft";
    pub const SUBMITTED: &str = "submitted";
    pub const RETURNED: &str = "returned";
    pub const RECOMMENDED: &str = "recommended";
    pub const UNDER_REVIEW: &str = "under_review";
    pub const ACCREDITED: &str = "accredited";
    pub const REJECTED: &str = "rejected";
}

/// The achievement areas of the guideline an application (and an annual report) reports on.
pub const AREAS: [&str; 4] = ["operations", "key_tasks", "sme_service", "chain_support"];

/// What a workflow step reads besides its input: the database, the rulebook and figures caches,
/// the mail templates, the app's clock and the public address links in mail point to.
pub struct Services<'a> {
    pub db: &'a DatabaseConnection,
    pub rulebook: &'a RulebookCache,
    pub figures: &'a metrics::FiguresCache,
    pub templates: &'a Templates,
    pub today: NaiveDate,
    pub now: DateTime<Utc>,
    pub public_url: &'a str,
}

/// `{"narratives":{…},"nothing_to_report":[…]}` (+ `version` when saving a draft again).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ApplicationInput {
    #[serde(default)]
    pub narratives: BTreeMap<String, String>,
    #[serde(default)]
    pub nothing_to_report: Vec<String>,
    #[serde(default)]
    pub version: Option<i32>,
}

/// `{"reason"}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReasonInput {
    #[serde(default)]
    pub reason: String,
}

/// An application as its readers see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicationView {
    pub id: i32,
    pub center_id: i32,
    pub center_name: String,
    pub center_level: String,
    pub status: String,
    pub narratives: BTreeMap<String, String>,
    pub nothing_to_report: Vec<String>,
    /// The indicators of the last full year, frozen on submission, with each criterion's verdict.
    #[schema(value_type = Object)]
    pub snapshot: Option<serde_json::Value>,
    pub snapshot_year: Option<i32>,
    /// A hard criterion of the snapshot fails (submitting is allowed, accrediting is not).
    pub criteria_failed: bool,
    pub return_reason: Option<String>,
    pub recommend_reason: Option<String>,
    pub outcome: Option<String>,
    pub decision_reason: Option<String>,
    pub decision_rulebook_version: Option<i32>,
    pub mean_score: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Last day of the public notice of an accreditation.
    pub notice_ends_on: Option<NaiveDate>,
    pub objection: Option<String>,
    pub objection_open: bool,
    /// The day the accreditation took effect and cycle 1 started.
    pub effective_on: Option<NaiveDate>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub waiting_since: DateTime<Utc>,
    pub days_waiting: i64,
    /// Deciders see every assignment with its scores; an expert sees the others' scores once all
    /// have scored; center staff see none.
    pub assignments: Vec<AssignmentView>,
    pub attachments: Vec<attachments::AttachmentView>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The region code of the office that decides a local-level center (its province's office for a
/// provincial center, its city's for a municipal one) or recommends a national one (its province's).
pub fn authority_region(center: &centers::Model) -> String {
    let code = &center.region_code;
    let (province, city) = (
        code.get(..2).unwrap_or("00"),
        code.get(..4).unwrap_or("0000"),
    );
    if center.level == CenterLevel::Municipal.as_str() {
        format!("{city}00")
    } else {
        format!("{province}0000")
    }
}

/// Whether `center` is accredited by CNIPA (national) rather than a local office.
pub fn is_national(center: &centers::Model) -> bool {
    center.level == CenterLevel::National.as_str()
}

/// Whether `user` decides (and assigns experts to) the applications of `center`: cnipa for a
/// national center; for a local one, the local office of `authority_region`.
pub fn decides(user: &CurrentUser, center: &centers::Model) -> bool {
    if is_national(center) {
        user.role == Role::Cnipa
    } else {
        user.role == Role::LocalOffice
            && user.region_code.as_deref() == Some(authority_region(center).as_str())
    }
}

/// The application and its center if `user` reads it: the center's staff, cnipa, admin, the
/// local offices reading the center, and assigned experts once they declared no conflict (403
/// before); 404 for everyone else.
pub async fn readable(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: i32,
) -> Result<(applications::Model, centers::Model), AppError> {
    let application = applications::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let center = centers::Entity::find_by_id(application.center_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if user.role == Role::Expert {
        let assignment = review::active_assignment(db, Subject::Application(id), user.id)
            .await?
            .ok_or(AppError::NotFound)?;
        if assignment.conflict_status != review::DECLARED_NONE {
            return Err(AppError::ForbiddenBecause(Msg::new(
                "查看申请前须声明无利益冲突",
                "declare that you have no conflict of interest before reading the application",
            )));
        }
        return Ok((application, center));
    }
    if access::can_read(user, &center) {
        Ok((application, center))
    } else {
        Err(AppError::NotFound)
    }
}

pub(crate) fn json_map(text: &str) -> BTreeMap<String, String> {
    serde_json::from_str(text).unwrap_or_default()
}

pub(crate) fn json_list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

/// The view of `application` for `user`.
pub async fn view(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    application: applications::Model,
    center: &centers::Model,
    now: DateTime<Utc>,
) -> Result<ApplicationView, AppError> {
    let mut one = views(db, user, vec![(application, center.clone())], now).await?;
    one.pop().ok_or(AppError::NotFound)
}

/// The views of `items` for `user`, their assignments, experts and attachments read in one query
/// each, whatever their number (the queue).
pub async fn views(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    items: Vec<(applications::Model, centers::Model)>,
    now: DateTime<Utc>,
) -> Result<Vec<ApplicationView>, AppError> {
    let ids: Vec<i32> = items.iter().map(|(a, _)| a.id).collect();
    let mut assignments = if user.role == Role::Center {
        BTreeMap::new()
    } else {
        review::assignments_of_applications(db, &ids).await?
    };
    let all: Vec<_> = assignments.values().flatten().cloned().collect();
    let emails = review::expert_emails(db, &all).await?;
    let mut files = attachments::of_applications(db, &ids).await?;
    Ok(items
        .into_iter()
        .map(|(application, center)| {
            let sees_scores =
                matches!(user.role, Role::Admin | Role::Cnipa) || decides(user, &center);
            let mine = assignments.remove(&application.id).unwrap_or_default();
            ApplicationView {
                id: application.id,
                center_id: center.id,
                center_name: center.name.clone(),
                center_level: center.level.clone(),
                narratives: json_map(&application.narratives),
                nothing_to_report: json_list(&application.nothing_to_report),
                snapshot: application
                    .snapshot
                    .as_deref()
                    .and_then(|s| serde_json::from_str(s).ok()),
                snapshot_year: application.snapshot_year,
                criteria_failed: application.criteria_failed,
                return_reason: application.return_reason,
                recommend_reason: application.recommend_reason,
                outcome: application.outcome,
                decision_reason: application.decision_reason,
                decision_rulebook_version: application.decision_rulebook_version,
                mean_score: application.mean_score,
                decided_at: application.decided_at,
                notice_ends_on: application.notice_ends_on,
                objection: application.objection,
                objection_open: application.objection_open,
                effective_on: application.effective_on,
                submitted_at: application.submitted_at,
                days_waiting: (now - application.waiting_since).num_days().max(0),
                waiting_since: application.waiting_since,
                assignments: review::views(&mine, &emails, sees_scores, user.id),
                attachments: files
                    .remove(&application.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(Into::into)
                    .collect(),
                status: application.status,
                version: application.version,
                created_at: application.created_at,
                updated_at: application.updated_at,
            }
        })
        .collect())
}

/// Checks the keys of an application's narratives: each a known area (422 naming
/// `narratives.<key>` or `nothing_to_report[i]` otherwise).
pub(crate) fn check_areas(input: &ApplicationInput, errors: &mut FieldErrors) {
    for key in input
        .narratives
        .keys()
        .filter(|k| !AREAS.contains(&k.as_str()))
    {
        errors.add(
            format!("narratives.{key}"),
            Msg::new(
                format!("未知的成果领域，应为 {}", AREAS.join("、")),
                format!("unknown achievement area; one of {}", AREAS.join(", ")),
            ),
        );
    }
    for (i, area) in input.nothing_to_report.iter().enumerate() {
        if !AREAS.contains(&area.as_str()) {
            errors.add(
                format!("nothing_to_report[{i}]"),
                Msg::new("未知的成果领域", "unknown achievement area"),
            );
        }
    }
}

/// Whether each area is written or listed as having nothing to report (needed to submit).
pub(crate) fn check_complete(
    narratives: &BTreeMap<String, String>,
    nothing: &[String],
) -> Result<(), AppError> {
    let mut errors = FieldErrors::default();
    for area in AREAS {
        let written = narratives.get(area).is_some_and(|t| !t.trim().is_empty());
        if !written && !nothing.iter().any(|n| n == area) {
            errors.add(
                format!("narratives.{area}"),
                Msg::new(
                    "请填写本领域成果，或将其列入“无可报告”",
                    "write this area, or list it in nothing_to_report",
                ),
            );
        }
    }
    errors.into_result(())
}

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
    check_areas(&input, &mut errors);
    errors.into_result(())?;
    if center.status != center_status::DRAFT {
        return Err(AppError::Conflict(Msg::new(
            format!("中心当前状态为 {}，不能申请认定", center.status),
            format!("the center is {}; it cannot apply", center.status),
        )));
    }
    let txn = crate::db::write_txn(db).await?;
    let open = applications::Entity::find()
        .filter(applications::Column::CenterId.eq(center.id))
        .filter(applications::Column::Status.ne(status::REJECTED))
        .order_by_desc(applications::Column::Id)
        .one(&txn)
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
    .insert(&txn)
    .await?;
    AuditEntry::new(
        Some(user.id),
        "application.create",
        "application",
        application.id,
    )
    .write(&txn, now)
    .await?;
    txn.commit().await?;
    Ok(application)
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
    check_areas(&input, &mut errors);
    let Some(version) = input.version else {
        errors.add("version", Msg::new("缺少 version", "version is required"));
        return Err(AppError::Validation(errors));
    };
    errors.into_result(())?;
    editable(&application)?;
    let txn = crate::db::write_txn(db).await?;
    let mut changed = application.clone();
    changed.narratives = serde_json::to_string(&input.narratives).map_err(anyhow::Error::from)?;
    changed.nothing_to_report =
        serde_json::to_string(&input.nothing_to_report).map_err(anyhow::Error::from)?;
    let saved = save(&txn, changed, version, now).await?;
    AuditEntry::new(Some(user.id), "application.save", "application", saved.id)
        .write(&txn, now)
        .await?;
    txn.commit().await?;
    Ok(saved)
}

/// A draft or a returned application may be edited and submitted; anything else is 409.
pub(crate) fn editable(application: &applications::Model) -> Result<(), AppError> {
    if matches!(
        application.status.as_str(),
        status::DRAFT | status::RETURNED
    ) {
        Ok(())
    } else {
        Err(wrong_state(application))
    }
}

/// 409 naming the application's current state.
pub fn wrong_state(application: &applications::Model) -> AppError {
    AppError::Conflict(Msg::new(
        format!("申请当前状态为 {}，不能进行此操作", application.status),
        format!(
            "the application is {}; this step does not apply",
            application.status
        ),
    ))
}

/// Writes `changed` over the application if it is still at `expected_version` (409 otherwise),
/// with the next version.
async fn save(
    db: &impl ConnectionTrait,
    mut changed: applications::Model,
    expected_version: i32,
    now: DateTime<Utc>,
) -> Result<applications::Model, AppError> {
    changed.version = expected_version + 1;
    changed.updated_at = now;
    let id = changed.id;
    let active: applications::ActiveModel = changed.clone().into();
    let result = applications::Entity::update_many()
        .set(active.reset_all())
        .filter(applications::Column::Id.eq(id))
        .filter(applications::Column::Version.eq(expected_version))
        .exec(db)
        .await?;
    if result.rows_affected == 1 {
        Ok(changed)
    } else {
        let current = applications::Entity::find_by_id(id).one(db).await?;
        Err(AppError::Conflict(Msg::new(
            format!(
                "申请已被他人修改（当前状态 {}），请刷新后重试",
                current.as_ref().map_or("?", |c| c.status.as_str())
            ),
            format!(
                "the application changed meanwhile (now {}); reload and try again",
                current.as_ref().map_or("?", |c| c.status.as_str())
            ),
        )))
    }
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
    let txn = crate::db::write_txn(services.db).await?;
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
    let saved = save(&txn, changed, version, services.now).await?;
    AuditEntry::new(Some(user.id), "application.submit", "application", saved.id)
        .after(&serde_json::json!({"status": saved.status, "criteria_failed": failed}))
        .write(&txn, services.now)
        .await?;
    let office = crate::mail::recipients::local_office(&txn, &authority_region(center)).await?;
    // no account for that office yet: cnipa hears of it instead, so the step is not lost
    let to = if office.is_empty() {
        crate::mail::recipients::cnipa(&txn).await?
    } else {
        office
    };
    crate::mail::enqueue(
        &txn,
        services.templates,
        "submitted",
        &to,
        &mail_data(services, center, &saved, ""),
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// A year's figures and each criterion's verdict in both languages, as frozen into an application
/// or a report revision.
pub fn frozen_figures(m: &metrics::Metrics) -> serde_json::Value {
    let f = &m.figures;
    serde_json::json!({
        "year": m.year,
        "as_of": m.as_of,
        "rulebook_version": m.rulebook.version,
        "operation_amount": f.operation_amount.to_string(),
        "amount_by_kind": f.amount_by_kind.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<BTreeMap<_, _>>(),
        "related_party_amount": f.related_party_amount.to_string(),
        "transaction_count": f.transaction_count,
        "projects_cumulative": f.projects_cumulative,
        "projects_counted_from": m.cycle_start,
        "alliance_counting_members": f.alliance_counting_members,
        "alliance_members": f.alliance_members,
        "tech_smes_served": f.tech_smes_served,
        "criteria": m.verdicts.iter().map(|v| serde_json::json!({
            "rule": v.rule, "passed": v.passed, "detail_zh": v.detail.zh, "detail_en": v.detail.en,
        })).collect::<Vec<_>>(),
    })
}

/// What every application mail template reads.
fn mail_data(
    services: &Services<'_>,
    center: &centers::Model,
    application: &applications::Model,
    reason: &str,
) -> serde_json::Value {
    serde_json::json!({
        "center_name": center.name,
        "application_id": application.id,
        "status": application.status,
        "reason": reason,
        "outcome_zh": match application.outcome.as_deref() {
            Some(status::ACCREDITED) => "予以认定",
            Some(_) => "不予认定",
            None => "",
        },
        "outcome_en": application.outcome.clone().unwrap_or_default(),
        "mean_score": application.mean_score.clone().unwrap_or_default(),
        "notice_ends_on": application.notice_ends_on.map(|d| d.to_string()).unwrap_or_default(),
        "effective_on": application.effective_on.map(|d| d.to_string()).unwrap_or_default(),
        "link": format!("{}/applications/{}", services.public_url.trim_end_matches('/'), application.id),
    })
}
