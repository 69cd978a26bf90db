//! Reading the first sheet of an .xlsx file or a .csv file into cells, as Excel stores what people
//! type: numbers as numbers, dates as dates, the rest as text.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use chrono::{Duration, NaiveDate};

use crate::{
    error::{AppError, RowError},
    i18n::Msg,
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

fn rejected(message: Msg) -> AppError {
    AppError::ImportRejected(vec![RowError {
        row: 1,
        column: String::new(),
        message,
    }])
}

/// The date Excel's day serial `n` names (1900 date system).
pub fn excel_serial_date(n: f64) -> Option<NaiveDate> {
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    (n.fract() == 0.0 && (1.0..2_958_466.0).contains(&n)).then(|| base + Duration::days(n as i64))
}

fn from_xlsx(data: &Data) -> Cell {
    match data {
        Data::Empty | Data::Error(_) => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => dt
            .as_datetime()
            .map_or(Cell::Empty, |d| Cell::Date(d.date())),
        Data::DateTimeIso(s) | Data::DurationIso(s) => {
            NaiveDate::parse_from_str(&s[..s.len().min(10)], "%Y-%m-%d")
                .map_or(Cell::Text(s.clone()), Cell::Date)
        }
    }
}

/// Reads a file by its name's extension; anything but .xlsx and .csv is refused.
pub fn read_sheet(file_name: &str, bytes: &[u8]) -> Result<Sheet, AppError> {
    let lower = file_name.to_lowercase();
    let mut sheet = if lower.ends_with(".xlsx") {
        let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| {
            rejected(Msg::new(
                format!("无法读取 .xlsx 文件：{e}"),
                format!("the .xlsx file cannot be read: {e}"),
            ))
        })?;
        let range = workbook
            .worksheet_range_at(0)
            .ok_or_else(|| rejected(Msg::new("文件中没有工作表", "the file has no sheet")))?
            .map_err(|e| {
                rejected(Msg::new(
                    format!("无法读取工作表：{e}"),
                    format!("the sheet cannot be read: {e}"),
                ))
            })?;
        let mut rows = range.rows();
        let headers = rows
            .next()
            .map(|r| r.iter().map(|c| from_xlsx(c).text()).collect())
            .unwrap_or_default();
        Sheet {
            headers,
            rows: rows.map(|r| r.iter().map(from_xlsx).collect()).collect(),
        }
    } else if lower.ends_with(".csv") {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        let mut records = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let record = record.map_err(|e| {
                AppError::ImportRejected(vec![RowError {
                    row: i + 1,
                    column: String::new(),
                    message: Msg::new(format!("CSV 格式错误：{e}"), format!("malformed CSV: {e}")),
                }])
            })?;
            records.push(
                record
                    .iter()
                    .map(|c| {
                        if c.trim().is_empty() {
                            Cell::Empty
                        } else {
                            Cell::Text(c.to_string())
                        }
                    })
                    .collect::<Vec<_>>(),
            );
        }
        let mut rows = records.into_iter();
        let headers = rows
            .next()
            .map(|r| r.iter().map(Cell::text).collect())
            .unwrap_or_default();
        Sheet {
            headers,
            rows: rows.collect(),
        }
    } else {
        return Err(rejected(Msg::new(
            "只接受 .xlsx 或 .csv 文件",
            "only .xlsx and .csv files are accepted",
        )));
    };
    // trailing empty rows are what spreadsheets leave behind, not data
    while sheet
        .rows
        .last()
        .is_some_and(|r| r.iter().all(Cell::is_empty))
    {
        sheet.rows.pop();
    }
    if sheet.rows.is_empty() {
        return Err(rejected(Msg::new(
            "文件没有数据行",
            "the file has no data rows",
        )));
    }
    Ok(sheet)
}

/// Maps each header to a field: by API name or by one of its labels. Unknown headers are refused
/// unless listed in `ignored`; required fields must be present.
pub fn map_headers(
    sheet: &Sheet,
    fields: &[(&'static str, &[&str])],
    required: &[&str],
    ignored: &[&str],
) -> Result<Vec<Option<&'static str>>, AppError> {
    let mut errors = Vec::new();
    let mut mapping = Vec::new();
    for (i, header) in sheet.headers.iter().enumerate() {
        let header = header.trim();
        let field = fields
            .iter()
            .find(|(key, labels)| *key == header || labels.contains(&header))
            .map(|(key, _)| *key);
        if field.is_none() && !header.is_empty() && !ignored.contains(&header) {
            errors.push(RowError {
                row: 1,
                column: header.to_string(),
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
    if errors.is_empty() {
        Ok(mapping)
    } else {
        Err(AppError::ImportRejected(errors))
    }
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

/// A date cell, a `YYYY-MM-DD` / `YYYY/MM/DD` text, or an Excel day serial, as `YYYY-MM-DD` text.
pub fn date_text(cell: &Cell) -> String {
    match cell {
        Cell::Date(d) => d.to_string(),
        Cell::Number(n) => excel_serial_date(*n).map_or_else(|| cell.text(), |d| d.to_string()),
        other => {
            let text = other.text().replace(['/', '.'], "-");
            NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_or(other.text(), |d| d.to_string())
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
            split_list(&Cell::Text("a；b、c; d".into())),
            vec!["a", "b", "c", "d"]
        );
    }
}
