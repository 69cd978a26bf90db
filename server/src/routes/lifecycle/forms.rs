//! The forms of a center's reviews page: the decider's decision, the staff's withdrawal request
//! (and its cancellation) and rectification report. Each calls the same domain function as its
//! API route; a refused form comes back on the page with its errors and input (422).

use actix_web::{HttpRequest, HttpResponse, post, web};
use serde::Deserialize;

use super::pages::lifecycle_page;
use crate::db::write;
use crate::web::{
    form::Kept,
    page::see_other,
    page_form::{Blank, PageForm, Sent},
};
use crate::{
    auth::CurrentUser,
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
};

/// Where a form of the reviews page lands: the page, with the form's errors and input (422) when
/// it was refused.
async fn answered(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    (id, sent): (i32, &Sent),
    outcome: Result<&str, AppError>,
) -> Result<HttpResponse, AppError> {
    match outcome {
        Ok(notice) => Ok(see_other(&format!("/centers/{id}/reports?notice={notice}"))),
        Err(AppError::Validation(errors)) => {
            let kept = Kept::new(&errors, sent.all(), Lang::of_request(req));
            lifecycle_page(state, req, user, id, kept).await
        }
        Err(other) => Err(other),
    }
}

/// The decider's form: the kind of decision and the fields it takes.
#[derive(Deserialize, Default)]
#[serde(default)]
struct DecisionForm {
    kind: String,
    year: Option<i32>,
    result: String,
    reason: String,
    new_due_date: String,
    accepted: Option<bool>,
}

impl DecisionForm {
    /// The decision the form describes, read as the API reads its body (so its errors name the
    /// same fields).
    fn input(self) -> Result<DecisionInput, AppError> {
        let mut body = serde_json::Map::new();
        body.insert("kind".into(), self.kind.trim().into());
        for (name, value) in [
            ("result", self.result),
            ("reason", self.reason),
            ("new_due_date", self.new_due_date),
        ] {
            if !value.trim().is_empty() {
                body.insert(name.into(), value.trim().into());
            }
        }
        if let Some(year) = self.year {
            body.insert("year".into(), year.into());
        }
        if let Some(accepted) = self.accepted {
            body.insert("accepted".into(), accepted.into());
        }
        parse_json(serde_json::Value::Object(body).to_string().as_bytes())
    }
}

/// Records a decision on the center.
#[post("/centers/{id}/reviews/decide")]
async fn decide(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let outcome = async {
        let center = access::readable_center(&state.db, &user, id).await?;
        let input = form.input.and_then(DecisionForm::input)?;
        let services = state.services();
        write(&state.db, async |txn| {
            decisions::record(txn, &services, &user, &center, &input).await
        })
        .await
    };
    let outcome = outcome.await.map(drop);
    answered(
        &state,
        &req,
        &user,
        (id, &form.sent),
        outcome.map(|_| "decided"),
    )
    .await
}

/// A form with a reason.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ReasonForm {
    reason: String,
}

/// The center's staff asks that it withdraw.
#[post("/centers/{id}/reviews/withdraw")]
async fn withdraw(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<ReasonForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let outcome = async {
        let center = access::writable_center(&state.db, &user, id).await?;
        let input = WithdrawalInput {
            reason: form.input?.reason,
        };
        withdrawal::request(&state.services(), &user, &center, &input).await
    };
    let outcome = outcome.await.map(drop);
    answered(
        &state,
        &req,
        &user,
        (id, &form.sent),
        outcome.map(|_| "withdrawal_requested"),
    )
    .await
}

/// The center's staff takes its withdrawal request back.
#[post("/centers/{id}/reviews/cancel-withdrawal")]
async fn cancel_withdrawal(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<Blank>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let outcome = async {
        let center = access::writable_center(&state.db, &user, id).await?;
        withdrawal::cancel(&state.services(), &user, &center).await
    };
    let outcome = outcome.await.map(drop);
    answered(
        &state,
        &req,
        &user,
        (id, &form.sent),
        outcome.map(|_| "withdrawal_cancelled"),
    )
    .await
}

/// The rectification report form.
#[derive(Deserialize, Default)]
#[serde(default)]
struct RectificationForm {
    report: String,
}

/// The center's staff files its rectification report.
#[post("/centers/{id}/reviews/rectify")]
async fn rectify(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: CurrentUser,
    id: web::Path<i32>,
    form: PageForm<RectificationForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let outcome = async {
        let center = access::writable_center(&state.db, &user, id).await?;
        let input = RectificationInput {
            report: form.input?.report,
        };
        let (today, now) = (state.clock.today(), state.clock.now());
        rectification::file(&state.db, &user, &center, &input, today, now).await
    };
    let outcome = outcome.await.map(drop);
    answered(
        &state,
        &req,
        &user,
        (id, &form.sent),
        outcome.map(|_| "rectification_sent"),
    )
    .await
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[
    ("POST", "/centers/{id}/reviews/decide"),
    ("POST", "/centers/{id}/reviews/withdraw"),
    ("POST", "/centers/{id}/reviews/cancel-withdrawal"),
    ("POST", "/centers/{id}/reviews/rectify"),
];

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(decide)
        .service(withdraw)
        .service(cancel_withdrawal)
        .service(rectify);
}
