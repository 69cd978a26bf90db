//! The dashboard as a download, its codes written in Chinese.

use actix_web::HttpResponse;

use crate::{
    error::AppError,
    web::download::{Cell, ExportFormat, Table, download},
};

/// The Chinese word for a stored code of the dashboard (level, status, report state, result,
/// light, proposal kind); the code itself when it has none.
fn zh(code: &str) -> &str {
    match code {
        "national" => "国家级",
        "provincial" => "省级",
        "municipal" => "市级",
        "draft" => "草稿",
        "under_notice" => "公示中",
        "accredited" => "已认定",
        "exited" => "已退出",
        "not_due" => "未到期",
        "submitted" => "已提交",
        "returned" => "退回修改",
        "overdue" => "逾期",
        "decided" => "已决定",
        "qualified" => "合格",
        "basically_qualified" => "基本合格",
        "unqualified" => "不合格",
        "red" => "红",
        "amber" => "黄",
        "green" => "绿",
        "grey" => "灰",
        "exit" => "建议退出",
        "withdrawal" => "申请退出",
        other => other,
    }
}

/// The dashboard's rows as a table.
pub fn dashboard(
    format: ExportFormat,
    rows: &[&crate::domain::dashboard::DashboardRow],
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
    download(
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
    )
}
