//! The library as a download: the listings the filters find, in Chinese, never with a contact.

use actix_web::HttpResponse;

use super::page_data::word;
use crate::{
    domain::{identifiers::Yuan, market::ListingView},
    error::AppError,
    web::download::{Cell, ExportFormat, Table, download_named},
};

/// The most listings one download holds (the page says so).
pub const LIMIT: u64 = 10_000;

/// `items` as a table, `t` reading the Chinese catalog; the file is named by the day.
pub fn listings(
    format: ExportFormat,
    items: &[ListingView],
    (t, today): (impl Fn(&str) -> String, chrono::NaiveDate),
) -> Result<HttpResponse, AppError> {
    let rows = items
        .iter()
        .map(|l| {
            let modes: Vec<String> = l
                .offered_modes
                .iter()
                .map(|m| t(&format!("mode_{}", word(m))))
                .collect();
            let price = l.asking_price.as_deref().and_then(|p| Yuan::parse(p).ok());
            vec![
                l.application_number.clone().into(),
                l.title.clone().into(),
                t(&format!("patent_type_{}", l.patent_type)).into(),
                l.owner.name.clone().into(),
                l.owner.uscc.clone().into(),
                l.ipc.first().cloned().unwrap_or_default().into(),
                l.industry.clone().into(),
                t(&format!("legal_status_{}", word(&l.legal_status))).into(),
                l.grant_date
                    .map(|d| d.to_string())
                    .unwrap_or_default()
                    .into(),
                modes.join("、").into(),
                l.maturity
                    .map_or(Cell::from(""), |m| Cell::Number(f64::from(m))),
                price.map_or(Cell::from(""), |p| Cell::Number(p.fen() as f64 / 100.0)),
            ]
        })
        .collect();
    let headers = vec![
        "申请号",
        "专利名称",
        "专利类型",
        "专利权人",
        "专利权人统一社会信用代码",
        "IPC 主分类号",
        "所属产业",
        "法律状态",
        "授权日",
        "转化方式",
        "技术成熟度",
        "报价(元)",
    ];
    let table = Table {
        name: "patents",
        headers,
        rows,
    };
    download_named(format, table, &format!("专利转化资源库-{today}"))
}
