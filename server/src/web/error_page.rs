//! Errors as pages: in the person's language, with the menu of whoever is logged in, the fields
//! named by their labels, and a way back to where they were; a page that needs a login sends the
//! visitor to the login form, and a service that is temporarily unavailable gets a page of its own.

use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use super::page::{Layout, Page, badge, see_other, with_lang};
use crate::{auth::CurrentUser, error::AppError, i18n::Lang, state::AppState};

/// Where an error happened.
pub struct ErrorContext<'a> {
    /// The path asked for.
    pub path: &'a str,
    /// The address to try again (the page asked for, when it was a read).
    pub reload: Option<&'a str>,
    /// The same-site page the person came from.
    pub back: Option<String>,
    /// Who is logged in, when the request got that far.
    pub user: Option<&'a CurrentUser>,
    /// The page's CSRF token (the header's logout form).
    pub csrf: String,
}

#[derive(Serialize)]
struct ErrorPage {
    status: u16,
    message: String,
    fields: Vec<String>,
    /// For a service that is temporarily unavailable: seconds to wait, and the page to reload.
    retry_after: Option<u64>,
    reload: Option<String>,
    back: Option<String>,
    /// Where the person's work starts: their home, or the landing page.
    home: &'static str,
}

/// `err` as a page for the request `at`.
pub fn error_page(
    state: Option<&AppState>,
    err: &AppError,
    lang: Lang,
    at: ErrorContext<'_>,
) -> HttpResponse {
    if let AppError::Unauthorized(_) = err {
        let next: String = url_escape(at.path);
        return see_other(&format!("/login?next={next}"));
    }
    let status = err.status_code();
    let (template, title) = match err {
        AppError::Unavailable(_) => ("errors/unavailable", "unavailable_title"),
        _ => ("errors/error", "error_title"),
    };
    let rendered = state.and_then(|state| {
        let templates = &state.templates;
        let to = if lang == Lang::Zh { "en" } else { "zh" };
        let (path, query) = at
            .reload
            .map(|r| r.split_once('?').unwrap_or((r, "")))
            .unwrap_or(("/", ""));
        let page = ErrorPage {
            status: status.as_u16(),
            message: err.message().text(lang).to_string(),
            fields: fields(state, err, lang),
            retry_after: err.retry_after_secs(),
            reload: at.reload.map(str::to_string),
            back: at.back.clone().filter(|b| Some(b.as_str()) != at.reload),
            home: if at.user.is_some() { "/home" } else { "/" },
        };
        let data = Page {
            layout: Layout {
                lang: lang.tag(),
                switch_lang: to,
                switch_href: with_lang(path, query, to),
                t: templates.labels(lang),
                user: at.user.map(|u| badge(state, lang, u, None, path)),
                csrf: at.csrf.clone(),
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

/// Each refused field by its label (`field_<name>` of its last part), then its messages.
fn fields(state: &AppState, err: &AppError, lang: Lang) -> Vec<String> {
    let AppError::Validation(fields) = err else {
        return Vec::new();
    };
    fields
        .in_lang(lang)
        .into_iter()
        .map(|(name, messages)| {
            let last = name.rsplit('.').next().unwrap_or(&name);
            let last = last.split('[').next().unwrap_or(last);
            let key = format!("field_{last}");
            let label = state.templates.label(lang, &key);
            let label = if label == key { name.as_str() } else { label };
            let colon = if lang == Lang::Zh { "：" } else { ": " };
            format!("{label}{colon}{}", messages.join("; "))
        })
        .collect()
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
