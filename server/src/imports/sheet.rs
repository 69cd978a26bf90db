//! Reading the first sheet of an .xlsx file or a .csv file into cells, as Excel stores what people
//! type: numbers as numbers, dates as dates, the rest as text.

use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx, open_workbook_from_rs};
use chrono::NaiveDate;

use super::{
    bounds::{Refusal, SheetBuilder, refused},
    cells::{Cell, Sheet},
    guard::check_workbook,
};
use crate::{
    error::{AppError, RowErrors},
    i18n::{Msg, quote},
    settings::ImportLimits,
};

fn from_xlsx(data: &DataRef<'_>) -> Cell {
    match data {
        DataRef::Empty | DataRef::Error(_) => Cell::Empty,
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text((*s).to_string()),
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Bool(b) => Cell::Bool(*b),
        DataRef::DateTime(dt) => dt
            .as_datetime()
            .map_or(Cell::Empty, |d| Cell::Date(d.date())),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
            NaiveDate::parse_from_str(s.get(..10).unwrap_or(s), "%Y-%m-%d")
                .map_or(Cell::Text(s.clone()), Cell::Date)
        }
    }
}

/// The text a cell holds, if it holds text (checked against the limits before it is copied).
fn text_of<'a>(data: &'a DataRef<'_>) -> Option<&'a str> {
    match data {
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Some(s),
        DataRef::SharedString(s) => Some(s),
        _ => None,
    }
}

/// Reads a file by its name's extension within `limits`; anything but .xlsx and .csv is
/// refused, and so is a file with no data row.
pub fn read_sheet(file_name: &str, bytes: &[u8], limits: &ImportLimits) -> Result<Sheet, AppError> {
    let lower = file_name.to_lowercase();
    let sheet = if lower.ends_with(".xlsx") {
        read_xlsx(bytes, limits)?
    } else if lower.ends_with(".csv") {
        read_csv(bytes, limits)?
    } else {
        return Err(AppError::ImportRejected(RowErrors::file(Msg::new(
            "只接受 .xlsx 或 .csv 文件",
            "only .xlsx and .csv files are accepted",
        ))));
    };
    if sheet.rows.is_empty() {
        return Err(AppError::ImportRejected(RowErrors::file(Msg::new(
            "文件没有数据行",
            "the file has no data rows",
        ))));
    }
    Ok(sheet)
}

/// The first sheet of a workbook, streamed cell by cell after every part of the archive was
/// found within its inflated limit.
fn read_xlsx(bytes: &[u8], limits: &ImportLimits) -> Result<Sheet, AppError> {
    let unreadable = |e: calamine::XlsxError| refused(Refusal::Unreadable(e.to_string()));
    check_workbook(bytes, limits)?;
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
    let Some(name) = workbook.sheet_names().first().cloned() else {
        return Err(AppError::ImportRejected(RowErrors::file(Msg::new(
            "文件中没有工作表",
            "the file has no sheet",
        ))));
    };
    let mut cells = workbook.worksheet_cells_reader(&name).map_err(unreadable)?;
    let mut sheet = SheetBuilder::new(limits);
    let declared = cells.dimensions();
    sheet.check_declared(declared.end.0 as usize, declared.end.1 as usize)?;
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (row, column) = cell.get_position();
        let (row, column) = (row as usize, column as usize);
        let value = cell.get_value();
        if let Some(text) = text_of(value) {
            sheet.check_text(row, column, text)?;
        }
        sheet.put(row, column, from_xlsx(value))?;
    }
    Ok(sheet.finish())
}

/// A CSV file (UTF-8, with or without a byte-order mark), record by record.
fn read_csv(bytes: &[u8], limits: &ImportLimits) -> Result<Sheet, AppError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut sheet = SheetBuilder::new(limits);
    let mut record = csv::StringRecord::new();
    let mut row = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(AppError::ImportRejected(RowErrors::file(Msg::new(
                    format!("第 {} 行 CSV 格式错误：{}", row + 1, quote(&e.to_string())),
                    format!(
                        "malformed CSV in row {}: {}",
                        row + 1,
                        quote(&e.to_string())
                    ),
                ))));
            }
        }
        if record.len() > limits.columns {
            sheet.check_row_width(row, record.len())?;
        }
        for (column, field) in record.iter().enumerate() {
            if field.trim().is_empty() {
                continue;
            }
            sheet.check_text(row, column, field)?;
            sheet.put(row, column, Cell::Text(field.to_string()))?;
        }
        row += 1;
    }
    Ok(sheet.finish())
}
