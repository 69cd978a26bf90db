//! The forms of a record's page: saving its correction at the version shown, and deleting it
//! (entered by mistake). Each runs the same ledger command as its API route; a refused correction
//! comes back on the record's page with its errors and input, a stale version with a message to
//! reload.

use actix_web::{HttpRequest, HttpResponse, post, web};
use entities::centers;
use serde::{Deserialize, Serialize};

use super::pages::{Refused, record_page};
use crate::web::{
    ledger_forms::{DealForm, EventForm, ProjectForm, RecordPage},
    page::see_other,
    page_form::{PageForm, Sent},
};
use crate::{
    auth::CurrentUser,
    db::write,
    domain::{access, ledger::records},
    error::AppError,
    i18n::Lang,
    state::AppState,
};

/// The version a correction or deletion was made against.
#[derive(Deserialize)]
struct Versioned {
    version: i32,
}

/// Corrects the record `rid` of `center` with `input` at the version the form was shown with.
async fn correct<R: records::LedgerRecord>(
    state: &AppState,
    user: &CurrentUser,
    (center, rid, sent): (&centers::Model, i64, &Sent),
    input: Result<R::Input, AppError>,
) -> Result<(), AppError> {
    let version: i32 = sent.get("version").parse().unwrap_or(0);
    let mut patch = match serde_json::to_value(input?) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => {
            return Err(AppError::Internal(anyhow::anyhow!(
                "a record input is an object"
            )));
        }
    };
    patch.insert("version".into(), version.into());
    let (today, now, center_id, user_id) =
        (state.clock.today(), state.clock.now(), center.id, user.id);
    write(&state.db, async |txn| {
        records::update::<R>(txn, center_id, rid, user_id, patch, today, now).await
    })
    .await
    .map(drop)
}

/// Where a correction lands: the list with a confirmation, or the record's page again showing
/// what was refused.
async fn answered<R: records::LedgerRecord<View = V>, V: RecordPage + Serialize>(
    state: &AppState,
    (req, user): (&HttpRequest, &CurrentUser),
    (center, rid, sent): (centers::Model, i64, &Sent),
    outcome: Result<(), AppError>,
) -> Result<HttpResponse, AppError> {
    let lang = Lang::of_request(req);
    let refused = match outcome {
        Ok(()) => {
            return Ok(see_other(&format!(
                "/centers/{}/{}?notice=record_saved",
                center.id,
                V::PATH
            )));
        }
        Err(AppError::Validation(errors)) => Refused {
            values: Some(sent.all()),
            errors: (errors.in_lang(lang).into_iter())
                .map(|(k, v)| (k, v.join(lang.separator())))
                .collect(),
            status: Some(actix_web::http::StatusCode::UNPROCESSABLE_ENTITY),
            ..Refused::default()
        },
        Err(conflict @ AppError::Conflict(_)) => Refused {
            alert: conflict.message().text(lang).to_string(),
            status: Some(actix_web::http::StatusCode::CONFLICT),
            ..Refused::default()
        },
        Err(other) => return Err(other),
    };
    let record = records::find_view::<R>(&state.db, center.id, rid).await?;
    record_page(state, (req, user), center, record, refused).await
}

#[post("/centers/{id}/transactions/{rid}")]
async fn save_deal(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(i32, i64)>,
    form: PageForm<DealForm>,
) -> Result<HttpResponse, AppError> {
    let (id, rid) = path.into_inner();
    let center = access::writable_center(&state.db, &user, id).await?;
    let input = form.input.and_then(DealForm::input);
    let outcome = correct::<records::Deal>(&state, &user, (&center, rid, &form.sent), input).await;
    answered::<records::Deal, _>(&state, (&req, &user), (center, rid, &form.sent), outcome).await
}

#[post("/centers/{id}/projects/{rid}")]
async fn save_project(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(i32, i64)>,
    form: PageForm<ProjectForm>,
) -> Result<HttpResponse, AppError> {
    let (id, rid) = path.into_inner();
    let center = access::writable_center(&state.db, &user, id).await?;
    let input = form.input.and_then(ProjectForm::input);
    let outcome =
        correct::<records::Project>(&state, &user, (&center, rid, &form.sent), input).await;
    answered::<records::Project, _>(&state, (&req, &user), (center, rid, &form.sent), outcome).await
}

#[post("/centers/{id}/events/{rid}")]
async fn save_event(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(i32, i64)>,
    form: PageForm<EventForm>,
) -> Result<HttpResponse, AppError> {
    let (id, rid) = path.into_inner();
    let center = access::writable_center(&state.db, &user, id).await?;
    let input = form.input.and_then(EventForm::input);
    let outcome = correct::<records::Event>(&state, &user, (&center, rid, &form.sent), input).await;
    answered::<records::Event, _>(&state, (&req, &user), (center, rid, &form.sent), outcome).await
}

/// Deletes the record `rid` of `center` (entered by mistake) at the version shown, then lists
/// the kind's records with a confirmation.
async fn remove<R: records::LedgerRecord<View = V>, V: RecordPage>(
    state: &AppState,
    user: &CurrentUser,
    (center_id, rid): (i32, i64),
    form: PageForm<Versioned>,
) -> Result<HttpResponse, AppError> {
    let center = access::writable_center(&state.db, user, center_id).await?;
    let version = form.input?.version;
    let (now, user_id) = (state.clock.now(), user.id);
    write(&state.db, async |txn| {
        records::delete::<R>(txn, center.id, rid, version, user_id, now).await
    })
    .await?;
    Ok(see_other(&format!(
        "/centers/{}/{}?notice=record_deleted",
        center.id,
        V::PATH
    )))
}

#[post("/centers/{id}/transactions/{rid}/delete")]
async fn delete_deal(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, i64)>,
    form: PageForm<Versioned>,
) -> Result<HttpResponse, AppError> {
    remove::<records::Deal, _>(&state, &user, path.into_inner(), form).await
}

#[post("/centers/{id}/projects/{rid}/delete")]
async fn delete_project(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, i64)>,
    form: PageForm<Versioned>,
) -> Result<HttpResponse, AppError> {
    remove::<records::Project, _>(&state, &user, path.into_inner(), form).await
}

#[post("/centers/{id}/events/{rid}/delete")]
async fn delete_event(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, i64)>,
    form: PageForm<Versioned>,
) -> Result<HttpResponse, AppError> {
    remove::<records::Event, _>(&state, &user, path.into_inner(), form).await
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[
    ("POST", "/centers/{id}/transactions/{rid}"),
    ("POST", "/centers/{id}/projects/{rid}"),
    ("POST", "/centers/{id}/events/{rid}"),
    ("POST", "/centers/{id}/transactions/{rid}/delete"),
    ("POST", "/centers/{id}/projects/{rid}/delete"),
    ("POST", "/centers/{id}/events/{rid}/delete"),
];

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(save_deal)
        .service(save_project)
        .service(save_event);
    cfg.service(delete_deal)
        .service(delete_project)
        .service(delete_event);
}
