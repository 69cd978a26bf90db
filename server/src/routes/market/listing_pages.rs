//! A listing's page (`/patents/{id}`): its facts and contact as the reader may see them; for
//! those who manage it, its correction, withdrawal and relisting.

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use serde::Deserialize;

use super::page_data::{EvaluationForm, FormPage, ListingPage, evaluation_section, facts, labels};
use crate::{
    auth::CurrentUser,
    domain::{
        centers::industries,
        market::{
            evaluations,
            follows::{self, Follow},
            listings, manages,
        },
    },
    error::{AppError, FieldErrors},
    i18n::Lang,
    state::AppState,
    web::{
        listing_form::ListingForm,
        page::{render, see_other},
        page_form::PageForm,
    },
};

/// A form of a listing's page that was refused, shown again with its errors.
pub(super) enum Refused<'a> {
    Nothing,
    Correction(&'a ListingForm, &'a FieldErrors),
    Evaluation(&'a EvaluationForm, &'a FieldErrors),
}

/// A listing's page: for those who manage it, its correction form; for another enterprise, its
/// evaluation form; `refused` shown again with its errors (then 422).
pub(super) async fn listing_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    id: i32,
    refused: Refused<'_>,
) -> Result<HttpResponse, AppError> {
    let listing = listings::get(&state.db, user, id).await?;
    let manages = manages(&state.db, user, listing.owner.id).await?;
    let (t, lang) = (labels(state, req), Lang::of_request(req));
    let names: Vec<String> = industries(&state.db)
        .await?
        .into_iter()
        .map(|i| i.name)
        .collect();
    let (stored, none) = (ListingForm::of(&listing), FieldErrors::default());
    let (form, errors, evaluation_refused) = match refused {
        Refused::Nothing => (&stored, &none, None),
        Refused::Correction(form, errors) => (form, errors, None),
        Refused::Evaluation(form, errors) => (&stored, &none, Some((form, errors))),
    };
    let skip: &[&str] = &["owner_uscc", "application_number"];
    let form = manages.then(|| FormPage {
        fields: form.layout(labels(state, req), &names, errors, (lang, skip)),
        has_errors: !errors.is_empty(),
    });
    let found = evaluations::of_listing(&state.db, user, id).await?;
    let may = evaluations::may_evaluate(&state.db, user, listing.owner.id).await?;
    let evaluation = evaluation_section(found, may, evaluation_refused, (&t, lang));
    let refused_any = !errors.is_empty() || evaluation_refused.is_some();
    let status = if refused_any {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let facts = facts(&listing, &t);
    let follows = match follows::may_follow(&state.db, user).await? {
        true => Some((
            follows::follows_it(&state.db, user, (id, Follow::Favourite)).await?,
            follows::follows_it(&state.db, user, (id, Follow::Subscription)).await?,
        )),
        false => None,
    };
    let page = ListingPage {
        follows,
        listed: listing.status == "listed",
        listing,
        facts,
        manages,
        form,
        evaluation,
    };
    render(
        state,
        req,
        Some(user),
        "market/listing",
        "listing_page_title",
        status,
        page,
    )
    .await
}

/// A listing's page.
#[get("/patents/{id}")]
async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    listing_page(&state, &req, &user, id.into_inner(), Refused::Nothing).await
}

/// Corrects a listing from its page.
#[post("/patents/{id}")]
async fn correct(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<ListingForm>,
) -> Result<HttpResponse, AppError> {
    let (id, form) = (id.into_inner(), form.input?);
    let when = (state.clock.today(), state.clock.now());
    let outcome = match form.input().map(|input| patch_of(&input, form.version)) {
        Ok(patch) => {
            crate::db::write(&state.db, async |txn| {
                listings::update(txn, &user, id, &patch, when).await
            })
            .await
        }
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match outcome {
        Ok(_) => Ok(see_other(&format!("/patents/{id}?notice=listing_saved"))),
        Err(AppError::Validation(errors)) => {
            listing_page(&state, &req, &user, id, Refused::Correction(&form, &errors)).await
        }
        Err(other) => Err(other),
    }
}

/// The correction the form asks for: every field but the number and the owner, at `version`.
fn patch_of(
    input: &crate::domain::market::ListingInput,
    version: Option<i32>,
) -> crate::domain::market::ListingPatch {
    let mut fields = serde_json::to_value(input)
        .ok()
        .and_then(|v| v.as_object().cloned())
        .unwrap_or_default();
    fields.remove("application_number");
    fields.remove("owner_uscc");
    crate::domain::market::ListingPatch {
        version: version.unwrap_or(0),
        fields,
    }
}

/// The version a withdrawal or a relisting applies to.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct VersionForm {
    version: i32,
}

/// Withdraws a listing from its page (asked first).
#[post("/patents/{id}/withdraw")]
async fn withdraw(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<VersionForm>,
) -> Result<HttpResponse, AppError> {
    set_listed(&state, &user, (id.into_inner(), form.input?.version), false).await
}

/// Lists a withdrawn listing again from its page.
#[post("/patents/{id}/relist")]
async fn relist(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<VersionForm>,
) -> Result<HttpResponse, AppError> {
    set_listed(&state, &user, (id.into_inner(), form.input?.version), true).await
}

/// Withdraws or relists, then shows the listing with its confirmation.
async fn set_listed(
    state: &AppState,
    user: &CurrentUser,
    (id, version): (i32, i32),
    listed: bool,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    crate::db::write(&state.db, async |txn| {
        listings::set_listed(txn, user, id, version, listed, now).await
    })
    .await?;
    let notice = if listed {
        "listing_relisted"
    } else {
        "listing_withdrawn"
    };
    Ok(see_other(&format!("/patents/{id}?notice={notice}")))
}

/// Records or corrects the caller's enterprise's evaluation from the listing's page.
#[post("/patents/{id}/evaluation")]
async fn evaluate(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<EvaluationForm>,
) -> Result<HttpResponse, AppError> {
    let (id, form, now) = (id.into_inner(), form.input?, state.clock.now());
    let input = evaluations::EvaluationInput {
        prospect: form.prospect.trim().parse().ok(),
        improvement_needs: form.improvement_needs.clone(),
        intent: serde_json::from_value(serde_json::Value::String(form.intent.clone())).ok(),
        contact: form.contact(),
    };
    let outcome = crate::db::write(&state.db, async |txn| match form.version {
        Some(version) => {
            let update = evaluations::EvaluationUpdate {
                version,
                input: input.clone(),
            };
            evaluations::update_mine(txn, &user, id, &update, now).await
        }
        None => evaluations::evaluate(txn, &user, id, &input, now).await,
    });
    match outcome.await {
        Ok(_) => Ok(see_other(&format!(
            "/patents/{id}?notice=evaluation_saved#evaluations"
        ))),
        Err(AppError::Validation(errors)) => {
            listing_page(&state, &req, &user, id, Refused::Evaluation(&form, &errors)).await
        }
        Err(other) => Err(other),
    }
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[
    ("GET", "/patents/{id}"),
    ("POST", "/patents/{id}"),
    ("POST", "/patents/{id}/withdraw"),
    ("POST", "/patents/{id}/relist"),
    ("POST", "/patents/{id}/evaluation"),
];

/// Registers the routes (after the library's, so `/patents/new` is not taken for an id).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(show)
        .service(correct)
        .service(withdraw)
        .service(relist)
        .service(evaluate);
}
