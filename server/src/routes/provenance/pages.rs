//! The page of the records behind a figure (`/centers/{id}/records`).

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, web};
use serde::Serialize;

use crate::web::page::render;
use crate::{
    auth::CurrentUser,
    domain::{access, metrics::records::Figure, views::provenance::figure_records},
    error::AppError,
    i18n::Lang,
    json::parse_query,
    state::AppState,
};

#[derive(Serialize)]
struct RecordsPage {
    center_id: i32,
    center_name: String,
    year: i32,
    as_of: String,
    figure_label: String,
    sum: String,
    count: usize,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

#[derive(serde::Deserialize)]
struct RecordsQuery {
    year: Option<i32>,
    figure: Figure,
}

/// The columns of a figure's records: the record's field and its label.
fn columns(figure: Figure) -> &'static [(&'static str, &'static str)] {
    match figure {
        Figure::ProjectsCumulative => &[
            ("start_date", "field_start_date"),
            ("kind", "field_project_kind"),
            ("name", "field_project_name"),
            ("status", "field_project_status"),
        ],
        Figure::AllianceCountingMembers | Figure::AllianceMembers => &[
            ("name", "field_org_name"),
            ("uscc", "field_uscc"),
            ("kind", "field_kind"),
            ("joined_on", "field_joined_on"),
            ("left_on", "field_left_on"),
        ],
        Figure::TechSmesServed => &[("name", "field_org_name"), ("uscc", "field_uscc")],
        _ => &[
            ("contract_date", "field_contract_date"),
            ("kind", "field_deal_kind"),
            ("amount", "field_amount"),
            ("contract_no", "field_contract_no"),
            ("related_party", "field_related_party"),
        ],
    }
}

/// A record's value as a cell (yes and no in words).
fn cell(value: &serde_json::Value, t: &dyn Fn(&str) -> String) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        serde_json::Value::Bool(b) => t(if *b { "yes" } else { "no" }),
        other => other.to_string(),
    }
}

/// The records behind one figure of a year, with their sum (readers of the center).
#[get("/centers/{id}/records")]
async fn records_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let center = access::readable_center(&state.db, &user, id.into_inner()).await?;
    let query: RecordsQuery = parse_query(req.query_string())?;
    let listed = figure_records(&state.services(), &center, query.year, query.figure).await?;
    let lang = Lang::of_request(&req);
    let t = |key: &str| state.templates.label(lang, key).to_string();
    let cell = |v: &serde_json::Value| cell(v, &t);
    let columns = columns(query.figure);
    let row = |r: &serde_json::Value| columns.iter().map(|(key, _)| cell(&r[*key])).collect();
    let figure = serde_json::to_value(query.figure).unwrap_or_default();
    let data = RecordsPage {
        center_id: center.id,
        center_name: center.name,
        year: listed.year,
        as_of: listed.as_of.to_string(),
        figure_label: t(&format!("fig_{}", figure.as_str().unwrap_or_default())),
        sum: cell(&listed.sum),
        count: listed.count,
        headers: columns.iter().map(|(_, label)| t(label)).collect(),
        rows: listed.records.iter().map(row).collect(),
    };
    render(
        &state,
        &req,
        Some(&user),
        "reports/records",
        "rec_title",
        StatusCode::OK,
        data,
    )
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(records_page);
}
