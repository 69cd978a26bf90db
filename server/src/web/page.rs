//! The page frame every HTML route shares: the layout, rendering, redirects after forms, and
//! error pages (a page of its own for a service that is temporarily unavailable).

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, http::StatusCode, web};
use serde::Serialize;

use crate::{
    auth::{CurrentUser, csrf},
    domain::users::Role,
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
}

/// What every page's layout reads.
#[derive(Serialize)]
pub struct Layout<'a> {
    pub lang: &'static str,
    pub switch_lang: &'static str,
    pub t: &'a HashMap<String, String>,
    pub user: Option<Badge>,
    pub csrf: String,
    pub title: String,
    /// The confirmation of the write that led here (`?notice=<name>`, a catalog label
    /// `notice_<name>`; any other name shows nothing).
    pub notice: Option<String>,
}

#[derive(Serialize)]
struct Page<'a, T: Serialize> {
    #[serde(flatten)]
    layout: Layout<'a>,
    page: T,
}

/// The layout for `req` in its language.
pub fn layout<'a>(
    state: &'a AppState,
    req: &HttpRequest,
    user: Option<&CurrentUser>,
    title_key: &str,
) -> Layout<'a> {
    let lang = Lang::of_request(req);
    let templates = &state.templates;
    Layout {
        lang: lang.tag(),
        switch_lang: if lang == Lang::Zh { "en" } else { "zh" },
        t: templates.labels(lang),
        user: user.map(|u| Badge {
            email: u.email.clone(),
            role: u.role.as_str(),
            role_label: templates
                .label(lang, &format!("role_{}", u.role.as_str()))
                .to_string(),
            is_admin: u.role == Role::Admin,
        }),
        csrf: csrf::token_for(req),
        title: templates.label(lang, title_key).to_string(),
        notice: notice(state, req, lang),
    }
}

/// The label of `?notice=` when the catalog has it.
fn notice(state: &AppState, req: &HttpRequest, lang: Lang) -> Option<String> {
    let name = web::Query::<HashMap<String, String>>::from_query(req.query_string())
        .ok()?
        .into_inner()
        .remove("notice")?;
    let key = format!("notice_{name}");
    let label = state.templates.label(lang, &key);
    (label != key).then(|| label.to_string())
}

/// Renders `template` inside the layout with `status`.
pub fn render(
    state: &AppState,
    req: &HttpRequest,
    user: Option<&CurrentUser>,
    template: &str,
    title_key: &str,
    status: StatusCode,
    page: impl Serialize,
) -> Result<HttpResponse, AppError> {
    let body = state.templates.render(
        template,
        &Page {
            layout: layout(state, req, user, title_key),
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

#[derive(Serialize)]
struct ErrorPage {
    status: u16,
    message: String,
    fields: Vec<String>,
    /// For a service that is temporarily unavailable: seconds to wait, and the page to reload.
    retry_after: Option<u64>,
    reload: Option<String>,
}

/// An error as a page; a page that needs a login sends the visitor to the login form instead.
/// `reload` is the address to try again (the page asked for, when it was a read); a service that
/// is temporarily unavailable gets a page of its own saying so.
pub fn error_page(
    state: Option<&AppState>,
    err: &AppError,
    lang: Lang,
    path: &str,
    reload: Option<&str>,
) -> HttpResponse {
    use actix_web::ResponseError;
    if let AppError::Unauthorized(_) = err {
        let next: String = url_escape(path);
        return see_other(&format!("/login?next={next}"));
    }
    let status = err.status_code();
    let page = ErrorPage {
        status: status.as_u16(),
        message: err.message().text(lang).to_string(),
        fields: match err {
            AppError::Validation(fields) => fields
                .in_lang(lang)
                .into_iter()
                .map(|(k, v)| format!("{k}: {}", v.join("; ")))
                .collect(),
            _ => Vec::new(),
        },
        retry_after: err.retry_after_secs(),
        reload: reload.map(str::to_string),
    };
    let (template, title) = match err {
        AppError::Unavailable(_) => ("errors/unavailable", "unavailable_title"),
        _ => ("errors/error", "error_title"),
    };
    let rendered = state.and_then(|state| {
        let templates = &state.templates;
        let data = Page {
            layout: Layout {
                lang: lang.tag(),
                switch_lang: if lang == Lang::Zh { "en" } else { "zh" },
                t: templates.labels(lang),
                user: None,
                csrf: String::new(),
                title: templates.label(lang, title).to_string(),
                notice: None,
            },
            page,
        };
        templates.render(template, &data).ok()
    });
    let mut builder = HttpResponse::build(status);
    if let Some(seconds) = err.retry_after_secs() {
        builder.insert_header(("Retry-After", seconds.to_string()));
    }
    match rendered {
        Some(body) => builder.content_type("text/html; charset=utf-8").body(body),
        None => builder
            .content_type("text/plain; charset=utf-8")
            .body(err.message().text(lang).to_string()),
    }
}

/// Percent-encodes a path for a query parameter.
fn url_escape(path: &str) -> String {
    path.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
