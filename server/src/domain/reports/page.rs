//! What a report's page shows its reader: the report with its revisions and what changed, the
//! figures its records give today, what the reader may do, and the review by role (the
//! decider's assignment, the experts' declarations and scores, an expert's own rubric); or, to
//! an assigned expert who has not declared yet, only the declaration.

use chrono::NaiveDate;
use entities::centers;
use sea_orm::EntityTrait;

use super::{ReportDetail, detail, status, stored_report};
use crate::{
    auth::CurrentUser,
    domain::{
        access,
        centers::status as center_status,
        jurisdiction::decides,
        metrics, organizations,
        review::{self, AssignmentView, RubricLine, Subject},
        services::Services,
        users::Role,
    },
    error::AppError,
};

/// The review part of a report's page as its reader sees it.
#[derive(Default)]
pub struct ReviewModel {
    /// The decider may assign experts to the submitted report.
    pub can_assign: bool,
    /// The experts the decider may choose, with their organizations and automatic conflicts.
    pub experts: Vec<review::Candidate>,
    /// The active assignments (the decider's and the experts' view).
    pub assignments: Vec<AssignmentView>,
    /// The reader is an assigned expert who declared no conflict.
    pub can_score: bool,
    pub rubric: Vec<RubricLine>,
}

/// A report's page.
pub struct ReportPage {
    pub center: centers::Model,
    pub detail: ReportDetail,
    /// The latest revision's figures as the records give them today (null before submission).
    pub live: serde_json::Value,
    pub can_edit: bool,
    pub can_decide: bool,
    pub can_return: bool,
    pub review: ReviewModel,
}

/// What a reader of a report's address sees.
pub enum ReportRead {
    Page(Box<ReportPage>),
    /// An assigned expert who has not declared: the declaration form of this center's report.
    Declare(centers::Model),
}

/// The report of `year` of center `center_id` as `user` reads it (404 outside the reader's
/// scope).
pub async fn report_page(
    services: &Services<'_>,
    user: &CurrentUser,
    center_id: i32,
    year: i32,
) -> Result<ReportRead, AppError> {
    match access::readable_center(services.db, user, center_id).await {
        Ok(center) => Ok(ReportRead::Page(Box::new(
            page_of(services, user, center, year).await?,
        ))),
        Err(refused) => match undeclared(services, user, center_id, year).await? {
            Some(center) => Ok(ReportRead::Declare(center)),
            None => Err(refused),
        },
    }
}

/// The page of the report of `year` of `center`, which `user` reads.
async fn page_of(
    services: &Services<'_>,
    user: &CurrentUser,
    center: centers::Model,
    year: i32,
) -> Result<ReportPage, AppError> {
    let detail = detail(services, &center, year).await?;
    let report = &detail.report;
    let editable = matches!(
        report.status.as_str(),
        status::NOT_DUE | status::DRAFT | status::RETURNED
    );
    let staff = user.role == Role::Center && user.center_id == Some(center.id);
    let submitted = report.status == status::SUBMITTED;
    let live = match detail.revisions.last() {
        Some(_) => live_figures(services, &center, year).await?,
        None => serde_json::Value::Null,
    };
    Ok(ReportPage {
        can_edit: editable && staff && center.status != center_status::EXITED,
        can_decide: decides(user, &center) && report.result.is_none(),
        can_return: decides(user, &center) && submitted,
        review: review_model(services, user, &center, year, submitted).await?,
        live,
        detail,
        center,
    })
}

/// The report's figures of `year` as `center`'s records give them today.
async fn live_figures(
    services: &Services<'_>,
    center: &centers::Model,
    year: i32,
) -> Result<serde_json::Value, AppError> {
    let host = organizations::find_by_id(services.db, center.host_organization_id).await?;
    let (db, rulebook, figures) = (services.db, services.rulebook, services.figures);
    let m = metrics::evaluate(
        db,
        rulebook,
        figures,
        center,
        host.as_ref(),
        year,
        services.today,
    )
    .await?;
    Ok(metrics::frozen_figures(&m))
}

/// The review part of the report of `year` as `user` sees it.
async fn review_model(
    services: &Services<'_>,
    user: &CurrentUser,
    center: &centers::Model,
    year: i32,
    submitted: bool,
) -> Result<ReviewModel, AppError> {
    let db = services.db;
    let Some(report) = stored_report(db, center.id, year).await? else {
        return Ok(ReviewModel::default());
    };
    let subject = Subject::Report(report.id);
    let all = review::assignments(db, subject).await?;
    let decider = decides(user, center);
    let emails = review::expert_emails(db, &all).await?;
    let shown = decider || user.role == Role::Expert;
    let views = review::views(&all, &emails, decider, user.id);
    let assignments = views.into_iter().filter(|a| shown && a.active).collect();
    let experts = match decider && submitted {
        true => review::candidates(db, center).await?,
        false => Vec::new(),
    };
    let mine = match user.role {
        Role::Expert => review::active_assignment(db, subject, user.id).await?,
        _ => None,
    };
    let declared_none =
        |a: &entities::review_assignments::Model| a.conflict_status == review::DECLARED_NONE;
    let rules = annual_rules(services, services.today).await?;
    Ok(ReviewModel {
        can_assign: decider && submitted,
        experts,
        assignments,
        can_score: submitted && mine.as_ref().is_some_and(declared_none),
        rubric: review::rubric_lines(&rules, mine.as_ref()),
    })
}

/// The annual rubric of the rulebook in force on `day`.
async fn annual_rules(
    services: &Services<'_>,
    day: NaiveDate,
) -> Result<std::collections::BTreeMap<String, u32>, AppError> {
    let in_force = services.rulebook.in_force_on(services.db, day).await?;
    Ok(in_force.rules.annual_rubric().clone())
}

/// The center when `user` is an expert assigned to its report of `year` who has not declared
/// (no) conflict of interest yet.
pub async fn undeclared(
    services: &Services<'_>,
    user: &CurrentUser,
    center_id: i32,
    year: i32,
) -> Result<Option<centers::Model>, AppError> {
    if user.role != Role::Expert {
        return Ok(None);
    }
    let Some(report) = stored_report(services.db, center_id, year).await? else {
        return Ok(None);
    };
    let subject = Subject::Report(report.id);
    let assignment = review::active_assignment(services.db, subject, user.id).await?;
    if assignment.is_none_or(|a| a.conflict_status != review::NOT_ASKED) {
        return Ok(None);
    }
    Ok(centers::Entity::find_by_id(center_id)
        .one(services.db)
        .await?)
}
