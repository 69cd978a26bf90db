//! The page frame shared by every HTML route, the landing page, each role's home, the rulebook
//! page and error pages.

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, web};
use serde::Serialize;

use crate::domain::{
    accreditation::waiting_on,
    views::{
        expert_home::{ExpertTask, expert_tasks},
        member_home::member_home,
    },
};
use crate::{
    auth::{CurrentUser, MaybeUser},
    domain::{
        rulebook,
        users::{self, Role},
    },
    error::AppError,
    i18n::Lang,
    state::AppState,
    web::page::{render, see_other},
    web::rules::{Threshold, thresholds},
};

#[get("/")]
async fn index(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: MaybeUser,
) -> Result<HttpResponse, AppError> {
    if user.0.is_some() {
        return Ok(see_other("/home"));
    }
    let page = rules_in_force(&state, Lang::of_request(&req)).await?;
    render(
        &state,
        &req,
        None,
        "index",
        "app_name",
        StatusCode::OK,
        page,
    )
    .await
}

/// The figures of the rulebook version in force today.
async fn rules_in_force(state: &AppState, lang: Lang) -> Result<RulesInForce, AppError> {
    let in_force = rulebook::in_force_on(&state.db, state.clock.today()).await?;
    Ok(RulesInForce {
        rulebook_version: in_force.version,
        effective_from: in_force.effective_from.to_string(),
        thresholds: thresholds(state, lang, &in_force),
    })
}

/// The rulebook version in force and its main figures.
#[derive(Serialize)]
struct RulesInForce {
    rulebook_version: i32,
    effective_from: String,
    thresholds: Vec<Threshold>,
}

#[derive(Serialize)]
struct HomePage {
    role: &'static str,
    duties_key: String,
    /// The applications whose next step is the caller's, oldest first.
    waiting: Vec<crate::domain::accreditation::ApplicationView>,
    /// The reviews (proposals, reports, rectifications) waiting on a decider, oldest first.
    reviews: Vec<ReviewWaiting>,
    is_admin: bool,
    organization: Option<String>,
    /// The requests to be linked to an organization that the caller decides.
    links: Vec<crate::domain::users::links::LinkView>,
    /// The caller's own request to be linked to its organization, while it has none.
    my_link: Option<crate::domain::users::links::LinkView>,
    /// An expert's assignments still to declare or score, summarized.
    tasks: Vec<crate::domain::views::expert_home::ExpertTask>,
    /// A member's alliances, join requests and the centers it may ask to join.
    member: Option<crate::domain::views::member_home::MemberHome>,
    #[serde(flatten)]
    rules: RulesInForce,
}

/// A review that waits on the caller, worded.
#[derive(Serialize)]
struct ReviewWaiting {
    #[serde(flatten)]
    item: crate::domain::dashboard::Waiting,
    what_label: String,
    days_waiting: i64,
}

/// What waits on a decider (cnipa, a local office) among the centers' reviews.
async fn reviews_waiting(
    state: &AppState,
    user: &CurrentUser,
    lang: Lang,
) -> Result<Vec<ReviewWaiting>, AppError> {
    use crate::domain::dashboard;
    if !matches!(user.role, Role::Cnipa | Role::LocalOffice) {
        return Ok(Vec::new());
    }
    let scope = dashboard::scope_of(user)?;
    let snapshot = dashboard::snapshot(&state.services(), &state.dashboards, &scope).await?;
    Ok(dashboard::waiting_on(&snapshot, user)
        .into_iter()
        .map(|item| ReviewWaiting {
            what_label: state
                .templates
                .label(lang, &format!("waiting_{}", item.what))
                .to_string(),
            days_waiting: (snapshot.today - item.since).num_days(),
            item,
        })
        .collect())
}

/// The applications whose next step is the caller's, or an expert's assignments.
async fn what_waits(
    state: &AppState,
    user: &CurrentUser,
) -> Result<
    (
        Vec<crate::domain::accreditation::ApplicationView>,
        Vec<ExpertTask>,
    ),
    AppError,
> {
    Ok(match user.role {
        Role::Expert => (Vec::new(), expert_tasks(&state.db, user.id).await?),
        _ => (
            waiting_on(&state.db, user, state.clock.now()).await?,
            Vec::new(),
        ),
    })
}

/// An organization's name with its code in brackets, punctuated for the page's language.
fn named(state: &AppState, req: &HttpRequest, name: &str, code: &str) -> String {
    let t = |key: &str| {
        state
            .templates
            .label(Lang::of_request(req), key)
            .to_string()
    };
    format!("{name}{}{code}{}", t("p_open"), t("p_close"))
}

#[get("/home")]
async fn home(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    let me = users::me(&state.db, user.id).await?;
    let member = match (user.role, user.organization_id) {
        (Role::Member, Some(org)) => Some(member_home(&state.db, org).await?),
        _ => None,
    };
    let (waiting, tasks) = what_waits(&state, &user).await?;
    let links =
        crate::domain::users::links::pending_for(&state.db, &user, state.clock.today()).await?;
    let page = HomePage {
        links,
        my_link: me.organization_link,
        member,
        waiting,
        tasks,
        reviews: reviews_waiting(&state, &user, Lang::of_request(&req)).await?,
        role: user.role.as_str(),
        duties_key: format!("home_duties_{}", user.role.as_str()),
        is_admin: user.role == Role::Admin,
        organization: me
            .organization
            .map(|o| named(&state, &req, &o.name, &o.uscc)),
        rules: rules_in_force(&state, Lang::of_request(&req)).await?,
    };
    render(
        &state,
        &req,
        Some(&user),
        "home",
        "home_title",
        StatusCode::OK,
        page,
    )
    .await
}

/// `/api/docs` (without its slash) is the API document too.
#[get("/api/docs")]
async fn api_docs() -> HttpResponse {
    HttpResponse::MovedPermanently()
        .insert_header(("Location", "/api/docs/"))
        .finish()
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes =
    &[("GET", "/"), ("GET", "/home"), ("GET", "/api/docs")];

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(index).service(home).service(api_docs);
}
