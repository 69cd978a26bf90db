//! A demand's page (`/demands/{id}`): its facts and contact as the reader may see them; for
//! those who manage it, its correction (renewal included), closing and reopening.

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use serde::{Deserialize, Serialize};

use super::demand_data::facts;
use super::page_data::{FormPage, labels};
use crate::{
    auth::CurrentUser,
    domain::{
        centers::industries,
        market::{
            demands::{self, DemandPatch, DemandView},
            manages,
        },
    },
    error::{AppError, FieldErrors},
    i18n::Lang,
    state::AppState,
    web::{
        demand_form::{Choices, DemandForm},
        page::{render, see_other},
        page_form::PageForm,
    },
};

#[derive(Serialize)]
struct DemandPage {
    demand: DemandView,
    facts: Vec<(String, String)>,
    closed: bool,
    form: Option<FormPage>,
}

/// A demand's page: for those who manage it, its correction form; `refused` shown again with
/// its errors (then 422).
async fn demand_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    id: i32,
    refused: Option<(&DemandForm, &FieldErrors)>,
) -> Result<HttpResponse, AppError> {
    let demand = demands::get(&state.db, user, id, state.clock.today()).await?;
    let manages = match &demand.member {
        Some(member) => manages(&state.db, user, member.id).await?,
        None => false,
    };
    let names: Vec<String> = (industries(&state.db).await?.into_iter())
        .map(|i| i.name)
        .collect();
    let (stored, none) = (DemandForm::of(&demand), FieldErrors::default());
    let (form, errors) = refused.unwrap_or((&stored, &none));
    let choices = Choices {
        industries: &names,
        members: None,
    };
    let lang = Lang::of_request(req);
    let form = manages.then(|| FormPage {
        fields: form.layout(labels(state, req), choices, errors, lang),
        has_errors: !errors.is_empty(),
    });
    let status = match refused {
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    let page = DemandPage {
        facts: facts(&demand, &labels(state, req)),
        closed: demand.status == demands::DemandStatus::Closed,
        demand,
        form,
    };
    let title = "demand_page_title";
    render(state, req, Some(user), "market/demand", title, status, page).await
}

/// A demand's page.
#[get("/demands/{id}")]
async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    demand_page(&state, &req, &user, id.into_inner(), None).await
}

/// Corrects (or renews) a demand from its page.
#[post("/demands/{id}")]
async fn correct(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<DemandForm>,
) -> Result<HttpResponse, AppError> {
    let (id, form) = (id.into_inner(), form.input?);
    let when = (state.clock.today(), state.clock.now());
    let patch = form.input().map(|input| {
        let mut fields = serde_json::to_value(&input)
            .ok()
            .and_then(|v| v.as_object().cloned())
            .unwrap_or_default();
        fields.remove("member_uscc");
        DemandPatch {
            version: form.version.unwrap_or(0),
            fields,
        }
    });
    let outcome = match patch {
        Ok(patch) => {
            crate::db::write(&state.db, async |txn| {
                demands::update(txn, &user, id, &patch, when).await
            })
            .await
        }
        Err(errors) => Err(AppError::Validation(errors)),
    };
    match outcome {
        Ok(_) => Ok(see_other(&format!("/demands/{id}?notice=demand_saved"))),
        Err(AppError::Validation(errors)) => {
            demand_page(&state, &req, &user, id, Some((&form, &errors))).await
        }
        Err(other) => Err(other),
    }
}

/// The version a closing or a reopening applies to.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct VersionForm {
    version: i32,
}

/// Closes a demand from its page (asked first).
#[post("/demands/{id}/close")]
async fn close(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<VersionForm>,
) -> Result<HttpResponse, AppError> {
    let version = form.input?.version;
    moved(&state, &user, (id.into_inner(), version), "closed").await
}

/// Reopens a closed demand from its page.
#[post("/demands/{id}/reopen")]
async fn reopen(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<VersionForm>,
) -> Result<HttpResponse, AppError> {
    let version = form.input?.version;
    moved(&state, &user, (id.into_inner(), version), "open").await
}

/// Moves the demand to `status`, then shows it with its confirmation.
async fn moved(
    state: &AppState,
    user: &CurrentUser,
    (id, version): (i32, i32),
    status: &str,
) -> Result<HttpResponse, AppError> {
    let when = (state.clock.today(), state.clock.now());
    let mut fields = serde_json::Map::new();
    fields.insert("status".into(), status.into());
    let patch = DemandPatch { version, fields };
    crate::db::write(&state.db, async |txn| {
        demands::update(txn, user, id, &patch, when).await
    })
    .await?;
    let notice = if status == "open" {
        "demand_reopened"
    } else {
        "demand_closed"
    };
    Ok(see_other(&format!("/demands/{id}?notice={notice}")))
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[
    ("GET", "/demands/{id}"),
    ("POST", "/demands/{id}"),
    ("POST", "/demands/{id}/close"),
    ("POST", "/demands/{id}/reopen"),
];

/// Registers the routes (after the list's, so `/demands/new` is not taken for an id).
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(show)
        .service(correct)
        .service(close)
        .service(reopen);
}
