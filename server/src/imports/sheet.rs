//! Reading the first sheet of an .xlsx file or a .csv file into cells, as Excel stores what people
//! type: numbers as numbers, dates as dates, the rest as text.

use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx, open_workbook_from_rs};
use chrono::{Duration, NaiveDate};

use super::{
    bounds::{Refusal, SheetBuilder, refused},
    guard::check_workbook,
};
use crate::{
    error::{AppError, RowError, RowErrors},
    i18n::{Msg, quote},
    settings::ImportLimits,
};

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Bool(bool),
}

impl Cell {
    /// The cell as text: numbers without a needless fraction, dates as `YYYY-MM-DD`.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_string(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e17 => format!("{}", *n as i64),
            Cell::Number(n) => format!("{n}"),
            Cell::Date(d) => d.to_string(),
            Cell::Bool(b) => b.to_string(),
        }
    }

    /// Whether the cell holds nothing.
    pub fn is_empty(&self) -> bool {
        matches!(self, Cell::Empty) || matches!(self, Cell::Text(t) if t.trim().is_empty())
    }
}

/// A sheet: the header row and the data rows (Excel row `i + 2` for `rows[i]`).
#[derive(Debug, Default)]
pub struct Sheet {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// The date Excel's day serial `n` names (1900 date system).
pub fn excel_serial_date(n: f64) -> Option<NaiveDate> {
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    (n.fract() == 0.0 && (1.0..2_958_466.0).contains(&n)).then(|| base + Duration::days(n as i64))
}

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

/// Maps each header to a field: by API name or by one of its labels. Unknown headers are refused
/// unless listed in `ignored`; required fields must be present.
pub fn map_headers(
    sheet: &Sheet,
    fields: &[(&'static str, &[&str])],
    required: &[&str],
    ignored: &[&str],
) -> Result<Vec<Option<&'static str>>, AppError> {
    // at most one error per column (the columns are bounded) and one per required field
    let mut errors = RowErrors::with_cap(usize::MAX);
    let mut mapping = Vec::new();
    for (i, header) in sheet.headers.iter().enumerate() {
        let header = header.trim();
        let field = fields
            .iter()
            .find(|(key, labels)| *key == header || labels.contains(&header))
            .map(|(key, _)| *key);
        if field.is_none() && !header.is_empty() && !ignored.contains(&header) {
            let header = quote(header);
            errors.push(RowError {
                row: 1,
                column: header.clone(),
                message: Msg::new(
                    format!("第 {} 列表头“{header}”无法识别", i + 1),
                    format!("column {} header '{header}' is not recognised", i + 1),
                ),
            });
        }
        mapping.push(field);
    }
    for field in required {
        if !mapping.contains(&Some(*field)) {
            let label = fields
                .iter()
                .find(|(k, _)| k == field)
                .and_then(|(_, l)| l.first())
                .copied()
                .unwrap_or(field);
            errors.push(RowError {
                row: 1,
                column: label.to_string(),
                message: Msg::new(
                    format!("缺少“{label}”列"),
                    format!("the '{label}' ({field}) column is missing"),
                ),
            });
        }
    }
    errors.into_result(mapping)
}

/// Splits a cell holding several codes separated by `;`, `；`, `、` or `,`.
pub fn split_list(cell: &Cell) -> Vec<String> {
    cell.text()
        .split([';', '；', '、', ',', '，', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A date cell, a `YYYY-MM-DD` / `YYYY/MM/DD` text (with a midnight time, as spreadsheets export
/// dates), or an Excel day serial, as `YYYY-MM-DD` text.
pub fn date_text(cell: &Cell) -> String {
    match cell {
        Cell::Date(d) => d.to_string(),
        Cell::Number(n) => excel_serial_date(*n).map_or_else(|| cell.text(), |d| d.to_string()),
        other => {
            let raw = other.text();
            let date = raw
                .strip_suffix(" 00:00:00")
                .or_else(|| raw.strip_suffix("T00:00:00"))
                .unwrap_or(&raw)
                .replace(['/', '.'], "-");
            NaiveDate::parse_from_str(&date, "%Y-%m-%d").map_or(raw.clone(), |d| d.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_as_people_type_them() {
        assert_eq!(Cell::Number(100.0).text(), "100");
        assert_eq!(Cell::Number(1234.5).text(), "1234.5");
        assert_eq!(date_text(&Cell::Number(46000.0)), "2025-12-09");
        assert_eq!(date_text(&Cell::Text("2025/3/1".into())), "2025-03-01");
        assert_eq!(
            date_text(&Cell::Text("2025-02-08 00:00:00".into())),
            "2025-02-08"
        );
        assert_eq!(
            date_text(&Cell::Text("2025-02-08 10:00:00".into())),
            "2025-02-08 10:00:00"
        );
        assert_eq!(
            split_list(&Cell::Text("a；b、c; d".into())),
            vec!["a", "b", "c", "d"]
        );
    }
}
