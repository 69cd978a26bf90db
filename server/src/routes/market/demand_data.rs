//! What the demands' pages show, in the reader's words: a row of the list, a demand's facts, and
//! the list as a download (never a contact).

use actix_web::HttpResponse;
use serde::Serialize;

use super::page_data::word;
use crate::{
    domain::{identifiers::Yuan, market::demands::DemandView},
    error::AppError,
    web::download::{Cell, ExportFormat, Table, download_named},
};

/// One row of the demands' table, in words.
#[derive(Serialize)]
pub(super) struct DemandRow {
    pub(super) id: i32,
    pub(super) title: String,
    pub(super) member: String,
    pub(super) industry: String,
    pub(super) wanted_mode: String,
    pub(super) budget: String,
    pub(super) valid_until: String,
    pub(super) status: String,
    pub(super) status_key: String,
}

/// The member as the reader may name it.
fn member_name(d: &DemandView, t: &impl Fn(&str) -> String) -> String {
    d.member
        .as_ref()
        .map_or_else(|| t("demand_anonymous_member"), |m| m.name.clone())
}

/// An amount in 万元 with separators, as the pages show budgets.
fn wan(amount: &Option<String>) -> Option<String> {
    Some(Yuan::parse(amount.as_deref()?).ok()?.format_wan())
}

/// The budget range in words ("50.00 – 200.00 万元", "— " when none).
pub(super) fn budget(d: &DemandView, t: &impl Fn(&str) -> String) -> String {
    match (wan(&d.budget_min), wan(&d.budget_max)) {
        (Some(low), Some(high)) => format!("{low} – {high} {}", t("unit_wan")),
        (Some(low), None) => format!("≥ {low} {}", t("unit_wan")),
        (None, Some(high)) => format!("≤ {high} {}", t("unit_wan")),
        (None, None) => "—".into(),
    }
}

/// A demand's row in the reader's words.
pub(super) fn row(d: DemandView, t: &impl Fn(&str) -> String) -> DemandRow {
    DemandRow {
        member: member_name(&d, t),
        wanted_mode: t(&format!("wanted_mode_{}", word(&d.wanted_mode))),
        budget: budget(&d, t),
        valid_until: d.valid_until.to_string(),
        status: t(&format!("demand_status_{}", word(&d.status))),
        status_key: word(&d.status),
        id: d.id,
        title: d.title,
        industry: d.industry,
    }
}

/// What the page states of a demand, in words.
pub(super) fn facts(d: &DemandView, t: &impl Fn(&str) -> String) -> Vec<(String, String)> {
    let or_dash = |v: String| if v.is_empty() { "—".into() } else { v };
    let mut facts = vec![
        (t("demand_member_uscc"), member_name(d, t)),
        (t("demand_industry"), d.industry.clone()),
        (t("demand_ipc_short"), or_dash(d.ipc.join(" · "))),
        (t("demand_keywords_short"), or_dash(d.keywords.join(" · "))),
        (
            t("demand_wanted_mode"),
            t(&format!("wanted_mode_{}", word(&d.wanted_mode))),
        ),
        (t("demand_budget"), budget(d, t)),
        (t("demand_valid_until"), d.valid_until.to_string()),
        (
            t("demand_visibility"),
            t(&format!("visibility_{}", word(&d.visibility))),
        ),
        (
            t("demand_status"),
            t(&format!("demand_status_{}", word(&d.status))),
        ),
    ];
    if let Some(on) = &d.registered_on_behalf {
        facts.push((t("demand_on_behalf"), on.center_name.clone()));
    }
    facts
}

/// The most demands one download holds (the page says so).
pub(super) const LIMIT: u64 = 10_000;

/// `items` as a table, `t` reading the Chinese catalog; the file is named by the day.
pub(super) fn export(
    format: ExportFormat,
    items: &[DemandView],
    (t, today): (impl Fn(&str) -> String, chrono::NaiveDate),
) -> Result<HttpResponse, AppError> {
    let money = |v: &Option<String>| {
        let fen = v
            .as_deref()
            .and_then(|p| Yuan::parse(p).ok())
            .map(Yuan::fen);
        fen.map_or(Cell::from(""), |f| Cell::Number(f as f64 / 100.0))
    };
    let rows = items
        .iter()
        .map(|d| {
            vec![
                d.title.clone().into(),
                member_name(d, &t).into(),
                d.member
                    .as_ref()
                    .map(|m| m.uscc.clone())
                    .unwrap_or_default()
                    .into(),
                d.industry.clone().into(),
                t(&format!("wanted_mode_{}", word(&d.wanted_mode))).into(),
                money(&d.budget_min),
                money(&d.budget_max),
                d.valid_until.to_string().into(),
                t(&format!("visibility_{}", word(&d.visibility))).into(),
                t(&format!("demand_status_{}", word(&d.status))).into(),
                d.keywords.join("、").into(),
            ]
        })
        .collect();
    let headers = vec![
        "需求名称",
        "需求企业",
        "统一社会信用代码",
        "所属产业",
        "期望方式",
        "预算下限(元)",
        "预算上限(元)",
        "有效期至",
        "公开范围",
        "状态",
        "关键词",
    ];
    let table = Table {
        name: "demands",
        headers,
        rows,
    };
    download_named(format, table, &format!("技术需求-{today}"))
}
