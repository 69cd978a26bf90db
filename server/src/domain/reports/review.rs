//! The review of a submitted report: experts assigned, declaring and scoring exactly as for
//! applications (the same code), and the result the system proposes — a person decides.

use entities::{annual_report_revisions, annual_reports, centers, review_assignments};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::status;
use crate::{
    auth::CurrentUser,
    domain::{
        audit::AuditEntry,
        review::{self, AssignInput, ConflictInput, ScoresInput, Subject},
        rulebook::Rules,
        services::Services,
        users::Role,
    },
    error::AppError,
    i18n::Msg,
};

/// `qualified` (合格).
pub const QUALIFIED: &str = "qualified";
/// `basically_qualified` (基本合格).
pub const BASICALLY_QUALIFIED: &str = "basically_qualified";
/// `unqualified` (不合格).
pub const UNQUALIFIED: &str = "unqualified";

/// The result the system proposes for a report, with its reasons: `unqualified` when it is
/// overdue or a hard criterion of its submitted figures fails; otherwise by the mean expert score
/// against the rulebook's `result_thresholds` once every assigned expert (at least `min_experts`)
/// has scored; none before.
pub fn propose(
    overdue: bool,
    due_date: chrono::NaiveDate,
    figures: Option<&serde_json::Value>,
    assignments: &[review_assignments::Model],
    rules: &Rules,
) -> (Option<&'static str>, Vec<Msg>) {
    if overdue {
        return (
            Some(UNQUALIFIED),
            vec![Msg::new(
                format!("报告逾期未提交（截止 {due_date}）"),
                format!("the report is overdue (due {due_date})"),
            )],
        );
    }
    let Some(figures) = figures else {
        return (None, Vec::new());
    };
    let failing: Vec<Msg> = figures["criteria"]
        .as_array()
        .map(|all| {
            all.iter()
                .filter(|c| c["passed"] == false)
                .map(|c| {
                    let rule = criterion_words(c["rule"].as_str().unwrap_or_default());
                    let detail = |lang: &str| c[lang].as_str().unwrap_or_default().to_string();
                    Msg::new(
                        format!("{}：{}", rule.zh, detail("detail_zh")),
                        format!("{}: {}", rule.en, detail("detail_en")),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    if !failing.is_empty() {
        return (Some(UNQUALIFIED), failing);
    }
    if !review::all_scored(assignments, rules.min_experts) {
        return (None, Vec::new());
    }
    let Some(mean) = review::mean_score(assignments) else {
        return (None, Vec::new());
    };
    let value: f64 = mean.parse().unwrap_or_default();
    let t = &rules.result_thresholds;
    let (result, relation) = if value >= f64::from(t.qualified) {
        (QUALIFIED, format!("≥ {}", t.qualified))
    } else if value >= f64::from(t.basically_qualified) {
        (BASICALLY_QUALIFIED, format!("≥ {}", t.basically_qualified))
    } else {
        (UNQUALIFIED, format!("< {}", t.basically_qualified))
    };
    (
        Some(result),
        vec![Msg::new(
            format!("专家平均分 {mean} {relation}"),
            format!("mean expert score {mean} {relation}"),
        )],
    )
}

/// A hard criterion's name in words.
fn criterion_words(rule: &str) -> Msg {
    match rule {
        "operation_scale" => Msg::new("运营规模", "Operation scale"),
        "alliance_size" => Msg::new("联盟规模", "Alliance size"),
        "host_eligible" => Msg::new("建设主体", "Host eligibility"),
        other => Msg::new(other, other),
    }
}

/// A result in both languages, as mails word it.
pub fn result_words(result: Option<&str>) -> &'static str {
    match result {
        Some(QUALIFIED) => "合格 / qualified",
        Some(BASICALLY_QUALIFIED) => "基本合格 / basically qualified",
        Some(UNQUALIFIED) => "不合格 / unqualified",
        _ => "暂无 / none yet",
    }
}

/// A submitted report of `center` for `year` under review, or 409 naming its state.
async fn under_review(
    db: &impl ConnectionTrait,
    center: &centers::Model,
    year: i32,
) -> Result<annual_reports::Model, AppError> {
    let report = annual_reports::Entity::find()
        .filter(annual_reports::Column::CenterId.eq(center.id))
        .filter(annual_reports::Column::Year.eq(year))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if report.status == status::SUBMITTED {
        Ok(report)
    } else {
        Err(AppError::Conflict(Msg::new(
            format!(
                "报告当前状态为 {}，不在评审中",
                crate::domain::states::in_words(&report.status).zh
            ),
            format!(
                "the report is {}; it is not under review",
                crate::domain::states::in_words(&report.status).en
            ),
        )))
    }
}

/// Adds experts to the review of a submitted report (cnipa; the deciding local office for a local
/// center), with the same conflict-of-interest check as for applications.
pub async fn assign(
    services: &Services<'_>,
    user: &CurrentUser,
    center: &centers::Model,
    year: i32,
    input: &AssignInput,
) -> Result<(), AppError> {
    if !crate::domain::jurisdiction::decides(user, center) {
        return Err(AppError::ForbiddenBecause(Msg::new(
            "国家级中心的报告由国家知识产权局组织评审，地方中心由所在地知识产权局组织评审",
            "cnipa reviews national centers' reports; the local office of the region reviews local ones",
        )));
    }
    crate::db::write(services.db, async |txn| {
        let report = under_review(txn, center, year).await?;
        let experts = review::assign(
            txn,
            Subject::Report(report.id),
            center,
            input,
            user.id,
            services.now,
        )
        .await?;
        let ids: Vec<i32> = experts.iter().map(|e| e.id).collect();
        AuditEntry::new(Some(user.id), "report.assign", "annual_report", report.id)
            .after(&serde_json::json!({"expert_ids": ids}))
            .write(txn, services.now)
            .await?;
        let to: Vec<String> = experts.into_iter().map(|e| e.email).collect();
        let data = mail_data(services, center, year);
        crate::mail::enqueue(txn, services.mail(), "report_expert_assigned", &to, &data).await?;
        Ok(())
    })
    .await
}

/// What the review mails of a report say: the center, the year and the report's page.
fn mail_data(services: &Services<'_>, center: &centers::Model, year: i32) -> serde_json::Value {
    serde_json::json!({
        "center_name": center.name,
        "year": year,
        "link": format!("{}/centers/{}/reports/{year}", services.public_url.trim_end_matches('/'), center.id),
    })
}

/// The assigned expert's declaration of (no) conflict of interest on a report, kept as a record.
pub async fn declare(
    services: &Services<'_>,
    user: &CurrentUser,
    center: &centers::Model,
    year: i32,
    input: &ConflictInput,
) -> Result<review_assignments::Model, AppError> {
    crate::db::write(services.db, async |txn| {
        let report = under_review(txn, center, year).await?;
        let assignment = review::active_assignment(txn, Subject::Report(report.id), user.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let declared = review::declare(txn, assignment, input, services.now).await?;
        AuditEntry::new(Some(user.id), "report.conflict", "review_assignment", declared.id)
            .after(&serde_json::json!({"conflict_status": declared.conflict_status, "note": declared.conflict_note}))
            .write(txn, services.now)
            .await?;
        Ok(declared)
    })
    .await
}

/// The expert assigned to the report of `year` of center `center_id` declares (no) conflict of
/// interest: 404 for an expert not assigned to it, whatever its state; the declaration as the
/// expert sees it.
pub async fn declare_as_expert(
    services: &Services<'_>,
    user: &CurrentUser,
    center_id: i32,
    year: i32,
    input: &ConflictInput,
) -> Result<review::AssignmentView, AppError> {
    user.require(&[Role::Expert])?;
    let db = services.db;
    let center = centers::Entity::find_by_id(center_id).one(db).await?;
    let center = center.ok_or(AppError::NotFound)?;
    let report = super::stored_report(db, center_id, year).await?;
    let report = report.ok_or(AppError::NotFound)?;
    let subject = Subject::Report(report.id);
    if review::active_assignment(db, subject, user.id)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    let declared = declare(services, user, &center, year, input).await?;
    let one = std::slice::from_ref(&declared);
    let emails = review::expert_emails(db, one).await?;
    let mut views = review::views(one, &emails, true, user.id);
    views.pop().ok_or(AppError::NotFound)
}

/// The expert's scores of a report against the annual rubric of the rulebook (the same items as
/// accreditation's by default), changeable until the result is recorded.
pub async fn score(
    services: &Services<'_>,
    user: &CurrentUser,
    center: &centers::Model,
    year: i32,
    input: &ScoresInput,
) -> Result<(), AppError> {
    let rules = services
        .rulebook
        .in_force_on(services.db, services.today)
        .await?
        .rules;
    crate::db::write(services.db, async |txn| {
        let report = under_review(txn, center, year).await?;
        let assignment = review::active_assignment(txn, Subject::Report(report.id), user.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let subject = Subject::Report(report.id);
        let complete_before =
            review::all_scored(&review::assignments(txn, subject).await?, rules.min_experts);
        let scored =
            review::score(txn, assignment, rules.annual_rubric(), input, services.now).await?;
        AuditEntry::new(
            Some(user.id),
            "report.score",
            "review_assignment",
            scored.id,
        )
        .after(&serde_json::json!({"scores": scored.scores, "total": scored.total}))
        .write(txn, services.now)
        .await?;
        let all = review::assignments(txn, subject).await?;
        if !complete_before && review::all_scored(&all, rules.min_experts) {
            // the decider is told once, when the last assigned expert has scored
            let to = if crate::domain::jurisdiction::is_national(center) {
                crate::mail::recipients::cnipa(txn).await?
            } else {
                crate::mail::recipients::local_office(
                    txn,
                    &crate::domain::jurisdiction::authority_region(center),
                )
                .await?
            };
            let figures = annual_report_revisions::Entity::find()
                .filter(annual_report_revisions::Column::ReportId.eq(report.id))
                .order_by_desc(annual_report_revisions::Column::Revision)
                .one(txn)
                .await?
                .and_then(|r| serde_json::from_str(&r.snapshot).ok());
            let due = super::ReportYear {
                extension: super::extension_of(txn, center.id, year).await?,
                ..super::ReportYear::plain(year)
            }
            .due(&rules);
            let (proposed, _) = propose(false, due, figures.as_ref(), &all, &rules);
            let mut data = mail_data(services, center, year);
            data["mean_score"] = review::mean_score(&all).unwrap_or_default().into();
            data["proposed"] = result_words(proposed).into();
            crate::mail::enqueue(txn, services.mail(), "report_scores_complete", &to, &data)
                .await?;
        }
        Ok(())
    })
    .await
}
