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

/// The columns of a figure's records: the record's field, its label, and the catalog prefix
/// naming its stored values (none: shown as they are).
type Column = (&'static str, &'static str, Option<&'static str>);

fn columns(figure: Figure) -> &'static [Column] {
    match figure {
        Figure::ProjectsCumulative => &[
            ("start_date", "field_start_date", None),
            ("kind", "field_project_kind", Some("project_")),
            ("name", "field_project_name", None),
            ("status", "field_project_status", Some("project_status_")),
        ],
        Figure::AllianceCountingMembers | Figure::AllianceMembers => &[
            ("name", "field_org_name", None),
            ("uscc", "field_uscc", None),
            ("kind", "field_kind", Some("kind_")),
            ("joined_on", "field_joined_on", None),
            ("left_on", "field_left_on", None),
        ],
        Figure::TechSmesServed => &[
            ("name", "field_org_name", None),
            ("uscc", "field_uscc", None),
        ],
        _ => &[
            ("contract_date", "field_contract_date", None),
            ("kind", "field_deal_kind", Some("deal_")),
            ("amount", "field_amount", None),
            ("contract_no", "field_contract_no", None),
            ("related_party", "field_related_party", None),
        ],
    }
}

/// A record's value as a cell: stored names in words (`words`: their catalog prefix), yes and
/// no in words, amounts with thousands separators.
fn cell(value: &serde_json::Value, words: Option<&str>, t: &dyn Fn(&str) -> String) -> String {
    use crate::domain::identifiers::Yuan;
    match value {
        serde_json::Value::String(s) => match words {
            Some(prefix) => t(&format!("{prefix}{s}")),
            None if s.contains('.') => {
                Yuan::parse(s).map_or_else(|_| s.clone(), Yuan::format_grouped)
            }
            None => s.clone(),
        },
        serde_json::Value::Null => String::new(),
        serde_json::Value::Bool(b) => t(if *b { "yes" } else { "no" }),
        serde_json::Value::Number(n) => n
            .as_i64()
            .map_or_else(|| n.to_string(), crate::i18n::thousands),
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
    let columns = columns(query.figure);
    let row = |r: &serde_json::Value| {
        let shown = |(key, _, words): &Column| cell(&r[*key], *words, &t);
        columns.iter().map(shown).collect()
    };
    let figure = serde_json::to_value(query.figure).unwrap_or_default();
    let data = RecordsPage {
        center_id: center.id,
        center_name: center.name,
        year: listed.year,
        as_of: listed.as_of.to_string(),
        figure_label: t(&format!("fig_{}", figure.as_str().unwrap_or_default())),
        sum: cell(&listed.sum, None, &t),
        count: listed.count,
        headers: columns.iter().map(|(_, label, _)| t(label)).collect(),
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
    .await
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[("GET", "/centers/{id}/records")];

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(records_page);
}
