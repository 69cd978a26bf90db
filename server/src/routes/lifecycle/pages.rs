//! A center's reviews page (`/centers/{id}/reports`: proposals, reports, rectification,
//! withdrawal, decisions, and the decider's form), and what its forms keep when refused.

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, web};
use entities::centers;
use serde::Serialize;

use crate::web::form::{Kept, Row, optional};
use crate::web::page::render;
use crate::{
    auth::CurrentUser,
    domain::{
        access,
        lifecycle::decisions,
        lifecycle::proposals,
        lifecycle::rectification,
        lifecycle::withdrawal,
        reports::{self},
        users::Role,
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
    can_decide: bool,
    kept: Kept,
}

fn label(state: &AppState, lang: Lang, key: &str) -> String {
    state.templates.label(lang, key).to_string()
}

/// The center's reviews page; `kept` carries a refused form back.
pub async fn lifecycle_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    center: centers::Model,
    kept: Kept,
) -> Result<HttpResponse, AppError> {
    let lang = Lang::of_request(req);
    let t = |key: &str| label(state, lang, key);
    let services = state.services();
    let today = services.today;
    let calendar = reports::calendar(&services, &center).await?;
    let reports = calendar
        .iter()
        .map(|r| Row {
            cells: vec![
                r.cycle.to_string(),
                r.year.to_string(),
                r.due_date.to_string(),
                t(&format!("report_status_{}", r.status)),
                r.revision.to_string(),
                optional(
                    r.proposed_result
                        .as_deref()
                        .map(|p| t(&format!("result_{p}"))),
                ),
                optional(r.result.as_deref().map(|p| t(&format!("result_{p}")))),
            ],
            href: Some(format!("/centers/{}/reports/{}", center.id, r.year)),
        })
        .collect();
    let decisions = decisions::list(&state.db, center.id)
        .await?
        .into_iter()
        .map(|d| Row {
            cells: vec![
                t(&format!("decision_{}", d.kind)),
                optional(d.year),
                match (d.result.as_deref(), d.accepted) {
                    (Some(r), _) => t(&format!("result_{r}")),
                    (None, Some(true)) => t("rect_accepted"),
                    (None, Some(false)) => t("rect_rejected"),
                    (None, None) => String::new(),
                },
                optional(d.reason),
                d.rulebook_version.to_string(),
                crate::clock::china_date(d.decided_at).to_string(),
                optional(d.notice_ends_on),
                optional(d.effective_on),
            ],
            href: None,
        })
        .collect();
    let latest = rectification::latest(&state.db, center.id).await?;
    let rectification_open = latest.as_ref().is_some_and(|r| {
        matches!(
            r.status.as_str(),
            rectification::status::OPEN | rectification::status::SUBMITTED
        )
    });
    let rectification = latest.map(|r| Row {
        cells: vec![
            r.year.to_string(),
            r.deadline.to_string(),
            t(&format!("rect_{}", r.status)),
            r.report.clone().unwrap_or_default(),
        ],
        href: None,
    });
    let requests = withdrawal::of_center(&state.db, center.id).await?;
    let withdrawal_open = requests
        .iter()
        .any(|w| w.status == withdrawal::status::OPEN);
    let withdrawals = requests
        .into_iter()
        .map(|w| Row {
            cells: vec![
                w.requested_on.to_string(),
                w.reason,
                t(&format!("withdrawal_{}", w.status)),
            ],
            href: None,
        })
        .collect();
    let proposals = proposals::of_center(&state.db, center.id, today)
        .await?
        .into_iter()
        .map(|p| {
            format!(
                "{}（{}）：{}",
                t(&format!("proposal_{}", p.kind)),
                p.since,
                p.reason
            )
        })
        .collect();
    let can_write = user.role == Role::Center
        && user.center_id == Some(center.id)
        && center.status != crate::domain::centers::status::EXITED;
    let data = LifecyclePage {
        center_id: center.id,
        status_label: t(&format!("status_{}", center.status)),
        can_decide: crate::domain::jurisdiction::decides(user, &center),
        center_name: center.name,
        proposals,
        reports,
        decisions,
        rectification,
        rectification_open,
        withdrawals,
        withdrawal_open,
        can_write,
        kept,
    };
    let status = if data.kept.has_errors {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
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
}

#[get("/centers/{id}/reports")]
async fn lifecycle(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let center = access::readable_center(&state.db, &user, id.into_inner()).await?;
    lifecycle_page(&state, &req, &user, center, Kept::default()).await
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(lifecycle);
}
