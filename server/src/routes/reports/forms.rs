//! The forms of a center's cycle pages — report draft and submission, return, decisions,
//! rectification, withdrawal — and the records page behind a figure. Each form calls the same
//! domain function as its API route; a refused form comes back with its errors and input (422).

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, post, web};
use entities::centers;
use sea_orm::EntityTrait;

use super::{
    pages::report_page,
    review::{declare_page, undeclared},
};
use crate::web::form::Kept;
use crate::web::page::see_other;
use crate::{
    auth::{CurrentUser, csrf},
    domain::{
        access,
        narratives::AREAS,
        narratives::NarrativeInput,
        reports::{self, ReturnInput},
        review::{AssignInput, ConflictInput, ScoresInput},
        users::Role,
    },
    error::AppError,
    i18n::Lang,
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

/// One form of a report's page: `save`, `submit`, `return`, `assign`; an expert's `conflict`
/// and `scores`.
#[post("/centers/{id}/reports/{year}/{action}")]
async fn report_action(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(i32, i32, String)>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&req, form.get(csrf::CSRF_FIELD))?;
    let (id, year, action) = path.into_inner();
    let services = state.services();
    let outcome = match action.as_str() {
        "save" | "submit" => {
            let center = access::writable_center(&state.db, &user, id).await?;
            let nothing = form.get_all("nothing_to_report");
            let input = NarrativeInput {
                narratives: AREAS
                    .iter()
                    .map(|a| {
                        (
                            a.to_string(),
                            form.get(&format!("narrative_{a}")).trim().to_string(),
                        )
                    })
                    .filter(|(a, t)| !t.is_empty() && !nothing.contains(a))
                    .collect(),
                nothing_to_report: nothing,
                version: form.get("version").parse().ok(),
            };
            let saved = reports::save(&state.db, &user, &center, year, input, services.now).await;
            match (saved, action.as_str()) {
                (Ok(_), "submit") => reports::submit(&services, &user, &center, year)
                    .await
                    .map(|_| ()),
                (saved, _) => saved.map(|_| ()),
            }
        }
        "assign" => {
            let center = access::readable_center(&state.db, &user, id).await?;
            let input = AssignInput {
                expert_ids: form
                    .get_all("expert_ids")
                    .iter()
                    .filter_map(|e| e.parse().ok())
                    .collect(),
            };
            reports::review::assign(&services, &user, &center, year, &input).await
        }
        "conflict" => {
            user.require(&[Role::Expert])?;
            let center = centers::Entity::find_by_id(id)
                .one(&state.db)
                .await?
                .ok_or(AppError::NotFound)?;
            let input = ConflictInput {
                declared_conflict: form.get("declared_conflict") == "true",
                note: Some(form.get("note").to_string()).filter(|n| !n.trim().is_empty()),
            };
            reports::review::declare(&services, &user, &center, year, &input)
                .await
                .map(|_| ())
        }
        "scores" => {
            user.require(&[Role::Expert])?;
            let center = access::readable_center(&state.db, &user, id).await?;
            let rules = state
                .rulebook
                .in_force_on(&state.db, services.today)
                .await?
                .rules;
            let mut errors = crate::error::FieldErrors::default();
            let mut items = BTreeMap::new();
            for key in rules.annual_rubric().keys() {
                match form.get(&format!("score_{key}")).trim().parse::<i64>() {
                    Ok(n) => {
                        items.insert(key.clone(), n);
                    }
                    Err(_) => errors.add(
                        format!("items.{key}"),
                        crate::i18n::Msg::new("请填写整数分值", "a whole number is required"),
                    ),
                }
            }
            let input = ScoresInput {
                items,
                comment: Some(form.get("comment").to_string()),
            };
            match errors.into_result(()) {
                Ok(()) => reports::review::score(&services, &user, &center, year, &input).await,
                Err(e) => Err(e),
            }
        }
        "return" => {
            let center = access::readable_center(&state.db, &user, id).await?;
            let input = ReturnInput {
                reason: form.get("reason").to_string(),
                correction_days: form.get("correction_days").trim().parse().ok(),
            };
            reports::return_report(&services, &user, &center, year, &input)
                .await
                .map(|_| ())
        }
        _ => return Err(AppError::NotFound),
    };
    match outcome {
        Ok(()) => Ok(see_other(&format!("/centers/{id}/reports/{year}"))),
        Err(AppError::Validation(errors)) => {
            let mut names: Vec<String> = AREAS.iter().map(|a| format!("narrative_{a}")).collect();
            names.extend(["reason", "correction_days", "note", "comment"].map(String::from));
            let rules = state
                .rulebook
                .in_force_on(&state.db, services.today)
                .await?
                .rules;
            names.extend(rules.annual_rubric().keys().map(|k| format!("score_{k}")));
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let kept = Kept::new(&errors, values(&form, &names), Lang::of_request(&req));
            if let Some(center) = undeclared(&state, &user, id, year).await? {
                return declare_page(&state, &req, &user, center, year, kept);
            }
            let center = access::readable_center(&state.db, &user, id).await?;
            report_page(&state, &req, &user, center, year, kept).await
        }
        Err(other) => Err(other),
    }
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(report_action);
}
