//! The page of the records behind a figure (`/centers/{id}/records`).

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, web};
use chrono::Datelike;
use serde::Serialize;

use crate::web::page::render;
use crate::{
    auth::CurrentUser,
    domain::{
        access,
        metrics::{
            self,
            records::{self, Figure, Span},
        },
        reports::{self},
    },
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
    let today = state.clock.today();
    let year = query.year.unwrap_or(today.year());
    let as_of = metrics::evaluation_date(year, today)?;
    let rules = state.rulebook.in_force_on(&state.db, as_of).await?.rules;
    let cycle = reports::cycle_of(&state.db, center.id, year).await?;
    let span = Span {
        center_id: center.id,
        year,
        as_of,
        cycle_start: cycle.map(|c| c.start_date),
        rules: &rules,
    };
    let listed = records::records(&state.db, &span, query.figure).await?;
    let lang = Lang::of_request(&req);
    let t = |key: &str| state.templates.label(lang, key).to_string();
    let figure = serde_json::to_value(query.figure)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let columns: &[(&str, &str)] = match query.figure {
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
    };
    let cell = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        serde_json::Value::Bool(b) => t(if *b { "yes" } else { "no" }),
        other => other.to_string(),
    };
    let data = RecordsPage {
        center_id: center.id,
        center_name: center.name,
        year,
        as_of: as_of.to_string(),
        figure_label: t(&format!("fig_{figure}")),
        sum: cell(&listed.sum),
        count: listed.count,
        headers: columns.iter().map(|(_, label)| t(label)).collect(),
        rows: listed
            .records
            .iter()
            .map(|r| columns.iter().map(|(key, _)| cell(&r[*key])).collect())
            .collect(),
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
