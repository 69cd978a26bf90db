//! The forms of a center's cycle pages — report draft and submission, return, decisions,
//! rectification, withdrawal — and the records page behind a figure. Each form calls the same
//! domain function as its API route; a refused form comes back with its errors and input (422).

use std::collections::BTreeMap;

use actix_web::{HttpRequest, HttpResponse, get, http::StatusCode, post, web};
use chrono::Datelike;
use entities::centers;
use sea_orm::EntityTrait;
use serde::Serialize;

use super::{
    pages_report::report_page,
    pages_report_review::{declare_page, undeclared},
    pages_reports::{Kept, lifecycle_page},
};
use crate::web::page::{render, see_other};
use crate::{
    auth::{CurrentUser, csrf},
    domain::{
        access,
        accreditation::ApplicationInput,
        decisions::{self, DecisionInput},
        metrics::{
            self,
            records::{self, Figure, Span},
        },
        narratives::AREAS,
        rectification::{self, RectificationInput},
        reports::{self, ReturnInput},
        review::{AssignInput, ConflictInput, ScoresInput},
        users::Role,
        withdrawal::{self, WithdrawalInput},
    },
    error::AppError,
    i18n::Lang,
    json::{parse_json, parse_query},
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
            let input = ApplicationInput {
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

#[derive(Serialize)]
struct RecordsPage {
    center_id: i32,
    center_name: String,
    year: i32,
    as_of: String,
    figure_label: String,
    sum: String,
    count: usize,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

#[derive(serde::Deserialize)]
struct RecordsQuery {
    year: Option<i32>,
    figure: Figure,
}

/// The records behind one figure of a year, with their sum (readers of the center).
#[get("/centers/{id}/records")]
async fn records_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let center = access::readable_center(&state.db, &user, id.into_inner()).await?;
    let query: RecordsQuery = parse_query(req.query_string())?;
    let today = state.clock.today();
    let year = query.year.unwrap_or(today.year());
    let as_of = metrics::evaluation_date(year, today)?;
    let rules = state.rulebook.in_force_on(&state.db, as_of).await?.rules;
    let cycle = reports::cycle_of(&state.db, center.id, year).await?;
    let span = Span {
        center_id: center.id,
        year,
        as_of,
        cycle_start: cycle.map(|c| c.start_date),
        rules: &rules,
    };
    let listed = records::records(&state.db, &span, query.figure).await?;
    let lang = Lang::of_request(&req);
    let t = |key: &str| state.templates.label(lang, key).to_string();
    let figure = serde_json::to_value(query.figure)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let columns: &[(&str, &str)] = match query.figure {
        Figure::ProjectsCumulative => &[
            ("start_date", "field_start_date"),
            ("kind", "field_project_kind"),
            ("name", "field_project_name"),
            ("status", "field_project_status"),
        ],
        Figure::AllianceCountingMembers | Figure::AllianceMembers => &[
            ("name", "field_org_name"),
            ("uscc", "field_uscc"),
            ("kind", "field_kind"),
            ("joined_on", "field_joined_on"),
            ("left_on", "field_left_on"),
        ],
        Figure::TechSmesServed => &[("name", "field_org_name"), ("uscc", "field_uscc")],
        _ => &[
            ("contract_date", "field_contract_date"),
            ("kind", "field_deal_kind"),
            ("amount", "field_amount"),
            ("contract_no", "field_contract_no"),
            ("related_party", "field_related_party"),
        ],
    };
    let cell = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        serde_json::Value::Bool(b) => t(if *b { "yes" } else { "no" }),
        other => other.to_string(),
    };
    let data = RecordsPage {
        center_id: center.id,
        center_name: center.name,
        year,
        as_of: as_of.to_string(),
        figure_label: t(&format!("fig_{figure}")),
        sum: cell(&listed.sum),
        count: listed.count,
        headers: columns.iter().map(|(_, label)| t(label)).collect(),
        rows: listed
            .records
            .iter()
            .map(|r| columns.iter().map(|(key, _)| cell(&r[*key])).collect())
            .collect(),
    };
    render(
        &state,
        &req,
        Some(&user),
        "reports/records",
        "rec_title",
        StatusCode::OK,
        data,
    )
}

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(lifecycle_action)
        .service(report_action)
        .service(records_page);
}
