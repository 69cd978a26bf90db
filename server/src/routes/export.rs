//! Downloads of lists as .xlsx or .csv, with the same Chinese headers the imports read, so that an
//! exported file edited in Excel imports back.

use actix_web::HttpResponse;

use super::api_centers::CenterListItem;
use crate::error::AppError;

pub use crate::web::download::{Cell, ExportFormat, FormatQuery, Table, download};

/// The centers list as a table.
pub fn centers(format: ExportFormat, items: &[CenterListItem]) -> Result<HttpResponse, AppError> {
    let yes_no = |b: bool| Cell::from(if b { "是" } else { "否" });
    let rows = items
        .iter()
        .map(|item| {
            let c = &item.center;
            let i = &item.indicators;
            vec![
                Cell::Number(f64::from(c.id)),
                c.name.clone().into(),
                c.level.clone().into(),
                c.industry.clone().into(),
                c.province.clone().into(),
                c.region_code.clone().into(),
                c.host
                    .as_ref()
                    .map(|h| h.name.clone())
                    .unwrap_or_default()
                    .into(),
                c.status.clone().into(),
                Cell::Number(i.operation_amount.fen() as f64 / 100.0),
                Cell::Number(i.projects_cumulative as f64),
                Cell::Number(i.alliance_counting_members as f64),
                yes_no(i.operation_scale_passed),
                yes_no(i.alliance_size_passed),
                yes_no(i.host_eligible_passed),
            ]
        })
        .collect();
    download(
        format,
        Table {
            name: "centers",
            headers: vec![
                "编号",
                "名称",
                "级别",
                "产业",
                "省份",
                "行政区划代码",
                "建设主体",
                "状态",
                "本年运营交易额(元)",
                "累计项目数",
                "联盟计数成员",
                "运营规模达标",
                "联盟规模达标",
                "建设主体合格",
            ],
            rows,
        },
    )
}

/// Headers of a deals file (export and import alike).
pub const TRANSACTION_HEADERS: [&str; 8] = [
    "类型",
    "金额(元)",
    "合同日期",
    "专利号",
    "交易对方统一社会信用代码",
    "合同编号",
    "是否关联交易",
    "备注",
];
/// Headers of a members file (the import reads the first six; the last two are for reading).
pub const MEMBER_HEADERS: [&str; 8] = [
    "统一社会信用代码",
    "机构名称",
    "机构类型",
    "行政区划代码",
    "机构标识",
    "加入日期",
    "退出日期",
    "状态",
];

fn yes_no(b: bool) -> Cell {
    Cell::from(if b { "是" } else { "否" })
}

/// Deals as a table.
pub fn transactions(items: &[crate::domain::ledger::TransactionView]) -> Table {
    use crate::domain::{ledger::TransactionKind, parse_enum};
    let rows = items
        .iter()
        .map(|t| {
            vec![
                parse_enum::<TransactionKind>(&t.kind)
                    .map_or(t.kind.clone(), |k| k.chinese().to_string())
                    .into(),
                Cell::Number(t.amount.parse::<f64>().unwrap_or(0.0)),
                t.contract_date.to_string().into(),
                t.patent_numbers.join(";").into(),
                t.counterparty_uscc.join(";").into(),
                t.contract_no.clone().unwrap_or_default().into(),
                yes_no(t.related_party),
                t.note.clone().unwrap_or_default().into(),
            ]
        })
        .collect();
    Table {
        name: "transactions",
        headers: TRANSACTION_HEADERS.to_vec(),
        rows,
    }
}

/// Projects as a table.
pub fn projects(items: &[crate::domain::ledger::ProjectView]) -> Table {
    let rows = items
        .iter()
        .map(|p| {
            vec![
                Cell::Number(f64::from(p.id)),
                p.kind.clone().into(),
                p.name.clone().into(),
                p.start_date.to_string().into(),
                p.status.clone().into(),
                p.patent_numbers.join(";").into(),
                p.partner_uscc.join(";").into(),
            ]
        })
        .collect();
    Table {
        name: "projects",
        headers: vec![
            "编号",
            "类型",
            "名称",
            "开始日期",
            "状态",
            "专利号",
            "合作单位统一社会信用代码",
        ],
        rows,
    }
}

/// Service events as a table.
pub fn events(items: &[crate::domain::ledger::EventView]) -> Table {
    let rows = items
        .iter()
        .map(|e| {
            vec![
                Cell::Number(f64::from(e.id)),
                e.kind.clone().into(),
                e.date.to_string().into(),
                e.title.clone().into(),
                e.served_uscc.join(";").into(),
            ]
        })
        .collect();
    Table {
        name: "events",
        headers: vec!["编号", "类型", "日期", "标题", "服务对象统一社会信用代码"],
        rows,
    }
}

/// Memberships as a table.
pub fn members(items: &[crate::domain::alliance::MembershipView]) -> Table {
    let rows = items
        .iter()
        .map(|m| {
            let o = &m.organization;
            vec![
                o.uscc.clone().into(),
                o.name.clone().into(),
                crate::imports::kind_chinese(&o.kind).into(),
                o.region_code.clone().into(),
                o.flags
                    .iter()
                    .map(|f| crate::imports::flag_chinese(f))
                    .collect::<Vec<_>>()
                    .join(";")
                    .into(),
                m.joined_on.to_string().into(),
                m.left_on.map(|d| d.to_string()).unwrap_or_default().into(),
                Cell::from(if m.status == "active" {
                    "在册"
                } else {
                    "已退出"
                }),
            ]
        })
        .collect();
    Table {
        name: "members",
        headers: MEMBER_HEADERS.to_vec(),
        rows,
    }
}

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
