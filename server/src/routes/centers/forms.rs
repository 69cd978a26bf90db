//! The forms of the center pages: creating a center, and on a center's home adding a deal, a
//! project, a service event or a member. Each calls the same domain function as its API route;
//! a refused form comes back on its page with its errors and input (422).

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, post, web};
use entities::centers;
use serde::Deserialize;
use serde_html_form::de::empty_as_none;

use super::pages::{FormState, Forms, HomeForm, NEW_CENTER_FIELDS, center_page, new_center_form};
use crate::web::{
    ledger_forms::{DealForm, EventForm, ProjectForm},
    page::see_other,
    page_form::{PageForm, Sent},
};
use crate::{
    auth::CurrentUser,
    db::write,
    domain::{
        access,
        alliance::{self, MemberInput},
        centers::{self as center_rules, CenterLevel, NewCenterInput},
        ledger::records,
        organizations::{OrgKind, OrganizationInput},
    },
    error::{AppError, FieldErrors},
    i18n::{Lang, Msg},
    state::AppState,
};

/// The 422 of a choice left open.
fn unchosen(field: &str, zh: &str, en: &str) -> AppError {
    AppError::field(field, Msg::new(zh, en))
}

/// The form creating a center.
#[derive(Deserialize, Default)]
#[serde(default)]
struct NewCenterForm {
    name: String,
    #[serde(deserialize_with = "empty_as_none")]
    level: Option<CenterLevel>,
    industry: String,
    region_code: String,
    host_uscc: String,
}

impl NewCenterForm {
    fn input(self) -> Result<NewCenterInput, AppError> {
        Ok(NewCenterInput {
            level: self
                .level
                .ok_or_else(|| unchosen("level", "请选择级别", "choose a level"))?,
            name: self.name,
            industry: self.industry,
            region_code: self.region_code,
            host_uscc: Some(self.host_uscc),
            host_organization_id: None,
        })
    }
}

/// Creates a center; its staff then lands on its home.
#[post("/center")]
async fn create_center(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    form: PageForm<NewCenterForm>,
) -> Result<HttpResponse, AppError> {
    let now = state.clock.now();
    let created = match form.input.and_then(NewCenterForm::input) {
        Ok(input) => center_rules::create(&state.db, &user, input, now).await,
        Err(refused) => Err(refused),
    };
    match created {
        Ok(center) => Ok(see_other(&format!("/centers/{}", center.id))),
        Err(AppError::Validation(errors)) => {
            let lang = Lang::of_request(&req);
            let shown = FormState::refused(&NEW_CENTER_FIELDS, &form.sent, &errors, lang);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            new_center_form(&state, &req, &user, shown, status).await
        }
        Err(other) => Err(other),
    }
}

/// Where a form of a center's home lands: the home at the list it added to, or the home again
/// with the form's errors and input (422; a conflict is shown beside its first field).
async fn answer(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    (center, form, sent): (centers::Model, HomeForm, &Sent),
    outcome: Result<(), AppError>,
) -> Result<HttpResponse, AppError> {
    let errors = match outcome {
        Ok(()) => {
            // back at the top: the confirmation above the progress the write moved
            let (id, anchor) = (center.id, form.anchor());
            return Ok(see_other(&format!("/centers/{id}?notice={anchor}_saved")));
        }
        Err(AppError::Validation(errors)) => errors,
        Err(conflict @ AppError::Conflict(_)) => {
            FieldErrors::single(form.fields()[0], conflict.message())
        }
        Err(other) => return Err(other),
    };
    let shown = FormState::refused(form.fields(), sent, &errors, Lang::of_request(req));
    let forms = Forms::with(form, shown);
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    center_page(state, req, user, center, forms, Vec::new(), status).await
}

/// Records `R` from `input` for the center, in one transaction.
async fn create<R: records::LedgerRecord>(
    state: &AppState,
    user: &CurrentUser,
    center: &centers::Model,
    input: Result<R::Input, AppError>,
) -> Result<(), AppError> {
    let (today, now) = (state.clock.today(), state.clock.now());
    let input = input?;
    let (center_id, user_id) = (center.id, user.id);
    write(&state.db, async |txn| {
        records::create::<R>(txn, center_id, user_id, input, today, now).await
    })
    .await
    .map(drop)
}

/// Records a deal from a center's home.
#[post("/centers/{id}/transactions")]
async fn add_deal(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<DealForm>,
) -> Result<HttpResponse, AppError> {
    let center = access::writable_center(&state.db, &user, id.into_inner()).await?;
    let input = form.input.and_then(DealForm::input);
    let outcome = create::<records::Deal>(&state, &user, &center, input).await;
    let form_shown = (center, HomeForm::Deal, &form.sent);
    answer(&state, &req, &user, form_shown, outcome).await
}

/// Records a conversion or industrialization project from a center's home.
#[post("/centers/{id}/projects")]
async fn add_project(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<ProjectForm>,
) -> Result<HttpResponse, AppError> {
    let center = access::writable_center(&state.db, &user, id.into_inner()).await?;
    let input = form.input.and_then(ProjectForm::input);
    let outcome = create::<records::Project>(&state, &user, &center, input).await;
    let form_shown = (center, HomeForm::Project, &form.sent);
    answer(&state, &req, &user, form_shown, outcome).await
}

/// Records a service event from a center's home.
#[post("/centers/{id}/events")]
async fn add_event(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<EventForm>,
) -> Result<HttpResponse, AppError> {
    let center = access::writable_center(&state.db, &user, id.into_inner()).await?;
    let input = form.input.and_then(EventForm::input);
    let outcome = create::<records::Event>(&state, &user, &center, input).await;
    let form_shown = (center, HomeForm::Event, &form.sent);
    answer(&state, &req, &user, form_shown, outcome).await
}

/// The member form of a center's home: a listed organization by its code, or a new one in full.
#[derive(Deserialize, Default)]
#[serde(default)]
struct MemberForm {
    uscc: String,
    name: String,
    #[serde(deserialize_with = "empty_as_none")]
    kind: Option<OrgKind>,
    region_code: String,
    joined_on: String,
}

impl MemberForm {
    fn input(self) -> MemberInput {
        let joined_on = Some(self.joined_on).filter(|d| !d.trim().is_empty());
        match self.kind {
            Some(kind) if !self.name.trim().is_empty() => MemberInput {
                uscc: None,
                organization: Some(OrganizationInput {
                    uscc: self.uscc,
                    name: self.name,
                    kind,
                    region_code: self.region_code,
                    flags: Vec::new(),
                    uscc_check_override_reason: None,
                }),
                joined_on,
                left_on: None,
            },
            _ => MemberInput {
                uscc: Some(self.uscc),
                organization: None,
                joined_on,
                left_on: None,
            },
        }
    }
}

/// Adds an alliance member from a center's home.
#[post("/centers/{id}/members")]
async fn add_member(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<MemberForm>,
) -> Result<HttpResponse, AppError> {
    let center = access::writable_center(&state.db, &user, id.into_inner()).await?;
    let input = form.input.map(MemberForm::input);
    let outcome = create::<alliance::Member>(&state, &user, &center, input).await;
    let form_shown = (center, HomeForm::Member, &form.sent);
    answer(&state, &req, &user, form_shown, outcome).await
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[
    ("POST", "/center"),
    ("POST", "/centers/{id}/transactions"),
    ("POST", "/centers/{id}/projects"),
    ("POST", "/centers/{id}/events"),
    ("POST", "/centers/{id}/members"),
];

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create_center)
        .service(add_deal)
        .service(add_project)
        .service(add_event)
        .service(add_member);
}
