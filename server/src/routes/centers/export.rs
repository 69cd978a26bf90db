//! The centers list as a download.

use actix_web::HttpResponse;

use crate::{
    error::AppError,
    web::download::{Cell, ExportFormat, Table, chinese, download_named},
};

use crate::domain::views::centers::CenterListItem;

/// The centers list as a table.
pub fn centers(
    format: ExportFormat,
    items: &[CenterListItem],
    today: chrono::NaiveDate,
) -> Result<HttpResponse, AppError> {
    let yes_no = |b: bool| Cell::from(if b { "是" } else { "否" });
    let rows = items
        .iter()
        .map(|item| {
            let c = &item.center;
            let i = &item.indicators;
            vec![
                Cell::Number(f64::from(c.id)),
                c.name.clone().into(),
                chinese(&c.level).into(),
                c.industry.clone().into(),
                c.province.clone().into(),
                c.region_code.clone().into(),
                c.host
                    .as_ref()
                    .map(|h| h.name.clone())
                    .unwrap_or_default()
                    .into(),
                chinese(&c.status).into(),
                Cell::Number(i.operation_amount.fen() as f64 / 100.0),
                Cell::Number(i.projects_cumulative as f64),
                Cell::Number(i.alliance_counting_members as f64),
                yes_no(i.operation_scale_passed),
                yes_no(i.alliance_size_passed),
                yes_no(i.host_eligible_passed),
            ]
        })
        .collect();
    download_named(
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
        &format!("运营中心名录-{today}"),
    )
}
