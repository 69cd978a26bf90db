//! The forms of the application page: each workflow step, and attachments.

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use entities::applications;
use sea_orm::EntityTrait;

use super::pages::detail_page;
use crate::web::page::see_other;
use crate::{
    auth::{CurrentUser, csrf},
    domain::{
        access,
        accreditation::{
            self as workflow, AREAS, ApplicationInput, DecideInput, Outcome, ReasonInput,
            Resolution, ResolveInput,
        },
        review::{AssignInput, ConflictInput, ScoresInput},
        users::Role,
    },
    error::{AppError, FieldErrors},
    state::AppState,
    web::extract::FormFields,
};

/// The text of the form: each area's narrative and the areas with nothing to report.
fn narratives_of(form: &FormFields) -> ApplicationInput {
    let nothing = form.get_all("nothing_to_report");
    ApplicationInput {
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
    }
}

/// Uploads an attachment from the application page.
#[post("/applications/{id}/attachments")]
pub(super) async fn upload_attachment(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    multipart: actix_multipart::Multipart,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let limit = state.settings.attachment_max_mb << 20;
    let (name, bytes, fields) = crate::web::upload::read_form(multipart, limit).await?;
    csrf::verify(
        &req,
        fields
            .get(csrf::CSRF_FIELD)
            .map(String::as_str)
            .unwrap_or(""),
    )?;
    let (application, center) = workflow::readable(&state.db, &user, id).await?;
    access::writable_center(&state.db, &user, center.id).await?;
    let max = state.settings.attachment_max_mb << 20;
    match workflow::attachments::attach(
        &state.db,
        &state.settings.data_dir,
        &user,
        &application,
        workflow::attachments::Upload {
            file_name: &name,
            bytes: &bytes,
        },
        max,
        state.clock.now(),
    )
    .await
    {
        Ok(_) => Ok(see_other(&format!("/applications/{id}"))),
        Err(AppError::Validation(errors)) => {
            detail_page(&state, &req, &user, id, Some(&errors)).await
        }
        Err(other) => Err(other),
    }
}

/// Downloads an attachment from the application page.
#[get("/applications/{id}/attachments/{attachment_id}")]
pub(super) async fn attachment_page(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
) -> Result<HttpResponse, AppError> {
    let (id, attachment_id) = path.into_inner();
    super::api::attachment_response(&state, &user, id, attachment_id).await
}

/// One form of the application page; `action` names the step.
#[post("/applications/{id}/{action}")]
pub(super) async fn application_action(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    path: web::Path<(i32, String)>,
    form: FormFields,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&req, form.get(csrf::CSRF_FIELD))?;
    let (id, action) = path.into_inner();
    let outcome = act(&state, &user, id, &action, &form).await;
    match outcome {
        Ok(()) => Ok(see_other(&format!("/applications/{id}"))),
        Err(AppError::Validation(errors)) => {
            detail_page(&state, &req, &user, id, Some(&errors)).await
        }
        Err(other) => Err(other),
    }
}

/// Runs step `action` of application `id` with the form's fields.
async fn act(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
    action: &str,
    form: &FormFields,
) -> Result<(), AppError> {
    let services = state.services();
    let reason = || ReasonInput {
        reason: form.get("reason").to_string(),
    };
    if action == "conflict" {
        user.require(&[Role::Expert])?;
        let application = applications::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .ok_or(AppError::NotFound)?;
        let input = ConflictInput {
            declared_conflict: form.get("declared_conflict") == "true",
            note: Some(form.get("note").to_string()),
        };
        workflow::declare_conflict(&services, user, application, &input).await?;
        return Ok(());
    }
    let (application, center) = workflow::readable(&state.db, user, id).await?;
    match action {
        "save" | "submit" => {
            access::writable_center(&state.db, user, center.id).await?;
            let saved = workflow::save_draft(
                &state.db,
                user,
                application,
                narratives_of(form),
                services.now,
            )
            .await?;
            if action == "submit" {
                workflow::submit(&services, user, saved, &center).await?;
            }
        }
        "recommend" | "return" => {
            workflow::recommend_or_return(
                &services,
                user,
                application,
                &center,
                &reason(),
                action == "recommend",
            )
            .await?;
        }
        "assign" => {
            let expert_ids = form
                .get("expert_ids")
                .split([',', '，', ' ', ';'])
                .filter(|s| !s.trim().is_empty())
                .map(|s| s.trim().parse::<i32>().unwrap_or(-1))
                .collect();
            workflow::assign(
                &services,
                user,
                application,
                &center,
                &AssignInput { expert_ids },
            )
            .await?;
        }
        "scores" => {
            let rules = state
                .rulebook
                .in_force_on(&state.db, services.today)
                .await?
                .rules;
            let mut items = BTreeMap::new();
            let mut errors = FieldErrors::default();
            for key in rules.rubric.keys() {
                match form.get(&format!("score_{key}")).trim().parse::<i64>() {
                    Ok(n) => {
                        items.insert(key.clone(), n);
                    }
                    Err(_) => errors.add(
                        format!("items.{key}"),
                        crate::i18n::Msg::new("请填写整数分", "enter a whole number"),
                    ),
                }
            }
            errors.into_result(())?;
            let input = ScoresInput {
                items,
                comment: Some(form.get("comment").to_string()),
            };
            workflow::score(&services, user, application, &center, &input).await?;
        }
        "decide" => {
            let outcome = match form.get("outcome") {
                "accredited" => Outcome::Accredited,
                "rejected" => Outcome::Rejected,
                _ => {
                    return Err(AppError::field(
                        "outcome",
                        crate::i18n::Msg::new("请选择结论", "choose an outcome"),
                    ));
                }
            };
            workflow::decide(
                &services,
                user,
                application,
                &center,
                &DecideInput {
                    outcome,
                    reason: form.get("reason").to_string(),
                },
            )
            .await?;
        }
        "objection" => {
            workflow::object(&services, user, application, &center, &reason()).await?;
        }
        "resolve" => {
            let outcome = if form.get("outcome") == "revoke" {
                Resolution::Revoke
            } else {
                Resolution::Confirm
            };
            workflow::resolve_objection(
                &services,
                user,
                application,
                &center,
                &ResolveInput {
                    outcome,
                    reason: form.get("reason").to_string(),
                },
            )
            .await?;
        }
        _ => return Err(AppError::NotFound),
    }
    Ok(())
}
