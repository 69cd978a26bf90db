//! Deals, projects and service events as downloads, in the columns their imports read.

use crate::web::download::{Cell, Table};

use crate::imports::TRANSACTION_HEADERS;

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
