//! A center's records on pages: the list of its deals, projects or service events (a page at a
//! time, each opening its own page), and one record's page correcting it or deleting it (entered by
//! mistake).

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, web};
use entities::centers;
use serde::Serialize;

use crate::web::extract::ApiQuery;
use crate::web::{
    form::Row,
    ledger_forms::{Field, RecordPage, cells, fields},
    page::render,
};
use crate::{
    auth::CurrentUser,
    domain::{
        access,
        ledger::{EventView, ProjectView, TransactionView, records, transactions_filter},
        paging::{PageQuery, Paged},
    },
    error::AppError,
    i18n::Lang,
    state::AppState,
};

#[derive(Serialize)]
struct ListPage {
    center_id: i32,
    center_name: String,
    path: &'static str,
    title: String,
    headers: Vec<String>,
    rows: Vec<Row>,
    total: u64,
    page: u64,
    prev_page: Option<u64>,
    next_page: Option<u64>,
    can_write: bool,
}

/// The list page of records `R` of `center`.
async fn list_page<R: RecordPage + Serialize>(
    state: &AppState,
    (req, user): (&HttpRequest, &CurrentUser),
    center: centers::Model,
    listed: Paged<R>,
) -> Result<HttpResponse, AppError> {
    let lang = Lang::of_request(req);
    let t = |key: &str| state.templates.label(lang, key).to_string();
    let row = |r: &R| Row {
        cells: cells(r, t),
        href: Some(format!("/centers/{}/{}/{}", center.id, R::PATH, r.key().0)),
    };
    let pages = listed.total.div_ceil(listed.per_page).max(1);
    let data = ListPage {
        can_write: access::can_write_center(user, &center),
        headers: fields::<R>(&BTreeMap::new(), &BTreeMap::new(), t)
            .iter()
            .map(Field::label)
            .collect(),
        rows: listed.items.iter().map(row).collect(),
        title: t(R::TITLE),
        path: R::PATH,
        center_id: center.id,
        center_name: center.name,
        total: listed.total,
        page: listed.page,
        prev_page: (listed.page > 1).then(|| listed.page - 1),
        next_page: (listed.page < pages).then(|| listed.page + 1),
    };
    render(
        state,
        req,
        Some(user),
        "ledger/list",
        R::TITLE,
        StatusCode::OK,
        data,
    )
    .await
}

#[get("/centers/{id}/transactions")]
async fn deals(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    query: ApiQuery<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let center = access::readable_center(&state.db, &user, id.into_inner()).await?;
    let (page, per_page) = query.into_inner().resolve()?;
    let filter = transactions_filter(None, None);
    let listed = records::list_transactions(&state.db, center.id, &filter, page, per_page).await?;
    list_page(&state, (&req, &user), center, listed).await
}

#[get("/centers/{id}/projects")]
async fn projects(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    query: ApiQuery<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let center = access::readable_center(&state.db, &user, id.into_inner()).await?;
    let (page, per_page) = query.into_inner().resolve()?;
    let listed = records::list_projects(&state.db, center.id, page, per_page).await?;
    list_page(&state, (&req, &user), center, listed).await
}

#[get("/centers/{id}/events")]
async fn events(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    query: ApiQuery<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let center = access::readable_center(&state.db, &user, id.into_inner()).await?;
    let (page, per_page) = query.into_inner().resolve()?;
    let listed = records::list_events(&state.db, center.id, page, per_page).await?;
    list_page(&state, (&req, &user), center, listed).await
}

#[derive(Serialize)]
struct RecordPageData {
    center_id: i32,
    center_name: String,
    path: &'static str,
    title: String,
    id: i64,
    version: i32,
    fields: Vec<Field>,
    can_write: bool,
    /// A refusal that is no field's (a stale version).
    alert: String,
}

/// What a refused form brings back to a record's page.
#[derive(Default)]
pub struct Refused {
    pub values: Option<BTreeMap<String, String>>,
    pub errors: BTreeMap<String, String>,
    pub alert: String,
    pub status: Option<StatusCode>,
}

/// The page of `record` of `center`, with what a refused form brought back.
pub async fn record_page<R: RecordPage>(
    state: &AppState,
    (req, user): (&HttpRequest, &CurrentUser),
    center: centers::Model,
    record: R,
    refused: Refused,
) -> Result<HttpResponse, AppError> {
    let lang = Lang::of_request(req);
    let t = |key: &str| state.templates.label(lang, key).to_string();
    let own = (record.values().into_iter())
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    let values = refused.values.unwrap_or(own);
    let (id, version) = record.key();
    let data = RecordPageData {
        can_write: access::can_write_center(user, &center),
        fields: fields::<R>(&values, &refused.errors, t),
        title: t(R::TITLE),
        path: R::PATH,
        center_id: center.id,
        center_name: center.name,
        id,
        version,
        alert: refused.alert,
    };
    let status = refused.status.unwrap_or(StatusCode::OK);
    render(
        state,
        req,
        Some(user),
        "ledger/record",
        R::TITLE,
        status,
        data,
    )
    .await
}

/// The page of the live record `rid` of kind `R` of center `id`.
async fn show<R: records::LedgerRecord<View = V>, V: RecordPage>(
    state: &AppState,
    (req, user): (&HttpRequest, &CurrentUser),
    (id, rid): (i32, i64),
) -> Result<HttpResponse, AppError> {
    let center = access::readable_center(&state.db, user, id).await?;
    let record = records::find_view::<R>(&state.db, id, rid).await?;
    record_page(state, (req, user), center, record, Refused::default()).await
}

#[get("/centers/{id}/transactions/{rid}")]
async fn deal(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(i32, i64)>,
) -> Result<HttpResponse, AppError> {
    show::<records::Deal, TransactionView>(&state, (&req, &user), path.into_inner()).await
}

#[get("/centers/{id}/projects/{rid}")]
async fn project(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(i32, i64)>,
) -> Result<HttpResponse, AppError> {
    show::<records::Project, ProjectView>(&state, (&req, &user), path.into_inner()).await
}

#[get("/centers/{id}/events/{rid}")]
async fn event(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(i32, i64)>,
) -> Result<HttpResponse, AppError> {
    show::<records::Event, EventView>(&state, (&req, &user), path.into_inner()).await
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[
    ("GET", "/centers/{id}/transactions"),
    ("GET", "/centers/{id}/projects"),
    ("GET", "/centers/{id}/events"),
    ("GET", "/centers/{id}/transactions/{rid}"),
    ("GET", "/centers/{id}/projects/{rid}"),
    ("GET", "/centers/{id}/events/{rid}"),
];

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(deals).service(projects).service(events);
    cfg.service(deal).service(project).service(event);
}
