//! The import templates offered beside the import forms: the headers and one example row.

use actix_web::{HttpResponse, get, web};

use crate::{
    error::AppError,
    imports::{MEMBER_HEADERS, TRANSACTION_HEADERS},
    web::download::{Cell, ExportFormat, Table, download},
};

/// The deals import template.
#[get("/import-templates/transactions.xlsx")]
async fn deals_template() -> Result<HttpResponse, AppError> {
    let example = vec![
        "许可".into(),
        Cell::Number(1_234_567.89),
        "2025-06-30".into(),
        "201710601862.3；201810123456.5".into(),
        "91110000600037341L".into(),
        "HT-2025-001".into(),
        "否".into(),
        "示例行，导入前请删除".into(),
    ];
    let table = Table {
        name: "transactions-template",
        headers: TRANSACTION_HEADERS.to_vec(),
        rows: vec![example],
    };
    download(ExportFormat::Xlsx, table)
}

/// The members import template.
#[get("/import-templates/members.xlsx")]
async fn members_template() -> Result<HttpResponse, AppError> {
    let example = vec![
        "91110000600037341L".into(),
        "示例科技有限公司".into(),
        "企业".into(),
        "320505".into(),
        "科技型中小企业；高新技术企业".into(),
        "2025-01-01".into(),
    ];
    let table = Table {
        name: "members-template",
        headers: MEMBER_HEADERS[..6].to_vec(),
        rows: vec![example],
    };
    download(ExportFormat::Xlsx, table)
}

/// The page routes [`configure`] registers, held against this file by a test.
pub const ROUTES: super::super::PageRoutes = &[
    ("GET", "/import-templates/transactions.xlsx"),
    ("GET", "/import-templates/members.xlsx"),
];

/// Registers the routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(deals_template).service(members_template);
}
