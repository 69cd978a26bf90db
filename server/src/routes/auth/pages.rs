//! Login, logout and registration forms.

use actix_web::{
    HttpRequest, HttpResponse,
    cookie::{Cookie, SameSite},
    get,
    http::StatusCode,
    post, web,
};
use serde::{Deserialize, Serialize};

use crate::web::page::{render, see_other};
use crate::{
    auth::{SESSION_COOKIE, csrf, login, ratelimit},
    domain::{
        organizations::{OrgFlag, OrgKind, OrganizationInput},
        parse_enum,
        users::{self, RegisterInput},
    },
    error::AppError,
    i18n::Lang,
    state::AppState,
    web::extract::FormFields,
};

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// A local path to go to after logging in (never another site).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/home".to_string(),
    }
}

#[derive(Serialize, Default)]
struct LoginPage {
    email: String,
    next: String,
    error: Option<String>,
}

fn session_cookie(state: &AppState, token: String) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, token)
        .path("/")
        .http_only(true)
        .secure(state.settings.cookie_secure)
        .same_site(SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::minutes(
            state.settings.token_ttl_minutes,
        ))
        .finish()
}

#[get("/login")]
async fn login_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, AppError> {
    let page = LoginPage {
        next: safe_next(query.next.as_deref()),
        ..Default::default()
    };
    render(
        &state,
        &req,
        None,
        "auth/login",
        "login_title",
        StatusCode::OK,
        page,
    )
}

#[post("/login")]
async fn login_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&req, form.get(csrf::CSRF_FIELD))?;
    let next = safe_next(Some(form.get("next")));
    let ip = ratelimit::client_ip(&req, &state.settings);
    let lang = Lang::of_request(&req);
    match login::login(&state, form.get("email"), form.get("password"), ip).await {
        Ok(logged_in) => {
            let mut response = see_other(&next);
            response
                .add_cookie(&session_cookie(&state, logged_in.token))
                .map_err(|e| AppError::Internal(e.into()))?;
            Ok(response)
        }
        Err(err @ (AppError::Unauthorized(_) | AppError::RateLimited { .. })) => {
            let page = LoginPage {
                email: form.get("email").to_string(),
                next,
                error: Some(err.message().text(lang).to_string()),
            };
            let status = actix_web::ResponseError::status_code(&err);
            let mut response = render(
                &state,
                &req,
                None,
                "auth/login",
                "login_title",
                status,
                page,
            )?;
            if let AppError::RateLimited { retry_after_secs } = err {
                response.headers_mut().insert(
                    actix_web::http::header::RETRY_AFTER,
                    actix_web::http::header::HeaderValue::from(retry_after_secs),
                );
            }
            Ok(response)
        }
        Err(other) => Err(other),
    }
}

#[post("/logout")]
async fn logout(req: HttpRequest, form: FormFields) -> Result<HttpResponse, AppError> {
    csrf::verify(&req, form.get(csrf::CSRF_FIELD))?;
    let mut response = see_other("/");
    let mut gone = Cookie::build(SESSION_COOKIE, "").path("/").finish();
    gone.make_removal();
    response
        .add_cookie(&gone)
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(response)
}

/// A choice in a select or checkbox group.
#[derive(Serialize)]
struct Choice {
    value: &'static str,
    label_key: String,
    selected: bool,
}

#[derive(Serialize, Default)]
struct RegisterErrors {
    email: Option<String>,
    password: Option<String>,
    uscc: Option<String>,
    name: Option<String>,
    kind: Option<String>,
    region_code: Option<String>,
    general: Option<String>,
}

#[derive(Serialize, Default)]
struct RegisterPage {
    email: String,
    uscc: String,
    name: String,
    region_code: String,
    kinds: Vec<Choice>,
    flags: Vec<Choice>,
    errors: RegisterErrors,
}

fn register_page(form: &FormFields) -> RegisterPage {
    let kind = form.get("kind");
    let flags = form.get_all("flags");
    RegisterPage {
        email: form.get("email").to_string(),
        uscc: form.get("uscc").to_string(),
        name: form.get("name").to_string(),
        region_code: form.get("region_code").to_string(),
        kinds: OrgKind::ALL
            .iter()
            .map(|k| Choice {
                value: k.as_str(),
                label_key: format!("kind_{}", k.as_str()),
                selected: k.as_str() == kind,
            })
            .collect(),
        flags: OrgFlag::ALL
            .iter()
            .map(|f| Choice {
                value: f.as_str(),
                label_key: format!("flag_{}", f.as_str()),
                selected: flags.iter().any(|x| x == f.as_str()),
            })
            .collect(),
        errors: RegisterErrors::default(),
    }
}

#[get("/register")]
async fn register_form(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    render(
        &state,
        &req,
        None,
        "auth/register",
        "register_title",
        StatusCode::OK,
        register_page(&FormFields::default()),
    )
}

#[post("/register")]
async fn register_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&req, form.get(csrf::CSRF_FIELD))?;
    let lang = Lang::of_request(&req);
    let mut page = register_page(&form);
    let Some(kind) = parse_enum::<OrgKind>(form.get("kind")) else {
        page.errors.kind = Some(state.templates.label(lang, "error_choose_kind").to_string());
        return render(
            &state,
            &req,
            None,
            "auth/register",
            "register_title",
            StatusCode::UNPROCESSABLE_ENTITY,
            page,
        );
    };
    let input = RegisterInput {
        email: form.get("email").to_string(),
        password: form.get("password").to_string(),
        organization: OrganizationInput {
            uscc: form.get("uscc").to_string(),
            name: form.get("name").to_string(),
            kind,
            region_code: form.get("region_code").to_string(),
            flags: form
                .get_all("flags")
                .iter()
                .filter_map(|f| parse_enum(f))
                .collect(),
            uscc_check_override_reason: None,
        },
    };
    match users::register_member(&state.db, input, state.clock.now()).await {
        Ok(_) => {
            let logged_in = login::login(
                &state,
                form.get("email"),
                form.get("password"),
                ratelimit::client_ip(&req, &state.settings),
            )
            .await?;
            let mut response = see_other("/home");
            response
                .add_cookie(&session_cookie(&state, logged_in.token))
                .map_err(|e| AppError::Internal(e.into()))?;
            Ok(response)
        }
        Err(AppError::Validation(fields)) => {
            let fields = fields.in_lang(lang);
            let first = |key: &str| fields.get(key).map(|v| v.join("；"));
            page.errors = RegisterErrors {
                email: first("email"),
                password: first("password"),
                uscc: first("organization.uscc"),
                name: first("organization.name"),
                kind: None,
                region_code: first("organization.region_code"),
                general: None,
            };
            render(
                &state,
                &req,
                None,
                "auth/register",
                "register_title",
                StatusCode::UNPROCESSABLE_ENTITY,
                page,
            )
        }
        Err(err @ AppError::Conflict(_)) => {
            page.errors.general = Some(err.message().text(lang).to_string());
            render(
                &state,
                &req,
                None,
                "auth/register",
                "register_title",
                StatusCode::CONFLICT,
                page,
            )
        }
        Err(other) => Err(other),
    }
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(login_form)
        .service(login_submit)
        .service(logout)
        .service(register_form)
        .service(register_submit);
}
