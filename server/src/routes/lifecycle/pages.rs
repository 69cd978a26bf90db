//! A center's reviews page (`/centers/{id}/reports`: proposals, reports, rectification,
//! withdrawal, decisions, and the decider's form), and what its forms keep when refused.

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, web};
use serde::Serialize;

use crate::web::form::{Kept, Row, optional};
use crate::web::page::render;
use crate::{
    auth::CurrentUser,
    domain::{
        access,
        lifecycle::{record::DecisionView, withdrawal::WithdrawalView},
        reports::ReportView,
        views::center_reviews::center_reviews,
    },
    error::AppError,
    i18n::Lang,
    state::AppState,
};

#[derive(Serialize)]
struct LifecyclePage {
    center_id: i32,
    center_name: String,
    status_label: String,
    proposals: Vec<String>,
    reports: Vec<Row>,
    decisions: Vec<Row>,
    rectification: Option<Row>,
    rectification_open: bool,
    withdrawals: Vec<Row>,
    withdrawal_open: bool,
    can_write: bool,
    can_withdraw: bool,
    can_decide: bool,
    kept: Kept,
}

/// A report of the calendar as a row linking to its page.
fn report_row(r: ReportView, center_id: i32, t: impl Fn(&str) -> String) -> Row {
    let result = |r: Option<&str>| optional(r.map(|r| t(&format!("result_{r}"))));
    Row {
        href: Some(format!("/centers/{center_id}/reports/{}", r.year)),
        cells: vec![
            r.cycle.to_string(),
            r.year.to_string(),
            r.due_date.to_string(),
            t(&format!("report_status_{}", r.status)),
            r.revision.to_string(),
            result(r.proposed_result.as_deref()),
            result(r.result.as_deref()),
        ],
    }
}

/// A decision as a row.
fn decision_row(d: DecisionView, t: impl Fn(&str) -> String) -> Row {
    let outcome = match (d.result.as_deref(), d.accepted) {
        (Some(r), _) => t(&format!("result_{r}")),
        (None, Some(true)) => t("rect_accepted"),
        (None, Some(false)) => t("rect_rejected"),
        (None, None) => String::new(),
    };
    Row {
        cells: vec![
            t(&format!("decision_{}", d.kind)),
            optional(d.year),
            outcome,
            optional(d.reason),
            d.rulebook_version.to_string(),
            crate::clock::china_date(d.decided_at).to_string(),
            optional(d.notice_ends_on),
            optional(d.effective_on),
        ],
        href: None,
    }
}

/// A withdrawal request as a row.
fn withdrawal_row(w: WithdrawalView, t: impl Fn(&str) -> String) -> Row {
    let status = t(&format!("withdrawal_{}", w.status));
    Row {
        cells: vec![w.requested_on.to_string(), w.reason, status],
        href: None,
    }
}

/// The reviews page of center `id`; `kept` carries a refused form back (then 422).
pub(super) async fn lifecycle_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    id: i32,
    kept: Kept,
) -> Result<HttpResponse, AppError> {
    let center = access::readable_center(&state.db, user, id).await?;
    let reviews = center_reviews(&state.services(), user, &center).await?;
    let lang = Lang::of_request(req);
    let t = |key: &str| state.templates.label(lang, key).to_string();
    let proposal = |p: crate::domain::lifecycle::proposals::Proposal| {
        let kind = t(&format!("proposal_{}", p.kind));
        let (open, close, colon) = (t("p_open"), t("p_close"), t("p_colon"));
        format!("{kind}{open}{}{close}{colon}{}", p.since, p.reason)
    };
    let rectification = reviews.rectification.map(|r| Row {
        cells: vec![
            r.year.to_string(),
            r.deadline.to_string(),
            t(&format!("rect_{}", r.status)),
            r.report.unwrap_or_default(),
        ],
        href: None,
    });
    let data = LifecyclePage {
        center_id: center.id,
        center_name: center.name,
        status_label: t(&format!("status_{}", center.status)),
        proposals: reviews.proposals.into_iter().map(proposal).collect(),
        reports: (reviews.reports.into_iter())
            .map(|r| report_row(r, id, t))
            .collect(),
        decisions: (reviews.decisions.into_iter())
            .map(|d| decision_row(d, t))
            .collect(),
        withdrawals: (reviews.withdrawals.into_iter())
            .map(|w| withdrawal_row(w, t))
            .collect(),
        rectification,
        rectification_open: reviews.rectification_open,
        withdrawal_open: reviews.withdrawal_open,
        can_write: reviews.can_write,
        can_withdraw: reviews.can_withdraw,
        can_decide: reviews.can_decide,
        kept,
    };
    let status = match data.kept.has_errors {
        true => StatusCode::UNPROCESSABLE_ENTITY,
        false => StatusCode::OK,
    };
    render(
        state,
        req,
        Some(user),
        "reports/lifecycle",
        "lc_title",
        status,
        data,
    )
    .await
}

/// A center's reviews page.
#[get("/centers/{id}/reports")]
async fn lifecycle(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    lifecycle_page(&state, &req, &user, id.into_inner(), Kept::default()).await
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[("GET", "/centers/{id}/reports")];

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(lifecycle);
}
