//! The indicators of a center's year and its verdicts as the metrics route shows them, rendered
//! once and reused while the center, its host and its records are unchanged.

use std::{collections::BTreeMap, sync::Arc};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    auth::token::Claims,
    domain::{
        access,
        metrics::{FiguresKey, Metrics, evaluate, evaluation_date, stamp_of},
        services::Services,
    },
    error::AppError,
    i18n::Lang,
};

/// One criterion's verdict.
#[derive(Serialize, ToSchema)]
pub struct CriterionView {
    pub rule: &'static str,
    pub passed: bool,
    pub detail: String,
}

/// The indicators of a year and the verdict of each criterion.
#[derive(Serialize, ToSchema)]
pub struct MetricsView {
    pub center_id: i32,
    pub year: i32,
    pub as_of: NaiveDate,
    pub operation_amount: String,
    pub amount_by_kind: BTreeMap<&'static str, String>,
    pub related_party_amount: String,
    pub transaction_count: i64,
    pub projects_cumulative: i64,
    /// Start of the cycle from which projects are counted (none: ever).
    pub projects_counted_from: Option<NaiveDate>,
    pub alliance_counting_members: i64,
    pub alliance_members: i64,
    pub tech_smes_served: i64,
    pub events_by_kind: BTreeMap<String, i64>,
    pub criteria: Vec<CriterionView>,
    pub rulebook_version: i32,
}

impl MetricsView {
    /// The metrics of center `center_id`, its verdicts worded in `lang`.
    pub fn new(center_id: i32, m: Metrics, lang: Lang) -> MetricsView {
        let f = m.figures;
        MetricsView {
            center_id,
            year: m.year,
            as_of: m.as_of,
            operation_amount: f.operation_amount.to_string(),
            amount_by_kind: f
                .amount_by_kind
                .iter()
                .map(|(k, v)| (*k, v.to_string()))
                .collect(),
            related_party_amount: f.related_party_amount.to_string(),
            transaction_count: f.transaction_count,
            projects_cumulative: f.projects_cumulative,
            projects_counted_from: m.cycle_start,
            alliance_counting_members: f.alliance_counting_members,
            alliance_members: f.alliance_members,
            tech_smes_served: f.tech_smes_served,
            events_by_kind: f.events_by_kind,
            criteria: m
                .verdicts
                .into_iter()
                .map(|v| CriterionView {
                    rule: v.rule,
                    passed: v.passed,
                    detail: v.detail.text(lang).to_string(),
                })
                .collect(),
            rulebook_version: m.rulebook.version,
        }
    }
}

/// The JSON of [`MetricsView`] of center `center_id` for `year` (this year when `None`; a future
/// year is 422) for the caller of the token `claims` (404 outside its scope). The caller and the
/// center's stamp are read in one round trip; the body is reused while the stamp is unchanged.
pub async fn metrics_body(
    services: &Services<'_>,
    claims: &Claims,
    center_id: i32,
    year: Option<i32>,
    lang: Lang,
) -> Result<Arc<str>, AppError> {
    let year = year.unwrap_or(services.today.year());
    let (user, stamp) = access::caller_with_center_stamp(services.db, claims, center_id).await?;
    let as_of = evaluation_date(year, services.today)?;
    let key = |rulebook_version| {
        let figures = FiguresKey {
            center_id,
            year,
            as_of,
            rulebook_version,
        };
        (figures, lang)
    };
    let in_force = services.rulebook.in_force_on(services.db, as_of).await?;
    let cache = &services.figures.metrics_bodies;
    if let Some(body) = cache.get(&key(in_force.version), &stamp) {
        return Ok(body);
    }
    let (center, host) = access::readable_center_with_host(services.db, &user, center_id).await?;
    let m = evaluate(
        services.db,
        services.rulebook,
        services.figures,
        &center,
        host.as_ref(),
        year,
        services.today,
    )
    .await?;
    // keyed by the rulebook version the figures were judged under
    let judged_under = key(m.rulebook.version);
    let body: Arc<str> = serde_json::to_string(&MetricsView::new(center_id, m, lang))
        .map_err(anyhow::Error::from)?
        .into();
    cache.keep(judged_under, stamp_of(&center, host.as_ref()), body.clone());
    Ok(body)
}
