//! The page frame every HTML route shares: the layout (header, language switch, confirmation),
//! rendering and redirects after forms.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use serde::Serialize;

use crate::{
    auth::{CurrentUser, csrf},
    domain::{
        users::Role,
        views::waiting::{Waiting, waiting},
    },
    error::AppError,
    i18n::Lang,
    state::AppState,
};

/// One option of a `<select>`.
#[derive(Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// Who is logged in, as the page header shows it.
#[derive(Serialize)]
pub struct Badge {
    pub email: String,
    pub role: &'static str,
    pub role_label: String,
    pub is_admin: bool,
    /// The role's menu, with the counts of what waits.
    pub menu: Vec<super::menu::MenuItem>,
}

/// What every page's layout reads.
#[derive(Serialize)]
pub struct Layout<'a> {
    pub lang: &'static str,
    pub switch_lang: &'static str,
    /// This page in the other language: the same path and query (a page answering a form: the
    /// page the form was on).
    pub switch_href: String,
    pub t: &'a HashMap<String, String>,
    pub user: Option<Badge>,
    pub csrf: String,
    pub title: String,
    /// The confirmation of the write that led here (`?notice=<name>`, a catalog label
    /// `notice_<name>`; any other name shows nothing).
    pub notice: Option<String>,
}

#[derive(Serialize)]
pub(super) struct Page<'a, T: Serialize> {
    #[serde(flatten)]
    pub(super) layout: Layout<'a>,
    pub(super) page: T,
}

/// The layout for `req` in its language.
pub fn layout<'a>(
    state: &'a AppState,
    req: &HttpRequest,
    user: Option<(&CurrentUser, Option<Waiting>)>,
    title_key: &str,
) -> Layout<'a> {
    let lang = Lang::of_request(req);
    let templates = &state.templates;
    Layout {
        lang: lang.tag(),
        switch_lang: if lang == Lang::Zh { "en" } else { "zh" },
        switch_href: switch_href(req, if lang == Lang::Zh { "en" } else { "zh" }),
        t: templates.labels(lang),
        user: user.map(|(u, waiting)| badge(state, lang, u, waiting, req.path())),
        csrf: csrf::token_for(req),
        title: templates.label(lang, title_key).to_string(),
        notice: notice(state, req, lang),
    }
}

/// The address of this page with `lang=<to>`: for a GET its own path and query; for the answer to
/// a form, the page the form was on (its same-site `Referer`), else the home page.
pub fn switch_href(req: &HttpRequest, to: &str) -> String {
    let (path, query) = if req.method() == actix_web::http::Method::GET {
        (req.path().to_string(), req.query_string().to_string())
    } else {
        match came_from(req) {
            Some(page) => {
                let (path, query) = page.split_once('?').unwrap_or((&page, ""));
                (path.to_string(), query.to_string())
            }
            None => ("/".to_string(), String::new()),
        }
    };
    with_lang(&path, &query, to)
}

/// Who is logged in, for the header.
pub(super) fn badge(
    state: &AppState,
    lang: Lang,
    user: &CurrentUser,
    waiting: Option<Waiting>,
    path: &str,
) -> Badge {
    Badge {
        email: user.email.clone(),
        role: user.role.as_str(),
        role_label: state
            .templates
            .label(lang, &format!("role_{}", user.role.as_str()))
            .to_string(),
        is_admin: user.role == Role::Admin,
        menu: super::menu::menu(state, lang, user.role, waiting, path),
    }
}

/// The path and query of the same-site page that sent `req` here (its `Referer`).
pub fn came_from(req: &HttpRequest) -> Option<String> {
    let host = req.connection_info().host().to_string();
    let referer = req.headers().get("referer").and_then(|v| v.to_str().ok())?;
    let (_, rest) = referer.split_once("://")?;
    rest.strip_prefix(host.as_str())
        .filter(|rest| rest.starts_with('/'))
        .map(str::to_string)
}

/// `path?query` with `lang=<to>` in place of any `lang` (and without a one-time `notice`).
pub(super) fn with_lang(path: &str, query: &str, to: &str) -> String {
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .filter(|pair| !pair.starts_with("lang=") && !pair.starts_with("notice="))
        .collect();
    let mut href = format!("{path}?");
    for pair in kept {
        href.push_str(pair);
        href.push('&');
    }
    href.push_str("lang=");
    href.push_str(to);
    href
}

/// The label of `?notice=` when the catalog has it, with the count of `?rows=` in it.
fn notice(state: &AppState, req: &HttpRequest, lang: Lang) -> Option<String> {
    let mut query = web::Query::<HashMap<String, String>>::from_query(req.query_string())
        .ok()?
        .into_inner();
    let key = format!("notice_{}", query.remove("notice")?);
    let label = state.templates.label(lang, &key);
    // a count the confirmation names (`rows=`): digits only
    let rows = query
        .remove("rows")
        .filter(|r| r.chars().all(|c| c.is_ascii_digit()));
    let label = label.replace("{rows}", rows.as_deref().unwrap_or("?"));
    (label != key).then_some(label)
}

/// Renders `template` inside the layout with `status`; the menu counts what waits on `user`.
pub async fn render(
    state: &AppState,
    req: &HttpRequest,
    user: Option<&CurrentUser>,
    template: &str,
    title_key: &str,
    status: StatusCode,
    page: impl Serialize,
) -> Result<HttpResponse, AppError> {
    let waiting = match user {
        Some(user) => Some(waiting(&state.services(), &state.dashboards, user).await?),
        None => None,
    };
    let body = state.templates.render(
        template,
        &Page {
            layout: layout(state, req, user.map(|u| (u, waiting)), title_key),
            page,
        },
    )?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}

/// A redirect after a form (303 See Other).
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header(("Location", location))
        .finish()
}
