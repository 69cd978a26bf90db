//! The demands' pages: the list each signed-in person reads within its visibility (`/demands`)
//! and the form that registers a demand (`/demands/new`).

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use serde::{Deserialize, Serialize};

use super::demand_data::{DemandRow, LIMIT, export, row};
use super::page_data::{FormPage, labels, parsed};
use crate::web::download::ExportFormat;
use crate::{
    auth::CurrentUser,
    domain::{centers::industries, market::demands, users::Role},
    error::{AppError, FieldErrors},
    i18n::Lang,
    state::AppState,
    web::{
        demand_form::{Choices, DemandForm},
        extract::ApiQuery,
        page::{render, see_other},
        page_form::PageForm,
    },
};

/// The demands' filters as the page sends them.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
struct DemandsQuery {
    q: Option<String>,
    industry: Option<String>,
    wanted_mode: Option<String>,
    status: Option<String>,
    page: Option<u64>,
    /// `xlsx` or `csv`: the filtered list as a file.
    format: Option<String>,
}

#[derive(Serialize)]
struct DemandsPage {
    rows: Vec<DemandRow>,
    q: String,
    also_searched: String,
    total: u64,
    page: u64,
    prev_page: Option<u64>,
    next_page: Option<u64>,
    industries: Vec<(String, bool)>,
    modes: Vec<(String, String, bool)>,
    statuses: Vec<(String, String, bool)>,
    /// The filters as a query string (for the pager and the downloads).
    filters: String,
    limit: u64,
    can_register: bool,
}

/// Rows a page of the list shows.
const PER_PAGE: u64 = 20;

/// The demands the caller reads, filtered by industry, wanted mode and state.
#[get("/demands")]
async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    query: ApiQuery<DemandsQuery>,
) -> Result<HttpResponse, AppError> {
    let (q, today) = (query.into_inner(), state.clock.today());
    let filter = demands::DemandQuery {
        q: q.q.clone().filter(|q| !q.trim().is_empty()),
        industry: q.industry.clone(),
        wanted_mode: parsed(&q.wanted_mode),
        status: parsed(&q.status),
        page: q.page,
        per_page: Some(PER_PAGE),
    };
    if let Some(format) = parsed::<ExportFormat>(&q.format) {
        let items = demands::all(&state.db, &user, &filter, (LIMIT, today)).await?;
        let zh = |key: &str| state.templates.label(Lang::Zh, key).to_string();
        return export(format, &items, (zh, today));
    }
    let found = demands::search::search(&state.db, &state.search, &user, filter, today).await?;
    let names = industries(&state.db).await?.into_iter().map(|i| i.name);
    let page = demands_page(found, names, &q, (labels(&state, &req), &user));
    let title = "demands_title";
    render(
        &state,
        &req,
        Some(&user),
        "market/demands",
        title,
        StatusCode::OK,
        page,
    )
    .await
}

/// The list's page of `found`, with its filters' choices.
fn demands_page(
    found: demands::DemandsPage,
    industries: impl Iterator<Item = String>,
    q: &DemandsQuery,
    (t, user): (impl Fn(&str) -> String, &CurrentUser),
) -> DemandsPage {
    let pages = found.total.div_ceil(PER_PAGE).max(1);
    let chosen = |v: &Option<String>| v.clone().unwrap_or_default();
    let options = |values: &[&str], prefix: &str, typed: String| {
        (values.iter())
            .map(|v| (v.to_string(), t(&format!("{prefix}{v}")), *v == typed))
            .collect()
    };
    let filters = serde_urlencoded::to_string(DemandsQuery {
        page: None,
        format: None,
        ..q.clone()
    })
    .unwrap_or_default();
    DemandsPage {
        total: found.total,
        page: found.page,
        prev_page: (found.page > 1).then(|| found.page - 1),
        next_page: (found.page < pages).then(|| found.page + 1),
        modes: options(
            &["transfer", "license", "joint_rd", "commissioned_rd"],
            "wanted_mode_",
            chosen(&q.wanted_mode),
        ),
        statuses: options(
            &["open", "matched", "closed", "expired"],
            "demand_status_",
            chosen(&q.status),
        ),
        rows: found.items.into_iter().map(|d| row(d.demand, &t)).collect(),
        q: q.q.clone().unwrap_or_default(),
        also_searched: found.also_searched.join("、"),
        industries: industries
            .map(|name| (name.clone(), Some(&name) == q.industry.as_ref()))
            .collect(),
        filters,
        limit: LIMIT,
        can_register: matches!(user.role, Role::Member | Role::Center),
    }
}

/// The form that registers a demand, with `errors` under their fields (then 422).
async fn form_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    form: &DemandForm,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let names: Vec<String> = (industries(&state.db).await?.into_iter())
        .map(|i| i.name)
        .collect();
    let members = demands::members_for(&state.db, user).await?;
    let choices = Choices {
        industries: &names,
        members: members.as_deref(),
    };
    let fields = form.layout(labels(state, req), choices, errors, Lang::of_request(req));
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = FormPage {
        fields,
        has_errors: !errors.is_empty(),
    };
    let title = "demand_new_title";
    render(
        state,
        req,
        Some(user),
        "market/demand_new",
        title,
        status,
        page,
    )
    .await
}

/// The form that registers a demand (an enterprise's people, a center's staff).
#[get("/demands/new")]
async fn new_demand(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    user.require(&[Role::Member, Role::Center])?;
    let none = FieldErrors::default();
    form_page(&state, &req, &user, &DemandForm::default(), &none).await
}

/// Registers the demand the form describes, then shows its page.
#[post("/demands")]
async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    form: PageForm<DemandForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.input?;
    let when = (state.clock.today(), state.clock.now());
    let outcome = match form.input() {
        Ok(input) => {
            crate::db::write(&state.db, async |txn| {
                demands::create(txn, &user, &input, when).await
            })
            .await
        }
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match outcome {
        Ok(demand) => Ok(see_other(&format!(
            "/demands/{}?notice=demand_created",
            demand.id
        ))),
        Err(AppError::Validation(errors)) => form_page(&state, &req, &user, &form, &errors).await,
        Err(other) => Err(other),
    }
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[
    ("GET", "/demands"),
    ("GET", "/demands/new"),
    ("POST", "/demands"),
];

/// Registers the routes (`/demands/new` before a demand's `/demands/{id}`).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list).service(new_demand).service(create);
}
