//! The cells of an imported sheet and how they read as values: text, numbers, dates, lists,
//! and the header row mapped to fields.

use chrono::{Duration, NaiveDate};

use crate::{
    error::{AppError, RowError, RowErrors},
    i18n::{Msg, quote},
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
