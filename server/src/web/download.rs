//! Downloads of lists as .xlsx or .csv, with the same Chinese headers the imports read, so that
//! an exported file edited in Excel imports back.

use actix_web::{HttpResponse, http::header};
use rust_xlsxwriter::Workbook;
use serde::Deserialize;

use crate::error::AppError;

pub use crate::domain::paging::ExportFormat;

/// `?format=xlsx|csv`.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct FormatQuery {
    pub format: Option<ExportFormat>,
}

/// One cell of an export.
pub enum Cell {
    Text(String),
    Number(f64),
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_string())
    }
}

/// The Chinese word for a stored code of the downloads (level, status, report state, result,
/// light, proposal kind); the code itself when it has none.
pub fn chinese(code: &str) -> &str {
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

/// A table to download: its file stem, headers and rows.
pub struct Table {
    pub name: &'static str,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// Writes `table` as an attachment in `format` named `stem` (e.g. the center, what and the day:
/// `某中心-运营交易-2026-11-21.xlsx`), with the table's ASCII name as the fallback for old clients.
pub fn download_named(
    format: ExportFormat,
    table: Table,
    stem: &str,
) -> Result<HttpResponse, AppError> {
    use actix_web::http::header::{
        Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue,
    };
    let extension = match format {
        ExportFormat::Xlsx => "xlsx",
        ExportFormat::Csv => "csv",
    };
    let disposition = ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![
            DispositionParam::Filename(format!("{}.{extension}", table.name)),
            DispositionParam::FilenameExt(ExtendedValue {
                charset: Charset::Ext("UTF-8".into()),
                language_tag: None,
                value: format!("{stem}.{extension}").into_bytes(),
            }),
        ],
    };
    let mut response = download(format, table)?;
    let value = disposition
        .to_string()
        .parse()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    response
        .headers_mut()
        .insert(header::CONTENT_DISPOSITION, value);
    Ok(response)
}

/// Writes `table` as an attachment in `format`.
pub fn download(format: ExportFormat, table: Table) -> Result<HttpResponse, AppError> {
    let (bytes, content_type, extension) = match format {
        ExportFormat::Xlsx => (
            xlsx(&table)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        ExportFormat::Csv => (csv(&table)?, "text/csv; charset=utf-8", "csv"),
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}.{extension}\"", table.name),
        ))
        .body(bytes))
}

fn xlsx(table: &Table) -> Result<Vec<u8>, AppError> {
    let fail =
        |e: rust_xlsxwriter::XlsxError| AppError::Internal(anyhow::anyhow!("xlsx export: {e}"));
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (col, title) in table.headers.iter().enumerate() {
        sheet.write_string(0, col as u16, *title).map_err(fail)?;
    }
    for (i, row) in table.rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (col, cell) in row.iter().enumerate() {
            match cell {
                Cell::Text(text) => sheet.write_string(r, col as u16, text).map_err(fail)?,
                Cell::Number(n) => sheet.write_number(r, col as u16, *n).map_err(fail)?,
            };
        }
    }
    sheet.autofit();
    workbook.save_to_buffer().map_err(fail)
}

fn csv(table: &Table) -> Result<Vec<u8>, AppError> {
    let fail = |e: csv::Error| AppError::Internal(anyhow::anyhow!("csv export: {e}"));
    // a BOM so that Excel opens the UTF-8 file with its Chinese intact
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(&table.headers).map_err(fail)?;
    for row in &table.rows {
        writer
            .write_record(row.iter().map(|c| match c {
                Cell::Text(t) => t.clone(),
                Cell::Number(n) => format!("{n}"),
            }))
            .map_err(fail)?;
    }
    writer
        .into_inner()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("csv export: {e}")))
}
