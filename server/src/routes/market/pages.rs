//! The library's pages: the search every signed-in person uses (`/patents`) and the form that
//! lists a patent (`/patents/new`).

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};

use super::library_data::{LibraryQuery, library_page};
use super::page_data::{FormPage, labels, parsed};
use crate::web::download::ExportFormat;
use crate::{
    auth::CurrentUser,
    domain::{
        centers::industries,
        market::{follows, listings, search},
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

/// The library: listed patents in force, searched by words (ranked, marked, with the counts by
/// industry, mode, owner kind and province) and filtered; downloadable as found.
#[get("/patents")]
async fn library(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    query: ApiQuery<LibraryQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let filter = q.listing_query(PER_PAGE);
    if let Some(format) = parsed::<ExportFormat>(&q.format) {
        let (db, index) = (&state.db, &state.search);
        let items = search::all_found(db, index, &user, &filter, super::export::LIMIT).await?;
        let zh = |key: &str| state.templates.label(Lang::Zh, key).to_string();
        return super::export::listings(format, &items, (zh, state.clock.today()));
    }
    let found = search::library(&state.db, &state.search, &user, filter).await?;
    let names = industries(&state.db).await?.into_iter().map(|i| i.name);
    let keeps = follows::may_follow(&state.db, &user).await?;
    let page = library_page(found, names, &q, (labels(&state, &req), &user, keeps));
    let title = "library_title";
    render(
        &state,
        &req,
        Some(&user),
        "market/library",
        title,
        StatusCode::OK,
        page,
    )
    .await
}

/// Rows a page of the library shows.
const PER_PAGE: u64 = 20;

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
