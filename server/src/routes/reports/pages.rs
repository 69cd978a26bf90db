//! One report's page (`/centers/{id}/reports/{year}`): the staff's form, the frozen figures each
//! linking to its records, the revisions with what changed, and the reviewer's return form.

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, web};
use entities::centers;
use sea_orm::EntityTrait;
use serde::Serialize;

use super::review::{ReviewPart, declare_page, review_part, undeclared};
use crate::web::form::{Kept, Row, optional};
use crate::web::page::render;
use crate::{
    auth::CurrentUser,
    domain::{
        access,
        narratives::AREAS,
        reports::{self, ReportDetail, ReportView},
        users::Role,
    },
    error::AppError,
    i18n::Lang,
    state::AppState,
};

#[derive(Serialize)]
struct Area {
    key: &'static str,
    label: String,
    text: String,
    nothing: bool,
    error: String,
}

#[derive(Serialize)]
struct FigureLink {
    label: String,
    value: String,
    /// The records' sum today when it differs from the frozen value (records changed since).
    now: String,
    href: String,
}

#[derive(Serialize)]
struct Run {
    op: &'static str,
    text: String,
}

#[derive(Serialize)]
struct DiffBlock {
    from: i32,
    to: i32,
    figures: Vec<Row>,
    areas: Vec<(String, Vec<Run>)>,
}

#[derive(Serialize)]
struct ReportPage {
    center_id: i32,
    center_name: String,
    report: ReportView,
    status_label: String,
    proposed_label: String,
    result_label: String,
    can_edit: bool,
    can_decide: bool,
    can_return: bool,
    areas: Vec<Area>,
    figures: Vec<FigureLink>,
    revisions: Vec<Row>,
    differences: Vec<DiffBlock>,
    review: ReviewPart,
    kept: Kept,
}

/// The figures a report freezes, in reading order, with their records' names.
const FIGURES: [(&str, &str); 11] = [
    ("operation_amount", "operation_amount"),
    ("amount_by_kind.transfer", "transfer"),
    ("amount_by_kind.license", "license"),
    (
        "amount_by_kind.capital_contribution",
        "capital_contribution",
    ),
    ("amount_by_kind.financing", "financing"),
    ("related_party_amount", "related_party_amount"),
    ("transaction_count", "transaction_count"),
    ("projects_cumulative", "projects_cumulative"),
    ("alliance_counting_members", "alliance_counting_members"),
    ("alliance_members", "alliance_members"),
    ("tech_smes_served", "tech_smes_served"),
];

fn pointer(figures: &serde_json::Value, path: &str) -> String {
    figures
        .pointer(&format!("/{}", path.replace('.', "/")))
        .map(plain)
        .unwrap_or_default()
}

/// One report's page; `kept` carries a refused form back.
pub async fn report_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    center: centers::Model,
    year: i32,
    kept: Kept,
) -> Result<HttpResponse, AppError> {
    let lang = Lang::of_request(req);
    let t = |key: &str| state.templates.label(lang, key).to_string();
    let ReportDetail {
        report,
        revisions,
        differences,
    } = reports::detail(&state.services(), &center, year).await?;
    let editable = matches!(
        report.status.as_str(),
        reports::status::NOT_DUE | reports::status::DRAFT | reports::status::RETURNED
    );
    let can_edit = editable
        && user.role == Role::Center
        && user.center_id == Some(center.id)
        && center.status != crate::domain::centers::status::EXITED;
    let areas = AREAS
        .iter()
        .map(|key| Area {
            key,
            label: t(&format!("acc_area_{key}")),
            text: kept
                .values
                .get(&format!("narrative_{key}"))
                .cloned()
                .or_else(|| report.narratives.get(*key).cloned())
                .unwrap_or_default(),
            nothing: report.nothing_to_report.iter().any(|a| a == key),
            error: kept
                .errors
                .get(&format!("narrative_{key}"))
                .cloned()
                .unwrap_or_default(),
        })
        .collect();
    // the same figures computed from today's records, to flag what changed after submission
    let live = match revisions.last() {
        Some(_) => {
            let host = entities::organizations::Entity::find_by_id(center.host_organization_id)
                .one(&state.db)
                .await?;
            let m = crate::domain::metrics::evaluate(
                &state.db,
                &state.rulebook,
                &state.figures,
                &center,
                host.as_ref(),
                year,
                state.clock.today(),
            )
            .await?;
            crate::domain::accreditation::frozen_figures(&m)
        }
        None => serde_json::Value::Null,
    };
    let figures = revisions
        .last()
        .map(|latest| {
            FIGURES
                .iter()
                .map(|(path, figure)| {
                    let (value, now) = (pointer(&latest.figures, path), pointer(&live, path));
                    FigureLink {
                        label: t(&format!("fig_{figure}")),
                        now: if now == value { String::new() } else { now },
                        value,
                        href: format!("/centers/{}/records?year={year}&figure={figure}", center.id),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let revision_rows = revisions
        .iter()
        .map(|r| Row {
            cells: vec![
                r.revision.to_string(),
                crate::clock::china_date(r.submitted_at).to_string(),
                r.rulebook_version.to_string(),
            ],
            href: None,
        })
        .collect();
    let differences = differences
        .into_iter()
        .map(|d| DiffBlock {
            from: d.from,
            to: d.to,
            figures: d
                .figures
                .into_iter()
                .map(|c| Row {
                    cells: vec![c.figure, plain(&c.before), plain(&c.after)],
                    href: None,
                })
                .collect(),
            areas: d
                .narratives
                .into_iter()
                .map(|a| {
                    let runs = a
                        .runs
                        .into_iter()
                        .map(|r| Run {
                            op: r.op,
                            text: r.text,
                        })
                        .collect();
                    (t(&format!("acc_area_{}", a.area)), runs)
                })
                .collect(),
        })
        .collect();
    let submitted = report.status == reports::status::SUBMITTED;
    let review = review_part(state, user, &center, year, submitted, &kept).await?;
    let data = ReportPage {
        review,
        center_id: center.id,
        status_label: t(&format!("report_status_{}", report.status)),
        proposed_label: optional(
            report
                .proposed_result
                .as_deref()
                .map(|p| t(&format!("result_{p}"))),
        ),
        result_label: optional(report.result.as_deref().map(|p| t(&format!("result_{p}")))),
        can_decide: crate::domain::jurisdiction::decides(user, &center) && report.result.is_none(),
        can_return: crate::domain::jurisdiction::decides(user, &center)
            && report.status == reports::status::SUBMITTED,
        center_name: center.name,
        can_edit,
        areas,
        figures,
        revisions: revision_rows,
        differences,
        report,
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
        "reports/report",
        "rep_title",
        status,
        data,
    )
}

fn plain(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

#[get("/centers/{id}/reports/{year}")]
async fn report_view(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
) -> Result<HttpResponse, AppError> {
    let (id, year) = path.into_inner();
    let center = match access::readable_center(&state.db, &user, id).await {
        Ok(center) => center,
        Err(refused) => {
            // an assigned expert who has not declared sees the declaration form only
            return match undeclared(&state, &user, id, year).await? {
                Some(center) => declare_page(&state, &req, &user, center, year, Kept::default()),
                None => Err(refused),
            };
        }
    };
    report_page(&state, &req, &user, center, year, Kept::default()).await
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(report_view);
}
