//! The dashboard as a download, its codes written in Chinese.

use actix_web::HttpResponse;

use crate::{
    error::AppError,
    web::download::{Cell, ExportFormat, Table, chinese as zh, download_named},
};

/// The dashboard's rows as a table.
pub fn dashboard(
    format: ExportFormat,
    rows: &[&crate::domain::dashboard::DashboardRow],
    today: chrono::NaiveDate,
) -> Result<HttpResponse, AppError> {
    let number = |n: i64| Cell::Number(n as f64);
    let optional = |v: Option<String>| Cell::from(v.unwrap_or_default());
    let rows = rows
        .iter()
        .map(|r| {
            vec![
                Cell::Number(f64::from(r.center_id)),
                r.name.clone().into(),
                zh(&r.level).into(),
                r.province.clone().into(),
                r.industry.clone().into(),
                zh(&r.status).into(),
                optional(r.cycle.map(|c| c.to_string())),
                optional(r.cycle_year.map(|y| y.to_string())),
                Cell::Number(r.operation_amount.fen() as f64 / 100.0),
                Cell::Number(r.operation_threshold.fen() as f64 / 100.0),
                number(r.projects_cumulative),
                number(i64::from(r.projects_threshold)),
                number(r.alliance_counting_members),
                number(i64::from(r.alliance_threshold)),
                optional(r.report_year.map(|y| y.to_string())),
                optional(r.report_status.as_deref().map(|s| zh(s).to_string())),
                optional(r.report_due.map(|d| d.to_string())),
                optional(r.last_result.as_deref().map(|s| zh(s).to_string())),
                r.proposals
                    .iter()
                    .map(|p| format!("{}（{}）", zh(p.kind), p.since))
                    .collect::<Vec<_>>()
                    .join("；")
                    .into(),
                zh(r.light.as_str()).into(),
            ]
        })
        .collect();
    download_named(
        format,
        Table {
            name: "dashboard",
            headers: vec![
                "编号",
                "中心",
                "级别",
                "省份",
                "产业",
                "状态",
                "周期",
                "周期年度",
                "本年运营交易额（元）",
                "交易额门槛（元）",
                "项目数",
                "项目门槛",
                "联盟成员数",
                "联盟门槛",
                "报告年度",
                "报告状态",
                "截止日期",
                "最近考核结果",
                "待决建议",
                "信号灯",
            ],
            rows,
        },
        &format!("运营中心总览-{today}"),
    )
}
