//! The forms of a center's reviews page: decisions, rectification and withdrawal.

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, post, web};

use super::pages::lifecycle_page;
use crate::web::form::Kept;
use crate::web::page::see_other;
use crate::{
    auth::{CurrentUser, csrf},
    domain::{
        access,
        lifecycle::decisions::{self, DecisionInput},
        lifecycle::rectification::{self, RectificationInput},
        lifecycle::withdrawal::{self, WithdrawalInput},
    },
    error::AppError,
    i18n::Lang,
    json::parse_json,
    state::AppState,
    web::extract::FormFields,
};

/// The form's fields as sent (for a refused form to show them again).
fn values(form: &FormFields, names: &[&str]) -> BTreeMap<String, String> {
    names
        .iter()
        .map(|n| (n.to_string(), form.get(n).to_string()))
        .collect()
}

/// A decision from the decider's form: the fields that were filled in, as the API's body.
fn decision_of(form: &FormFields) -> Result<DecisionInput, AppError> {
    let mut body = serde_json::Map::new();
    for name in ["kind", "result", "reason", "new_due_date"] {
        let value = form.get(name).trim();
        if !value.is_empty() || name == "kind" {
            body.insert(name.to_string(), value.into());
        }
    }
    if let Ok(year) = form.get("year").trim().parse::<i32>() {
        body.insert("year".into(), year.into());
    }
    match form.get("accepted") {
        "true" => body.insert("accepted".into(), true.into()),
        "false" => body.insert("accepted".into(), false.into()),
        _ => None,
    };
    parse_json(serde_json::Value::Object(body).to_string().as_bytes())
}

/// One form of the reviews page: `decide`, `withdraw`, `cancel-withdrawal`, `rectify`.
#[post("/centers/{id}/reviews/{action}")]
async fn lifecycle_action(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(i32, String)>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&req, form.get(csrf::CSRF_FIELD))?;
    let (id, action) = path.into_inner();
    let services = state.services();
    let outcome = match action.as_str() {
        "decide" => {
            let center = access::readable_center(&state.db, &user, id).await?;
            match decision_of(&form) {
                Ok(input) => decisions::record(&services, &user, &center, &input)
                    .await
                    .map(|_| ()),
                Err(e) => Err(e),
            }
        }
        "withdraw" => {
            let center = access::writable_center(&state.db, &user, id).await?;
            let input = WithdrawalInput {
                reason: form.get("reason").to_string(),
            };
            withdrawal::request(&services, &user, &center, &input)
                .await
                .map(|_| ())
        }
        "cancel-withdrawal" => {
            let center = access::writable_center(&state.db, &user, id).await?;
            withdrawal::cancel(&services, &user, &center)
                .await
                .map(|_| ())
        }
        "rectify" => {
            let center = access::writable_center(&state.db, &user, id).await?;
            let input = RectificationInput {
                report: form.get("report").to_string(),
            };
            rectification::file(
                &state.db,
                &user,
                &center,
                &input,
                services.today,
                services.now,
            )
            .await
            .map(|_| ())
        }
        _ => return Err(AppError::NotFound),
    };
    match outcome {
        Ok(()) => Ok(see_other(&format!("/centers/{id}/reports"))),
        Err(AppError::Validation(errors)) => {
            let center = access::readable_center(&state.db, &user, id).await?;
            let kept = Kept::new(
                &errors,
                values(
                    &form,
                    &[
                        "kind",
                        "year",
                        "result",
                        "reason",
                        "new_due_date",
                        "accepted",
                        "report",
                    ],
                ),
                Lang::of_request(&req),
            );
            lifecycle_page(&state, &req, &user, center, kept).await
        }
        Err(other) => Err(other),
    }
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(lifecycle_action);
}
