//! A member's registration: an account and its organization; the new member is then logged in.

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use serde::{Deserialize, Serialize};
use serde_html_form::de::empty_as_none;

use super::pages::logged_in;
use crate::web::{page::render, page_form::PageForm};
use crate::{
    auth::{login, ratelimit},
    domain::{
        organizations::{OrgFlag, OrgKind},
        parse_enum,
        users::{self, RegisterInput, RegisterOrganization},
    },
    error::AppError,
    i18n::Lang,
    state::AppState,
};

/// The registration form.
#[derive(Deserialize, Default)]
#[serde(default)]
struct RegisterForm {
    email: String,
    /// The person's name (`name` is the organization's).
    person_name: String,
    password: String,
    uscc: String,
    name: String,
    #[serde(deserialize_with = "empty_as_none")]
    kind: Option<OrgKind>,
    region_code: String,
    flags: Vec<String>,
}

impl RegisterForm {
    /// The registration; an organization already registered needs its code alone.
    fn input(&self) -> Result<RegisterInput, AppError> {
        let given = |text: &str| Some(text.to_string()).filter(|t| !t.trim().is_empty());
        Ok(RegisterInput {
            email: self.email.clone(),
            name: self.person_name.clone(),
            password: self.password.clone(),
            organization: RegisterOrganization {
                uscc: self.uscc.clone(),
                name: given(&self.name),
                kind: self.kind,
                region_code: given(&self.region_code),
                flags: self.flags.iter().filter_map(|f| parse_enum(f)).collect(),
            },
        })
    }
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
    person_name: Option<String>,
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
    person_name: String,
    uscc: String,
    name: String,
    region_code: String,
    kinds: Vec<Choice>,
    flags: Vec<Choice>,
    errors: RegisterErrors,
}

impl RegisterPage {
    /// The form showing what `form` holds (the password never comes back).
    fn of(form: &RegisterForm) -> RegisterPage {
        let kind = |k: &OrgKind| Choice {
            value: k.as_str(),
            label_key: format!("kind_{}", k.as_str()),
            selected: form.kind == Some(*k),
        };
        let flag = |f: &OrgFlag| Choice {
            value: f.as_str(),
            label_key: format!("flag_{}", f.as_str()),
            selected: form.flags.iter().any(|x| x == f.as_str()),
        };
        RegisterPage {
            email: form.email.clone(),
            person_name: form.person_name.clone(),
            uscc: form.uscc.clone(),
            name: form.name.clone(),
            region_code: form.region_code.clone(),
            kinds: OrgKind::ALL.iter().map(kind).collect(),
            flags: OrgFlag::ALL.iter().map(flag).collect(),
            errors: RegisterErrors::default(),
        }
    }

    /// The errors of a refused registration beside their fields (422), or a conflict above the
    /// form (409).
    fn refused(
        mut self,
        err: AppError,
        lang: Lang,
    ) -> Result<(RegisterPage, StatusCode), AppError> {
        match err {
            AppError::Validation(fields) => {
                let fields = fields.in_lang(lang);
                let first = |key: &str| fields.get(key).map(|v| v.join(lang.separator()));
                self.errors = RegisterErrors {
                    email: first("email"),
                    person_name: first("name"),
                    password: first("password"),
                    uscc: first("organization.uscc"),
                    name: first("organization.name"),
                    kind: first("organization.kind"),
                    region_code: first("organization.region_code"),
                    general: None,
                };
                Ok((self, StatusCode::UNPROCESSABLE_ENTITY))
            }
            err @ AppError::Conflict(_) => {
                self.errors.general = Some(err.message().text(lang).to_string());
                Ok((self, StatusCode::CONFLICT))
            }
            other => Err(other),
        }
    }
}

/// The registration form.
#[get("/register")]
async fn register_form(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let page = RegisterPage::of(&RegisterForm::default());
    render(
        &state,
        &req,
        None,
        "auth/register",
        "register_title",
        StatusCode::OK,
        page,
    )
    .await
}

/// Registers a member and its organization, then logs it in.
#[post("/register")]
async fn register_submit(
    state: web::Data<AppState>,
    req: HttpRequest,
    form: PageForm<RegisterForm>,
) -> Result<HttpResponse, AppError> {
    let form = form.input?;
    let registered = match form.input() {
        Ok(input) => users::register_member(&state.db, input, state.clock.now()).await,
        Err(refused) => Err(refused),
    };
    if let Err(err) = registered {
        let (page, status) = RegisterPage::of(&form).refused(err, Lang::of_request(&req))?;
        return render(
            &state,
            &req,
            None,
            "auth/register",
            "register_title",
            status,
            page,
        )
        .await;
    }
    let ip = ratelimit::client_ip(&req, &state.settings);
    let session = login::login(&state, &form.email, &form.password, ip).await?;
    logged_in(&state, session.token, "/home")
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[("GET", "/register"), ("POST", "/register")];

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(register_form).service(register_submit);
}
