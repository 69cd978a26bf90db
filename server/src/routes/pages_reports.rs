//! A center's cycle pages: the reviews page (`/centers/{id}/reports`: proposals, reports,
//! rectification, withdrawal, decisions, and the decider's form), one report
//! (`/centers/{id}/reports/{year}`: the staff's form, frozen figures linking to their records,
//! revisions with what changed, the reviewer's forms) and the records behind a figure.

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, web};
use entities::centers;
use serde::Serialize;

use super::pages::render;
use crate::{
    app::AppState,
    auth::CurrentUser,
    domain::{
        access, accreditation, decisions,
        narratives::AREAS,
        proposals, rectification,
        reports::{self, ReportDetail, ReportView},
        users::Role,
        withdrawal,
    },
    error::{AppError, FieldErrors},
    i18n::Lang,
};

/// Every field a form of these pages sends (strict templates read each one, filled or not).
const FIELDS: [&str; 13] = [
    "kind",
    "year",
    "result",
    "reason",
    "new_due_date",
    "accepted",
    "report",
    "correction_days",
    "version",
    "narrative_operations",
    "narrative_key_tasks",
    "narrative_sme_service",
    "narrative_chain_support",
];

/// What a form kept after it was refused: the fields' errors and the values sent.
#[derive(Serialize)]
pub struct Kept {
    pub has_errors: bool,
    pub errors: BTreeMap<String, String>,
    pub values: BTreeMap<String, String>,
}

impl Default for Kept {
    fn default() -> Self {
        let empty = || {
            FIELDS
                .iter()
                .map(|f| (f.to_string(), String::new()))
                .collect()
        };
        Kept {
            has_errors: false,
            errors: empty(),
            values: empty(),
        }
    }
}

impl Kept {
    /// The refused form's errors (in `lang`; an area's narrative error under its form field)
    /// and values.
    pub fn new(errors: &FieldErrors, values: BTreeMap<String, String>, lang: Lang) -> Kept {
        let mut kept = Kept {
            has_errors: !errors.is_empty(),
            ..Kept::default()
        };
        for (field, messages) in errors.in_lang(lang) {
            let field = match field.strip_prefix("narratives.") {
                Some(area) => format!("narrative_{area}"),
                None => field,
            };
            kept.errors.insert(field, messages.join("；"));
        }
        kept.values.extend(values);
        kept
    }
}

#[derive(Serialize)]
struct Row {
    cells: Vec<String>,
    href: Option<String>,
}

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

fn optional(value: Option<impl ToString>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
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
                optional(d.result.as_deref().map(|r| t(&format!("result_{r}")))),
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
        can_decide: accreditation::decides(user, &center),
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
    let value = figures.pointer(&format!("/{}", path.replace('.', "/")));
    match value {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
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
    let t = |key: &str| label(state, lang, key);
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
    let figures = revisions
        .last()
        .map(|latest| {
            FIGURES
                .iter()
                .map(|(path, figure)| FigureLink {
                    label: t(&format!("fig_{figure}")),
                    value: pointer(&latest.figures, path),
                    href: format!("/centers/{}/records?year={year}&figure={figure}", center.id),
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
    let data = ReportPage {
        center_id: center.id,
        status_label: t(&format!("report_status_{}", report.status)),
        proposed_label: optional(
            report
                .proposed_result
                .as_deref()
                .map(|p| t(&format!("result_{p}"))),
        ),
        result_label: optional(report.result.as_deref().map(|p| t(&format!("result_{p}")))),
        can_decide: accreditation::decides(user, &center) && report.result.is_none(),
        can_return: accreditation::decides(user, &center)
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
    let center = access::readable_center(&state.db, &user, id).await?;
    report_page(&state, &req, &user, center, year, Kept::default()).await
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(lifecycle).service(report_view);
}
