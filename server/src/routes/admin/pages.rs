//! The admin's user management page: find by e-mail or name, create with a name and an
//! organization found by search, disable or enable (confirmed first), change role.

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use serde::{Deserialize, Serialize};
use serde_html_form::de::empty_as_none;

use super::api::UserQuery;
use crate::web::extract::ApiQuery;
use crate::web::{
    page::{render, see_other},
    page_form::{PageForm, Sent},
};
use crate::{
    auth::CurrentUser,
    domain::users::{self, NewUserInput, Role, UserPatch, UserView},
    error::{AppError, FieldErrors},
    i18n::{Lang, Msg},
    state::AppState,
};

#[derive(Serialize)]
struct RoleChoice {
    value: &'static str,
    label_key: String,
    selected: bool,
}

fn role_choices(selected: &str) -> Vec<RoleChoice> {
    let choice = |r: &Role| RoleChoice {
        value: r.as_str(),
        label_key: format!("role_{}", r.as_str()),
        selected: r.as_str() == selected,
    };
    Role::ALL.iter().map(choice).collect()
}

#[derive(Serialize)]
struct UserRow {
    user: UserView,
    created_on: String,
    role_label_key: String,
    roles: Vec<RoleChoice>,
}

/// The fields of the creation form, shown again with their errors after a refusal.
const NEW_FIELDS: [&str; 6] = [
    "email",
    "name",
    "password",
    "role",
    "organization",
    "region_code",
];

#[derive(Serialize)]
struct UsersPage {
    rows: Vec<UserRow>,
    total: u64,
    page: u64,
    q: String,
    prev_href: Option<String>,
    next_href: Option<String>,
    values: BTreeMap<String, String>,
    errors: BTreeMap<String, String>,
    new_roles: Vec<RoleChoice>,
    /// Errors of the row forms (no field of the creation form to show them beside).
    alerts: Vec<String>,
}

/// A refusal as the page shows it: beside the creation form's fields, else above the list.
struct Refusal {
    status: StatusCode,
    fields: BTreeMap<String, String>,
    alerts: Vec<String>,
}

impl Refusal {
    fn none() -> Refusal {
        let (fields, alerts) = (BTreeMap::new(), Vec::new());
        let status = StatusCode::OK;
        Refusal {
            status,
            fields,
            alerts,
        }
    }
}

fn pager(query: &UserQuery, page: u64) -> String {
    let q = query.q.as_deref().unwrap_or_default();
    let q: String = form_urlencoded::byte_serialize(q.as_bytes()).collect();
    format!("/admin/users?q={q}&page={page}")
}

async fn users_page(
    state: &AppState,
    req: &HttpRequest,
    admin: &CurrentUser,
    query: &UserQuery,
    form: Option<&Sent>,
    refusal: Refusal,
) -> Result<HttpResponse, AppError> {
    let (page, per_page) = query.paging()?;
    let list = users::list(&state.db, query.q.as_deref(), page, per_page).await?;
    let pages = list.total.div_ceil(per_page).max(1);
    let row = |u: UserView| UserRow {
        created_on: crate::clock::china_date(u.created_at).to_string(),
        role_label_key: format!("role_{}", u.role),
        roles: role_choices(&u.role),
        user: u,
    };
    let mut values = form.map(|f| f.values(NEW_FIELDS)).unwrap_or_default();
    let mut errors = refusal.fields;
    for field in NEW_FIELDS {
        values.entry(field.into()).or_default();
        errors.entry(field.into()).or_default();
    }
    values.insert("password".into(), String::new());
    let data = UsersPage {
        rows: list.items.into_iter().map(row).collect(),
        total: list.total,
        page,
        q: query.q.clone().unwrap_or_default(),
        prev_href: (page > 1).then(|| pager(query, page - 1)),
        next_href: (page < pages).then(|| pager(query, page + 1)),
        new_roles: role_choices(&values["role"]),
        values,
        errors,
        alerts: refusal.alerts,
    };
    let status = refusal.status;
    render(
        state,
        req,
        Some(admin),
        "admin/users",
        "users_title",
        status,
        data,
    )
    .await
}

#[get("/admin/users")]
async fn list_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    query: ApiQuery<UserQuery>,
) -> Result<HttpResponse, AppError> {
    user.require(&[Role::Admin])?;
    users_page(&state, &req, &user, &query, None, Refusal::none()).await
}

/// Turns a failed action into the page with its messages (by field for the creation form), or
/// passes other errors on.
async fn page_with_error(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    form: Option<&Sent>,
    err: AppError,
) -> Result<HttpResponse, AppError> {
    let lang = Lang::of_request(req);
    let status = actix_web::ResponseError::status_code(&err);
    let label = |field: &str| {
        state
            .templates
            .label(lang, &format!("field_{field}"))
            .to_string()
    };
    let colon = state.templates.label(lang, "p_colon");
    let semicolon = state.templates.label(lang, "p_semicolon");
    let messages: Vec<(String, String)> = match &err {
        AppError::Validation(fields) => (fields.in_lang(lang).into_iter())
            .map(|(k, v)| (k, v.join(semicolon)))
            .collect(),
        AppError::Conflict(m) => vec![("email".into(), m.text(lang).to_string())],
        _ => return Err(err),
    };
    let mut refusal = Refusal {
        status,
        ..Refusal::none()
    };
    for (field, message) in messages {
        match form.is_some() && NEW_FIELDS.contains(&field.as_str()) {
            true => drop(refusal.fields.insert(field, message)),
            false => refusal
                .alerts
                .push(format!("{}{colon}{message}", label(&field))),
        }
    }
    users_page(state, req, user, &UserQuery::default(), form, refusal).await
}

/// The form creating an account; the organization is its USCC or exact name.
#[derive(Deserialize, Default)]
#[serde(default)]
struct NewUserForm {
    email: String,
    name: String,
    password: String,
    #[serde(deserialize_with = "empty_as_none")]
    role: Option<Role>,
    organization: String,
    region_code: String,
}

impl NewUserForm {
    /// The account to create, the organization looked up; every field's error at once.
    async fn input(self, state: &AppState) -> Result<NewUserInput, AppError> {
        let mut errors = FieldErrors::default();
        let organization = match users::organization_named(&state.db, &self.organization).await {
            Ok(found) => Some(found),
            Err(AppError::Validation(e)) => {
                errors.merge(e);
                None
            }
            Err(other) => return Err(other),
        };
        if self.role.is_none() {
            errors.add("role", Msg::new("请选择角色", "choose a role"));
        }
        let (Some(role), Some(organization_id)) = (self.role, organization) else {
            return Err(AppError::Validation(errors));
        };
        Ok(NewUserInput {
            role,
            email: self.email,
            name: self.name,
            password: self.password,
            organization_id,
            center_id: None,
            region_code: Some(self.region_code).filter(|r| !r.trim().is_empty()),
        })
    }
}

/// Creates an account, then shows it found by its e-mail with a confirmation.
#[post("/admin/users")]
async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    form: PageForm<NewUserForm>,
) -> Result<HttpResponse, AppError> {
    user.require(&[Role::Admin])?;
    let now = state.clock.now();
    let created = match form.input {
        Ok(input) => match input.input(&state).await {
            Ok(input) => users::create(&state.db, Some(user.id), input, now).await,
            Err(refused) => Err(refused),
        },
        Err(refused) => Err(refused),
    };
    match created {
        Ok(made) => Ok(see_other(&found(&made.email, "user_created"))),
        Err(err) => page_with_error(&state, &req, &user, Some(&form.sent), err).await,
    }
}

/// The list narrowed to `email`, with the confirmation `notice`.
fn found(email: &str, notice: &str) -> String {
    let q: String = form_urlencoded::byte_serialize(email.as_bytes()).collect();
    format!("/admin/users?q={q}&notice={notice}")
}

/// The form changing an account's role or disabling or enabling it, at its version.
#[derive(Deserialize, Default)]
#[serde(default)]
struct UserForm {
    #[serde(deserialize_with = "empty_as_none")]
    role: Option<Role>,
    disabled: Option<bool>,
    version: Option<i32>,
}

impl UserForm {
    fn patch(self) -> Result<UserPatch, AppError> {
        let missing = || AppError::field("version", Msg::new("缺少版本号", "version is missing"));
        Ok(UserPatch {
            version: self.version.ok_or_else(missing)?,
            role: self.role,
            disabled: self.disabled,
            center_id: None,
            region_code: None,
        })
    }
}

/// Changes an account's role, or disables or enables it.
#[post("/admin/users/{id}")]
async fn update(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<UserForm>,
) -> Result<HttpResponse, AppError> {
    user.require(&[Role::Admin])?;
    let (id, now) = (id.into_inner(), state.clock.now());
    let updated = match form.input.and_then(UserForm::patch) {
        Ok(patch) => users::update(&state.db, user.id, id, patch, now).await,
        Err(refused) => Err(refused),
    };
    match updated {
        Ok(changed) => Ok(see_other(&found(&changed.email, "user_saved"))),
        Err(err) => page_with_error(&state, &req, &user, None, err).await,
    }
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[
    ("GET", "/admin/users"),
    ("POST", "/admin/users"),
    ("POST", "/admin/users/{id}"),
];

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_page).service(create).service(update);
}
