//! A page's form read into its typed struct: the CSRF token checked first (403), the fields kept
//! as sent for the page a refused form comes back to, and a value the struct does not allow
//! named by its field (422, shown on that page like any other refusal).

use std::{collections::BTreeMap, future::Future, pin::Pin};

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
use serde::de::DeserializeOwned;

use super::extract::{FORM_LIMIT, body_too_large, unreadable_body};
use crate::{auth::csrf, error::AppError, i18n::Msg, json::parse_form};

/// A form as its struct `T` (or the field it could not be read into) and as it was sent.
pub struct PageForm<T> {
    /// The form as `T`, or the 422 naming the field that does not fit.
    pub input: Result<T, AppError>,
    /// The fields as sent.
    pub sent: Sent,
}

/// A form with no fields but its CSRF token (a button).
#[derive(serde::Deserialize)]
pub struct Blank {}

/// The fields of a form as they were sent, repeated names kept.
#[derive(Debug, Default, Clone)]
pub struct Sent(Vec<(String, String)>);

impl Sent {
    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// The values of `names` (the first of each, "" when not sent), for the form shown again.
    pub fn values<'a>(&self, names: impl IntoIterator<Item = &'a str>) -> BTreeMap<String, String> {
        names
            .into_iter()
            .map(|n| (n.to_string(), self.get(n).to_string()))
            .collect()
    }
}

impl Sent {
    /// Every field sent but the CSRF token (the first value of each), for the form shown again.
    pub fn all(&self) -> BTreeMap<String, String> {
        let mut all = BTreeMap::new();
        for (name, value) in self.0.iter().filter(|(n, _)| n != csrf::CSRF_FIELD) {
            all.entry(name.clone()).or_insert_with(|| value.clone());
        }
        all
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for PageForm<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = web::Bytes::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let bytes = body.await.map_err(|e| unreadable_body(&e, FORM_LIMIT))?;
            let is_form = req
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
            if !is_form {
                return Err(AppError::BadRequest(Msg::new(
                    "表单应以 application/x-www-form-urlencoded 提交",
                    "the form must be sent as application/x-www-form-urlencoded",
                )));
            }
            if bytes.len() > FORM_LIMIT {
                return Err(body_too_large(FORM_LIMIT));
            }
            let sent = Sent(form_urlencoded::parse(&bytes).into_owned().collect());
            csrf::verify(&req, sent.get(csrf::CSRF_FIELD))?;
            Ok(PageForm {
                input: parse_form(&bytes),
                sent,
            })
        })
    }
}
