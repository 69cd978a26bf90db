//! A listing's rights page (`/patents/{id}/rights`): its open licence and what bars one, the
//! recorded licences, pledges and suspensions, the evaluation report; for those who manage the
//! listing, the forms that record and declare them (a refused one shown again where it was).

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use serde_json::{Map, Value};

use super::{
    page_data::labels,
    rights_data::{Refused, page},
};
use crate::{
    auth::CurrentUser,
    domain::market::{
        listings, manages,
        rights::{self, declaration, facts},
    },
    error::{AppError, FieldErrors},
    i18n::Lang,
    state::AppState,
    web::{
        page::{render, see_other},
        page_form::{Blank, PageForm, Sent},
    },
};

/// The rights page, `refused` shown again where it was sent (then 422 or 409).
async fn rights_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    id: i32,
    refused: Option<Refused<'_>>,
) -> Result<HttpResponse, AppError> {
    let (t, lang) = (labels(state, req), Lang::of_request(req));
    let listing = listings::get(&state.db, user, id).await?;
    let rights = rights::of_listing(&state.db, user, id, (state.clock.today(), lang)).await?;
    let manages = manages(&state.db, user, listing.owner.id).await?;
    let status = match &refused {
        Some(r) if r.conflict.is_some() => StatusCode::CONFLICT,
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    let page = page(listing, rights, manages, refused, (&t, lang));
    render(
        state,
        req,
        Some(user),
        "market/rights",
        "rights_title",
        status,
        page,
    )
    .await
}

/// The outcome of a form: back to the page with `notice`, or the page with the form refused.
async fn answer(
    (state, req, user): (&AppState, &HttpRequest, &CurrentUser),
    (id, form, sent): (i32, &str, &Sent),
    outcome: Result<(), AppError>,
    notice: &str,
) -> Result<HttpResponse, AppError> {
    let (errors, conflict) = match outcome {
        Ok(()) => {
            return Ok(see_other(&format!("/patents/{id}/rights?notice={notice}")));
        }
        Err(AppError::Validation(errors)) => (errors, None),
        Err(AppError::Conflict(why)) => {
            let text = why.text(Lang::of_request(req)).to_string();
            (FieldErrors::default(), Some(text))
        }
        Err(other) => return Err(other),
    };
    let refused = Refused {
        form,
        sent,
        errors,
        conflict,
    };
    rights_page(state, req, user, id, Some(refused)).await
}

/// The fields `names` of a form as a JSON object (blank ones left out), for the API's input.
fn body<T: serde::de::DeserializeOwned>(sent: &Sent, names: &[&str]) -> Result<T, AppError> {
    let mut object = Map::new();
    for name in names {
        let value = sent.get(name).trim();
        if !value.is_empty() {
            object.insert(name.to_string(), Value::String(value.to_string()));
        }
    }
    if let Some(years) = object.remove("term_years") {
        let n = years
            .as_str()
            .and_then(|y| y.parse::<i64>().ok())
            .map_or(Value::Null, Value::from);
        object.insert("term_years".into(), n);
    }
    if names.contains(&"pledgee_consent") {
        object.insert(
            "pledgee_consent".into(),
            Value::Bool(sent.get("pledgee_consent") == "on"),
        );
    }
    crate::json::parse_json(Value::Object(object).to_string().as_bytes())
}

/// A listing's rights page.
#[get("/patents/{id}/rights")]
async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    rights_page(&state, &req, &user, id.into_inner(), None).await
}

/// Declares an open licence from the page.
#[post("/patents/{id}/rights/open-licence")]
async fn declare(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<Blank>,
) -> Result<HttpResponse, AppError> {
    let (id, sent, _) = (id.into_inner(), &form.sent, form.input?);
    let when = (state.clock.today(), state.clock.now());
    let outcome = async {
        let mut input: declaration::DeclarationInput =
            body(sent, &["fee_kind", "fee", "payment", "term_years"])?;
        input.co_owner_consents = sent
            .all()
            .keys()
            .filter_map(|k| k.strip_prefix("consent_").map(str::to_string))
            .collect();
        crate::db::write(&state.db, async |txn| {
            declaration::declare(txn, &user, id, &input, when)
                .await
                .map(|_| ())
        })
        .await
    };
    answer(
        (&state, &req, &user),
        (id, "declare", sent),
        outcome.await,
        "open_licence_declared",
    )
    .await
}

/// Withdraws the open licence from the page (asked first).
#[post("/patents/{id}/rights/open-licence/withdraw")]
async fn withdraw(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<Blank>,
) -> Result<HttpResponse, AppError> {
    let (id, sent, _) = (id.into_inner(), &form.sent, form.input?);
    let when = (state.clock.today(), state.clock.now());
    let outcome = crate::db::write(&state.db, async |txn| {
        declaration::withdraw(txn, &user, id, when)
            .await
            .map(|_| ())
    });
    answer(
        (&state, &req, &user),
        (id, "declare", sent),
        outcome.await,
        "open_licence_withdrawn",
    )
    .await
}

/// Records `input` (read from `sent`) on listing `id`, answering for the form `form`.
async fn record(
    (state, req, user): (&AppState, &HttpRequest, &CurrentUser),
    (id, form, sent): (i32, &str, &Sent),
    input: Result<facts::FactInput, AppError>,
) -> Result<HttpResponse, AppError> {
    let when = (state.clock.today(), state.clock.now());
    let outcome = match input {
        Ok(input) => {
            let write = async |txn: &sea_orm::DatabaseTransaction| {
                facts::record(txn, user, id, input, when).await.map(|_| ())
            };
            crate::db::write(&state.db, write).await
        }
        Err(refused) => Err(refused),
    };
    answer(
        (state, req, user),
        (id, form, sent),
        outcome,
        "fact_recorded",
    )
    .await
}

/// Records a licence from the page.
#[post("/patents/{id}/rights/licences")]
async fn record_licence(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<Blank>,
) -> Result<HttpResponse, AppError> {
    let (id, sent, _) = (id.into_inner(), &form.sent, form.input?);
    let input = body(sent, &["kind", "licensee", "from", "to"]).map(facts::FactInput::Licence);
    record((&state, &req, &user), (id, "licence", sent), input).await
}

/// Records a pledge from the page.
#[post("/patents/{id}/rights/pledges")]
async fn record_pledge(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<Blank>,
) -> Result<HttpResponse, AppError> {
    let (id, sent, _) = (id.into_inner(), &form.sent, form.input?);
    let names = ["pledgee", "from", "to", "pledgee_consent"];
    let input = body(sent, &names).map(facts::FactInput::Pledge);
    record((&state, &req, &user), (id, "pledge", sent), input).await
}

/// Records a suspension from the page.
#[post("/patents/{id}/rights/suspensions")]
async fn record_suspension(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<Blank>,
) -> Result<HttpResponse, AppError> {
    let (id, sent, _) = (id.into_inner(), &form.sent, form.input?);
    let input = body(sent, &["reason", "from", "to"]).map(facts::FactInput::Suspension);
    record((&state, &req, &user), (id, "suspension", sent), input).await
}

/// Ends a recorded fact from the page.
#[post("/patents/{id}/rights/facts/{fact_id}/end")]
async fn end(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
    form: PageForm<Blank>,
) -> Result<HttpResponse, AppError> {
    let ((id, fact_id), sent, _) = (path.into_inner(), &form.sent, form.input?);
    let when = (state.clock.today(), state.clock.now());
    let outcome = async {
        let input: facts::EndInput = body(sent, &["to"])?;
        crate::db::write(&state.db, async |txn| {
            facts::end(txn, &user, (id, fact_id), &input, when)
                .await
                .map(|_| ())
        })
        .await
    };
    answer(
        (&state, &req, &user),
        (id, "facts", sent),
        outcome.await,
        "fact_ended",
    )
    .await
}

/// Uploads the evaluation report from the page.
#[post("/patents/{id}/rights/evaluation-report")]
async fn upload_report(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    multipart: actix_multipart::Multipart,
) -> Result<HttpResponse, AppError> {
    let (id, limit) = (id.into_inner(), state.settings.attachment_max_mb << 20);
    rights::report::may_attach(&state.db, &user, id).await?;
    let (name, bytes) = crate::web::upload::read_page_file(&req, multipart, limit).await?;
    let outcome = super::rights_api::attach_report(&state, &user, id, (&name, &bytes))
        .await
        .map(|_| ());
    answer(
        (&state, &req, &user),
        (id, "report", &Sent::default()),
        outcome,
        "report_uploaded",
    )
    .await
}

/// Downloads the evaluation report from the page.
#[get("/patents/{id}/rights/evaluation-report")]
async fn download_report(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    super::rights_api::report_response(&state, &user, id.into_inner()).await
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[
    ("GET", "/patents/{id}/rights"),
    ("POST", "/patents/{id}/rights/open-licence"),
    ("POST", "/patents/{id}/rights/open-licence/withdraw"),
    ("POST", "/patents/{id}/rights/licences"),
    ("POST", "/patents/{id}/rights/pledges"),
    ("POST", "/patents/{id}/rights/suspensions"),
    ("POST", "/patents/{id}/rights/facts/{fact_id}/end"),
    ("POST", "/patents/{id}/rights/evaluation-report"),
    ("GET", "/patents/{id}/rights/evaluation-report"),
];

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(show)
        .service(declare)
        .service(withdraw)
        .service(record_licence)
        .service(record_pledge)
        .service(record_suspension)
        .service(end)
        .service(upload_report)
        .service(download_report);
}
