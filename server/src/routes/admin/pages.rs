//! The admin's user management page: list, create, disable or enable, change role.

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use serde::Serialize;

use crate::web::page::{render, see_other};
use crate::{
    auth::{CurrentUser, csrf},
    domain::{
        paging::PageQuery,
        parse_enum,
        users::{self, NewUserInput, Role, UserPatch, UserView},
    },
    error::AppError,
    i18n::Lang,
    state::AppState,
    web::extract::FormFields,
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
    form: Option<&FormFields>,
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
    form: &FormFields,
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
    users_page(state, req, user, 1, Some(form), status, errors).await
}

#[post("/admin/users")]
async fn create(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    user.require(&[Role::Admin])?;
    csrf::verify(&req, form.get(csrf::CSRF_FIELD))?;
    let Some(role) = parse_enum::<Role>(form.get("role")) else {
        let err = AppError::field("role", crate::i18n::Msg::new("请选择角色", "choose a role"));
        return page_with_error(&state, &req, &user, &form, err).await;
    };
    let input = NewUserInput {
        email: form.get("email").to_string(),
        password: form.get("password").to_string(),
        role,
        organization_id: None,
        center_id: None,
        region_code: Some(form.get("region_code").to_string()).filter(|r| !r.trim().is_empty()),
    };
    match users::create(&state.db, Some(user.id), input, state.clock.now()).await {
        Ok(_) => Ok(see_other("/admin/users")),
        Err(err) => page_with_error(&state, &req, &user, &form, err).await,
    }
}

#[post("/admin/users/{id}")]
async fn update(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    user.require(&[Role::Admin])?;
    csrf::verify(&req, form.get(csrf::CSRF_FIELD))?;
    let version = form.get("version").parse().map_err(|_| {
        AppError::field(
            "version",
            crate::i18n::Msg::new("缺少版本号", "version is missing"),
        )
    })?;
    let patch = UserPatch {
        role: parse_enum(form.get("role")),
        disabled: match form.get("disabled") {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        center_id: None,
        region_code: None,
        version,
    };
    match users::update(
        &state.db,
        user.id,
        id.into_inner(),
        patch,
        state.clock.now(),
    )
    .await
    {
        Ok(_) => Ok(see_other("/admin/users")),
        Err(err) => page_with_error(&state, &req, &user, &FormFields::default(), err).await,
    }
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(list_page).service(create).service(update);
}
