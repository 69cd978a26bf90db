//! The review on a report's page: the decider's assignment form and the experts' declarations
//! and scores; an assigned expert's declaration form (before anything else) and scoring form.

use actix_web::{HttpRequest, HttpResponse, http::StatusCode};
use entities::centers;
use serde::Serialize;

use crate::web::form::{Kept, Row};
use crate::web::page::render;
use crate::{
    auth::CurrentUser,
    domain::{
        reports,
        review::{self, Subject},
        users::Role,
    },
    error::AppError,
    state::AppState,
};

/// One rubric item of the expert's scoring form.
#[derive(Serialize)]
struct RubricItem {
    key: String,
    weight: u32,
    value: String,
    error: String,
}

/// An expert the decider may assign.
#[derive(Serialize)]
struct ExpertChoice {
    id: i32,
    email: String,
}

/// The review part of a report's page, by role: the decider's assignment form and the experts'
/// declarations and scores; the assigned expert's scoring form.
#[derive(Serialize, Default)]
pub struct ReviewPart {
    can_assign: bool,
    experts: Vec<ExpertChoice>,
    assignments: Vec<Row>,
    can_score: bool,
    rubric: Vec<RubricItem>,
}

/// The review part of the report of `year` as `user` sees it.
pub async fn review_part(
    state: &AppState,
    user: &CurrentUser,
    center: &centers::Model,
    year: i32,
    submitted: bool,
    kept: &Kept,
) -> Result<ReviewPart, AppError> {
    let Some(report) = reports::stored_report(&state.db, center.id, year).await? else {
        return Ok(ReviewPart::default());
    };
    let subject = Subject::Report(report.id);
    let all = review::assignments(&state.db, subject).await?;
    let decides = crate::domain::jurisdiction::decides(user, center);
    let emails = review::expert_emails(&state.db, &all).await?;
    let assignments = if decides || user.role == Role::Expert {
        review::views(&all, &emails, decides, user.id)
            .into_iter()
            .filter(|a| a.active)
            .map(|a| Row {
                cells: vec![
                    a.expert_email,
                    a.conflict_status,
                    a.total.map(|t| t.to_string()).unwrap_or_default(),
                    a.comment.unwrap_or_default(),
                ],
                href: None,
            })
            .collect()
    } else {
        Vec::new()
    };
    let experts = if decides && submitted {
        crate::domain::users::experts(&state.db)
            .await?
            .into_iter()
            .map(|(id, email)| ExpertChoice { id, email })
            .collect()
    } else {
        Vec::new()
    };
    let mine = if user.role == Role::Expert {
        review::active_assignment(&state.db, subject, user.id).await?
    } else {
        None
    };
    let can_score = submitted
        && mine
            .as_ref()
            .is_some_and(|a| a.conflict_status == review::DECLARED_NONE);
    let given: std::collections::BTreeMap<String, i64> = mine
        .as_ref()
        .and_then(|a| a.scores.as_deref())
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default();
    let rules = state
        .rulebook
        .in_force_on(&state.db, state.clock.today())
        .await?
        .rules;
    let rubric = rules
        .annual_rubric()
        .iter()
        .map(|(key, weight)| RubricItem {
            value: kept
                .values
                .get(&format!("score_{key}"))
                .cloned()
                .or_else(|| given.get(key).map(i64::to_string))
                .unwrap_or_default(),
            error: kept
                .errors
                .get(&format!("items.{key}"))
                .cloned()
                .unwrap_or_default(),
            key: key.clone(),
            weight: *weight,
        })
        .collect();
    Ok(ReviewPart {
        can_assign: decides && submitted,
        experts,
        assignments,
        can_score,
        rubric,
    })
}

/// The center when `user` is an expert assigned to its report of `year` who has not declared
/// (no) conflict of interest yet.
pub async fn undeclared(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
    year: i32,
) -> Result<Option<centers::Model>, AppError> {
    use sea_orm::EntityTrait;
    if user.role != Role::Expert {
        return Ok(None);
    }
    let Some(report) = reports::stored_report(&state.db, id, year).await? else {
        return Ok(None);
    };
    let assignment =
        review::active_assignment(&state.db, Subject::Report(report.id), user.id).await?;
    if assignment.is_none_or(|a| a.conflict_status != review::NOT_ASKED) {
        return Ok(None);
    }
    Ok(centers::Entity::find_by_id(id).one(&state.db).await?)
}

#[derive(Serialize)]
struct DeclarePage {
    center_id: i32,
    center_name: String,
    year: i32,
    kept: Kept,
}

/// The declaration form of an assigned expert, before anything of the report is shown.
pub fn declare_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    center: centers::Model,
    year: i32,
    kept: Kept,
) -> Result<HttpResponse, AppError> {
    let status = if kept.has_errors {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let data = DeclarePage {
        center_id: center.id,
        center_name: center.name,
        year,
        kept,
    };
    render(
        state,
        req,
        Some(user),
        "reports/declare",
        "acc_declare_title",
        status,
        data,
    )
}
