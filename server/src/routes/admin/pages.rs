//! The admin's user management page: list, create, disable or enable, change role.

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use serde::Serialize;

use serde::Deserialize;
use serde_html_form::de::empty_as_none;

use crate::web::{
    page::{render, see_other},
    page_form::{PageForm, Sent},
};
use crate::{
    auth::CurrentUser,
    domain::{
        paging::PageQuery,
        users::{self, NewUserInput, Role, UserPatch, UserView},
    },
    error::AppError,
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
    Role::ALL
        .iter()
        .map(|r| RoleChoice {
            value: r.as_str(),
            label_key: format!("role_{}", r.as_str()),
            selected: r.as_str() == selected,
        })
        .collect()
}

#[derive(Serialize)]
struct UserRow {
    user: UserView,
    role_label_key: String,
    roles: Vec<RoleChoice>,
}

#[derive(Serialize)]
struct UsersPage {
    rows: Vec<UserRow>,
    total: u64,
    page: u64,
    prev_page: Option<u64>,
    next_page: Option<u64>,
    new_email: String,
    new_region_code: String,
    new_roles: Vec<RoleChoice>,
    errors: Vec<String>,
}

async fn users_page(
    state: &AppState,
    req: &HttpRequest,
    admin: &CurrentUser,
    page: u64,
    form: Option<&Sent>,
    status: StatusCode,
    errors: Vec<String>,
) -> Result<HttpResponse, AppError> {
    let per_page = 50;
    let list = users::list(&state.db, page, per_page).await?;
    let pages = list.total.div_ceil(per_page).max(1);
    let rows = list
        .items
        .into_iter()
        .map(|u| UserRow {
            role_label_key: format!("role_{}", u.role),
            roles: role_choices(&u.role),
            user: u,
        })
        .collect();
    let field = |name: &str| form.map(|f| f.get(name).to_string()).unwrap_or_default();
    let data = UsersPage {
        rows,
        total: list.total,
        page,
        prev_page: (page > 1).then(|| page - 1),
        next_page: (page < pages).then(|| page + 1),
        new_email: field("email"),
        new_region_code: field("region_code"),
        new_roles: role_choices(&field("role")),
        errors,
    };
    render(
        state,
        req,
        Some(admin),
        "admin/users",
        "users_title",
        status,
        data,
    )
}

#[get("/admin/users")]
async fn list_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    user.require(&[Role::Admin])?;
    let (page, _) = query.into_inner().resolve()?;
    users_page(&state, &req, &user, page, None, StatusCode::OK, Vec::new()).await
}

/// Turns a failed action into the page with its messages, or passes other errors on.
async fn page_with_error(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    form: Option<&Sent>,
    err: AppError,
) -> Result<HttpResponse, AppError> {
    let lang = Lang::of_request(req);
    let status = actix_web::ResponseError::status_code(&err);
    let errors = match &err {
        AppError::Validation(fields) => fields
            .in_lang(lang)
            .into_iter()
            .map(|(k, v)| format!("{k}: {}", v.join("; ")))
            .collect(),
        AppError::Conflict(m) => vec![m.text(lang).to_string()],
        _ => return Err(err),
    };
    users_page(state, req, user, 1, form, status, errors).await
}

/// The form creating an account.
#[derive(Deserialize, Default)]
#[serde(default)]
struct NewUserForm {
    email: String,
    password: String,
    #[serde(deserialize_with = "empty_as_none")]
    role: Option<Role>,
    region_code: String,
}

impl NewUserForm {
    fn input(self) -> Result<NewUserInput, AppError> {
        let choose = || AppError::field("role", Msg::new("请选择角色", "choose a role"));
        Ok(NewUserInput {
            role: self.role.ok_or_else(choose)?,
            email: self.email,
            password: self.password,
            organization_id: None,
            center_id: None,
            region_code: Some(self.region_code).filter(|r| !r.trim().is_empty()),
        })
    }
}

/// Creates an account.
#[post("/admin/users")]
async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    form: PageForm<NewUserForm>,
) -> Result<HttpResponse, AppError> {
    user.require(&[Role::Admin])?;
    let now = state.clock.now();
    let created = match form.input.and_then(NewUserForm::input) {
        Ok(input) => users::create(&state.db, Some(user.id), input, now).await,
        Err(refused) => Err(refused),
    };
    match created {
        Ok(_) => Ok(see_other("/admin/users")),
        Err(err) => page_with_error(&state, &req, &user, Some(&form.sent), err).await,
    }
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
        Ok(_) => Ok(see_other("/admin/users")),
        Err(err) => page_with_error(&state, &req, &user, None, err).await,
    }
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_page).service(create).service(update);
}
