//! The library's pages: the list every signed-in person reads (`/patents`) and the form that
//! lists a patent (`/patents/new`).

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use serde::{Deserialize, Serialize};

use super::page_data::{FormPage, Row, labels, parsed, row};
use crate::web::download::ExportFormat;
use crate::{
    auth::CurrentUser,
    domain::{
        centers::industries,
        market::{ListingQuery, listings},
        users::Role,
    },
    error::{AppError, FieldErrors},
    i18n::Lang,
    state::AppState,
    web::{
        extract::ApiQuery,
        listing_form::ListingForm,
        page::{render, see_other},
        page_form::PageForm,
    },
};

/// The library's filters as the page sends them.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LibraryQuery {
    industry: Option<String>,
    legal_status: Option<String>,
    mode: Option<String>,
    page: Option<u64>,
    /// `xlsx` or `csv`: the filtered list as a file.
    format: Option<String>,
}

#[derive(Serialize)]
struct LibraryPage {
    rows: Vec<Row>,
    total: u64,
    page: u64,
    prev_page: Option<u64>,
    next_page: Option<u64>,
    industries: Vec<(String, bool)>,
    industry: String,
    /// The most listings a download holds.
    limit: u64,
    can_list: bool,
}

/// The library: listed patents in force, filtered by industry, legal status and mode.
#[get("/patents")]
async fn library(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    query: ApiQuery<LibraryQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let filter = ListingQuery {
        industry: q.industry.clone(),
        legal_status: parsed(&q.legal_status),
        mode: parsed(&q.mode),
        owner: None,
        status: None,
        page: q.page,
        per_page: Some(PER_PAGE),
    };
    if let Some(format) = parsed::<ExportFormat>(&q.format) {
        let items = listings::all(&state.db, &user, &filter, super::export::LIMIT).await?;
        let zh = |key: &str| state.templates.label(Lang::Zh, key).to_string();
        return super::export::listings(format, &items, (zh, state.clock.today()));
    }
    let found = listings::list(&state.db, &user, filter).await?;
    let names = industries(&state.db).await?.into_iter().map(|i| i.name);
    let page = library_page(found, names, &q, (labels(&state, &req), &user));
    render(
        &state,
        &req,
        Some(&user),
        "market/library",
        "library_title",
        StatusCode::OK,
        page,
    )
    .await
}

/// Rows a page of the library shows.
const PER_PAGE: u64 = 20;

/// The library's page of `found`, with `industries` to filter by.
fn library_page(
    found: crate::domain::paging::Paged<crate::domain::market::ListingView>,
    industries: impl Iterator<Item = String>,
    q: &LibraryQuery,
    (t, user): (impl Fn(&str) -> String, &CurrentUser),
) -> LibraryPage {
    let chosen = q.industry.clone().unwrap_or_default();
    let pages = found.total.div_ceil(PER_PAGE).max(1);
    LibraryPage {
        total: found.total,
        page: found.page,
        prev_page: (found.page > 1).then(|| found.page - 1),
        next_page: (found.page < pages).then(|| found.page + 1),
        rows: found.items.into_iter().map(|l| row(l, &t)).collect(),
        industries: industries
            .map(|name| (name.clone(), name == chosen))
            .collect(),
        limit: super::export::LIMIT,
        industry: chosen,
        can_list: matches!(user.role, Role::Member | Role::Center),
    }
}

/// The form that lists a patent, with `errors` under their fields (then 422).
async fn form_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    form: &ListingForm,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let names: Vec<String> = industries(&state.db)
        .await?
        .into_iter()
        .map(|i| i.name)
        .collect();
    let skip: &[&str] = if user.role == Role::Center {
        &[]
    } else {
        &["owner_uscc"]
    };
    let fields = form.layout(
        labels(state, req),
        &names,
        errors,
        (Lang::of_request(req), skip),
    );
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = FormPage {
        fields,
        has_errors: !errors.is_empty(),
    };
    render(
        state,
        req,
        Some(user),
        "market/new",
        "library_new_title",
        status,
        page,
    )
    .await
}

/// The form that lists a patent (an owner's people, a center's staff).
#[get("/patents/new")]
async fn new_listing(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    user.require(&[Role::Member, Role::Center])?;
    form_page(
        &state,
        &req,
        &user,
        &ListingForm::default(),
        &FieldErrors::default(),
    )
    .await
}

/// Lists the patent the form describes, then shows its page.
#[post("/patents")]
async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    form: PageForm<ListingForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.input?;
    let when = (state.clock.today(), state.clock.now());
    let outcome = match form.input() {
        Ok(input) => {
            crate::db::write(&state.db, async |txn| {
                listings::create(txn, &user, &input, when).await
            })
            .await
        }
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match outcome {
        Ok(listing) => Ok(see_other(&format!(
            "/patents/{}?notice=listing_created",
            listing.id
        ))),
        Err(AppError::Validation(errors)) => form_page(&state, &req, &user, &form, &errors).await,
        Err(other) => Err(other),
    }
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[
    ("GET", "/patents"),
    ("GET", "/patents/new"),
    ("POST", "/patents"),
];

/// Registers the routes (`/patents/new` before a listing's `/patents/{id}`).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(library).service(new_listing).service(create);
}
