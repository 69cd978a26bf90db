//! The review on a report's page as shown: the decider's assignment form and the experts'
//! declarations and scores, the assigned expert's scoring form; and an assigned expert's
//! declaration form (before anything else).

use actix_web::{HttpRequest, HttpResponse, http::StatusCode};
use entities::centers;
use serde::Serialize;

use crate::i18n::Lang;

use crate::web::form::{ExpertChoice, Kept, Row, RubricItem};
use crate::web::page::render;
use crate::{
    auth::CurrentUser, domain::reports::page::ReviewModel, error::AppError, state::AppState,
};

/// The review part of a report's page, by role.
#[derive(Serialize, Default)]
pub struct ReviewPart {
    can_assign: bool,
    experts: Vec<ExpertChoice>,
    assignments: Vec<Row>,
    can_score: bool,
    rubric: Vec<RubricItem>,
}

/// The review part as shown, with a refused scoring form's values and errors from `kept`;
/// `label` reads the catalog.
pub fn review_part(
    review: ReviewModel,
    kept: &Kept,
    (lang, label): (Lang, impl Fn(&str) -> String),
) -> ReviewPart {
    let assignment = |a: crate::domain::review::AssignmentView| Row {
        cells: vec![
            match a.expert_name.is_empty() {
                true => a.expert_email,
                false => format!("{} · {}", a.expert_name, a.expert_email),
            },
            label(&format!("conflict_{}", a.conflict_status)),
            a.total.map(|t| t.to_string()).unwrap_or_default(),
            a.comment.unwrap_or_default(),
        ],
        href: None,
    };
    let item = |line: crate::domain::review::RubricLine| {
        let typed = kept.values.get(&format!("score_{}", line.key)).cloned();
        let error = (kept.errors.get(&format!("items.{}", line.key)).cloned()).unwrap_or_default();
        RubricItem::of(line, (typed, error), &label)
    };
    let active = review.assignments.iter().filter(|a| a.active);
    let assigned: Vec<i32> = active.map(|a| a.expert_id).collect();
    let expert = |c| ExpertChoice::of(c, lang, &assigned);
    ReviewPart {
        can_assign: review.can_assign,
        experts: review.experts.into_iter().map(expert).collect(),
        assignments: review.assignments.into_iter().map(assignment).collect(),
        can_score: review.can_score,
        rubric: review.rubric.into_iter().map(item).collect(),
    }
}

#[derive(Serialize)]
struct DeclarePage {
    center_id: i32,
    center_name: String,
    year: i32,
    kept: Kept,
}

/// The declaration form of an assigned expert, before anything of the report is shown.
pub async fn declare_page(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    center: centers::Model,
    year: i32,
    kept: Kept,
) -> Result<HttpResponse, AppError> {
    let status = match kept.has_errors {
        true => StatusCode::UNPROCESSABLE_ENTITY,
        false => StatusCode::OK,
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
    .await
}
