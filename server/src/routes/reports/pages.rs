//! One report's page (`/centers/{id}/reports/{year}`): the staff's form, the frozen figures each
//! linking to its records, the revisions with what changed, and the reviewer's return form; or an
//! assigned expert's declaration form before anything else.

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, web};
use serde::Serialize;

use super::review::{ReviewPart, declare_page, review_part};
use crate::web::form::{Kept, Row, optional};
use crate::web::page::render;
use crate::{
    auth::CurrentUser,
    domain::{
        narratives::AREAS,
        reports::{
            ReportView, RevisionView,
            diff::RevisionDiff,
            page::{self, ReportPage, ReportRead},
        },
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
struct ReportPageData {
    center_id: i32,
    center_name: String,
    report: ReportView,
    status_label: String,
    proposed_label: String,
    /// The proposal's reasons in the reader's language.
    reasons: Vec<String>,
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
    let found = figures.pointer(&format!("/{}", path.replace('.', "/")));
    found.map(plain).unwrap_or_default()
}

/// A frozen value as read: amounts and counts with thousands separators.
fn plain(value: &serde_json::Value) -> String {
    use crate::domain::identifiers::Yuan;
    match value {
        serde_json::Value::String(s) => {
            Yuan::parse(s).map_or_else(|_| s.clone(), Yuan::format_grouped)
        }
        serde_json::Value::Number(n) => n
            .as_i64()
            .map_or_else(|| n.to_string(), crate::i18n::thousands),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The narrative areas: a refused form's text and errors, else the report's.
fn areas(report: &ReportView, kept: &Kept, label: impl Fn(&str) -> String) -> Vec<Area> {
    let area = |key: &'static str| {
        let field = format!("narrative_{key}");
        // the kept values hold every field, empty, when nothing was refused
        let text = kept.values.get(&field).filter(|_| kept.has_errors).cloned();
        Area {
            key,
            label: label(&format!("acc_area_{key}")),
            text: (text.or_else(|| report.narratives.get(key).cloned())).unwrap_or_default(),
            nothing: report.nothing_to_report.iter().any(|a| a == key),
            error: kept.errors.get(&field).cloned().unwrap_or_default(),
        }
    };
    AREAS.into_iter().map(area).collect()
}

/// The latest revision's figures, each linking to its records and flagged when today's records
/// give another value.
fn figures(page: &ReportPage, label: impl Fn(&str) -> String) -> Vec<FigureLink> {
    let Some(latest) = page.detail.revisions.last() else {
        return Vec::new();
    };
    let (id, year) = (page.center.id, page.detail.report.year);
    let link = |(path, figure): &(&str, &str)| {
        let (value, now) = (pointer(&latest.figures, path), pointer(&page.live, path));
        FigureLink {
            label: label(&format!("fig_{figure}")),
            now: if now == value { String::new() } else { now },
            value,
            href: format!("/centers/{id}/records?year={year}&figure={figure}"),
        }
    };
    FIGURES.iter().map(link).collect()
}

/// The name of a frozen figure at `path` in the reader's language (the path when unknown).
fn figure_label(path: &str, label: impl Fn(&str) -> String) -> String {
    match FIGURES.iter().find(|(p, _)| *p == path) {
        Some((_, name)) => label(&format!("fig_{name}")),
        None => path.to_string(),
    }
}

fn revisions(revisions: &[RevisionView]) -> Vec<Row> {
    let row = |r: &RevisionView| Row {
        cells: vec![
            r.revision.to_string(),
            crate::clock::china_date(r.submitted_at).to_string(),
            r.rulebook_version.to_string(),
        ],
        href: None,
    };
    revisions.iter().map(row).collect()
}

fn differences(differences: Vec<RevisionDiff>, label: impl Fn(&str) -> String) -> Vec<DiffBlock> {
    let block = |d: RevisionDiff| DiffBlock {
        from: d.from,
        to: d.to,
        figures: (d.figures.into_iter())
            .map(|c| Row {
                cells: vec![
                    figure_label(&c.figure, &label),
                    plain(&c.before),
                    plain(&c.after),
                ],
                href: None,
            })
            .collect(),
        areas: (d.narratives.into_iter())
            .map(|a| {
                let runs = a.runs.into_iter().map(|r| Run {
                    op: r.op,
                    text: r.text,
                });
                (label(&format!("acc_area_{}", a.area)), runs.collect())
            })
            .collect(),
    };
    differences.into_iter().map(block).collect()
}

/// A report's page; `kept` carries a refused form back (then 422).
async fn report_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    page: ReportPage,
    kept: Kept,
) -> Result<HttpResponse, AppError> {
    let lang = Lang::of_request(req);
    let t = |key: &str| state.templates.label(lang, key).to_string();
    let result = |r: Option<&str>| optional(r.map(|r| t(&format!("result_{r}"))));
    let report = &page.detail.report;
    let data = ReportPageData {
        areas: areas(report, &kept, t),
        figures: figures(&page, t),
        revisions: revisions(&page.detail.revisions),
        review: review_part(page.review, &kept, (lang, t)),
        status_label: t(&format!("report_status_{}", report.status)),
        proposed_label: result(report.proposed_result.as_deref()),
        reasons: report
            .reasons
            .iter()
            .map(|m| m.text(lang).to_string())
            .collect(),
        result_label: result(report.result.as_deref()),
        can_edit: page.can_edit,
        can_decide: page.can_decide,
        can_return: page.can_return,
        center_id: page.center.id,
        center_name: page.center.name,
        differences: differences(page.detail.differences, t),
        report: page.detail.report,
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
        "reports/report",
        "rep_title",
        status,
        data,
    )
    .await
}

/// The report of `year` of center `id` as `user` reads it, with `kept` from a refused form.
pub(super) async fn show(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    (id, year): (i32, i32),
    kept: Kept,
) -> Result<HttpResponse, AppError> {
    match page::report_page(&state.services(), user, id, year).await? {
        ReportRead::Page(page) => report_page(state, req, user, *page, kept).await,
        ReportRead::Declare(center) => declare_page(state, req, user, center, year, kept).await,
    }
}

/// One report.
#[get("/centers/{id}/reports/{year}")]
async fn report_view(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
) -> Result<HttpResponse, AppError> {
    show(&state, &req, &user, path.into_inner(), Kept::default()).await
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[("GET", "/centers/{id}/reports/{year}")];

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(report_view);
}
