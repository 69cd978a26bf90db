//! The limits of a sheet applied while it is read: a sheet is built cell by cell, and the first
//! cell past a limit (row, column, rows × columns, one cell's length, all text) ends the reading
//! with a 422 that names the limit — so memory stays bounded by the limits, whatever the file.

use super::cells::{Cell, Sheet};
use crate::{
    error::{AppError, RowErrors},
    i18n::{Msg, byte_size, quote, thousands},
    settings::ImportLimits,
};

/// Why a file is refused as a whole.
#[derive(Debug)]
pub enum Refusal {
    /// The archive or the sheet cannot be read.
    Unreadable(String),
    /// The archive has more parts than any workbook.
    Parts { found: usize, limit: usize },
    /// A part of the archive inflates past the limit.
    Part { name: String, limit: String },
    /// A part holds a run of text (or a tag) longer than any cell may be.
    Run { name: String, limit: usize },
    /// The workbook holds more shared strings than the sheet may have cells.
    SharedStrings { found: usize, limit: usize },
    /// The sheet declares (or holds a cell in) more rows than allowed.
    Rows {
        found: usize,
        declared: bool,
        limit: usize,
    },
    /// The sheet declares (or holds a cell in) more columns than allowed.
    Columns {
        found: usize,
        declared: bool,
        limit: usize,
    },
    /// Rows × columns of the used range exceed the limit.
    Cells {
        rows: usize,
        columns: usize,
        limit: usize,
    },
    /// One cell holds too many characters.
    CellLength { cell: String, limit: usize },
    /// All cells together hold too much text.
    Text { limit: String },
}

/// The 422 `import_rejected` for a file refused as a whole.
pub fn refused(refusal: Refusal) -> AppError {
    AppError::ImportRejected(RowErrors::file(refusal.message()))
}

impl Refusal {
    fn message(&self) -> Msg {
        let n = |v: &usize| thousands(*v as u64);
        let extent = |declared: bool| {
            if declared {
                ("工作表声明了", "the sheet declares")
            } else {
                ("工作表至少有", "the sheet holds at least")
            }
        };
        let (zh, en) = match self {
            Refusal::Unreadable(why) => {
                // the reader's own words stay in the log: the person needs what to do
                tracing::info!(reason = %quote(why), "an import file cannot be read");
                (
                    "文件不是可读取的 Excel 工作簿（.xlsx）：可能已损坏，请用模板重新保存后再导入".to_string(),
                    "the file is not a readable Excel workbook (.xlsx): it may be damaged; save it from the template and import it again".to_string(),
                )
            }
            Refusal::Parts { found, limit } => (
                format!("文件包含 {} 个部件，上限为 {}", n(found), n(limit)),
                format!("the file has {} parts; the limit is {}", n(found), n(limit)),
            ),
            Refusal::Part { name, limit } => (
                format!("文件部件 {name} 解压后超过上限 {limit}"),
                format!("the part {name} inflates to more than the limit of {limit}"),
            ),
            Refusal::Run { name, limit } => (
                format!(
                    "文件部件 {name} 中有一段文字超过单元格 {} 个字符的上限",
                    n(limit)
                ),
                format!(
                    "the part {name} holds a text longer than the limit of {} characters a cell",
                    n(limit)
                ),
            ),
            Refusal::SharedStrings { found, limit } => (
                format!(
                    "文件包含 {} 个共享字符串，超过单元格上限 {}",
                    n(found),
                    n(limit)
                ),
                format!(
                    "the workbook holds {} shared strings, more than the limit of {} cells",
                    n(found),
                    n(limit)
                ),
            ),
            Refusal::Rows {
                found,
                declared,
                limit,
            } => {
                let (zh, en) = extent(*declared);
                let (all, data) = (n(&(limit + 1)), n(limit));
                (
                    format!(
                        "{zh} {} 行；上限为 {all} 行（表头 1 行、数据 {data} 行）",
                        n(found)
                    ),
                    format!(
                        "{en} {} rows; the limit is {all} (a header row and {data} data rows)",
                        n(found)
                    ),
                )
            }
            Refusal::Columns {
                found,
                declared,
                limit,
            } => {
                let (zh, en) = extent(*declared);
                (
                    format!("{zh} {} 列；上限为 {} 列", n(found), n(limit)),
                    format!("{en} {} columns; the limit is {}", n(found), n(limit)),
                )
            }
            Refusal::Cells {
                rows,
                columns,
                limit,
            } => {
                let cells = rows.saturating_mul(*columns);
                let (r, c, all) = (n(rows), n(columns), n(&cells));
                (
                    format!(
                        "工作表有 {r} 行 × {c} 列 = {all} 个单元格；上限为 {}",
                        n(limit)
                    ),
                    format!(
                        "the sheet spans {r} rows × {c} columns = {all} cells; the limit is {}",
                        n(limit)
                    ),
                )
            }
            Refusal::CellLength { cell, limit } => (
                format!("单元格 {cell} 超过 {} 个字符的上限", n(limit)),
                format!(
                    "cell {cell} holds more than the limit of {} characters",
                    n(limit)
                ),
            ),
            Refusal::Text { limit } => (
                format!("全部单元格的文字超过上限 {limit}"),
                format!("the cells hold more text than the limit of {limit}"),
            ),
        };
        Msg::new(zh, en)
    }
}

/// An Excel cell reference, e.g. `B7` for row 6, column 1 (both from 0).
pub fn cell_name(row: usize, column: usize) -> String {
    let mut letters = Vec::new();
    let mut n = column + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row + 1).to_string()
}

/// A sheet built cell by cell within the limits. Empty cells are skipped (formatting that
/// spreadsheets leave behind is not data); row 0 is the header.
pub struct SheetBuilder<'l> {
    limits: &'l ImportLimits,
    rows: Vec<Vec<Cell>>,
    width: usize,
    text_bytes: usize,
}

impl<'l> SheetBuilder<'l> {
    /// An empty sheet bounded by `limits`.
    pub fn new(limits: &'l ImportLimits) -> Self {
        SheetBuilder {
            limits,
            rows: Vec::new(),
            width: 0,
            text_bytes: 0,
        }
    }

    /// Refuses a sheet whose declared extent (its last row and column, from 0) is past a limit.
    pub fn check_declared(&self, last_row: usize, last_column: usize) -> Result<(), AppError> {
        self.check_extent(last_row, last_column, true)
    }

    /// Refuses a row that holds more columns than allowed before its cells are read.
    pub fn check_row_width(&self, row: usize, columns: usize) -> Result<(), AppError> {
        self.check_extent(row, columns.saturating_sub(1), false)
    }

    fn check_extent(&self, row: usize, column: usize, declared: bool) -> Result<(), AppError> {
        let limits = self.limits;
        if row > limits.rows {
            return Err(refused(Refusal::Rows {
                found: row + 1,
                declared,
                limit: limits.rows,
            }));
        }
        if column >= limits.columns {
            return Err(refused(Refusal::Columns {
                found: column + 1,
                declared,
                limit: limits.columns,
            }));
        }
        let (rows, columns) = (row + 1, column + 1);
        if rows.saturating_mul(columns) > limits.cells {
            return Err(refused(Refusal::Cells {
                rows,
                columns,
                limit: limits.cells,
            }));
        }
        Ok(())
    }

    /// Checks a text before it is copied into the sheet.
    pub fn check_text(&mut self, row: usize, column: usize, text: &str) -> Result<(), AppError> {
        // a character is at most 4 bytes: only long texts need counting
        if text.len() > self.limits.cell_chars && text.chars().count() > self.limits.cell_chars {
            return Err(refused(Refusal::CellLength {
                cell: cell_name(row, column),
                limit: self.limits.cell_chars,
            }));
        }
        self.text_bytes += text.len();
        if self.text_bytes > self.limits.text_bytes {
            return Err(refused(Refusal::Text {
                limit: byte_size(self.limits.text_bytes),
            }));
        }
        Ok(())
    }

    /// Puts `cell` at `row`, `column` (texts already checked with [`Self::check_text`]).
    pub fn put(&mut self, row: usize, column: usize, cell: Cell) -> Result<(), AppError> {
        if cell.is_empty() {
            return Ok(());
        }
        let last_row = row.max(self.rows.len().saturating_sub(1));
        let last_column = column.max(self.width.saturating_sub(1));
        self.check_extent(row, column, false)?;
        self.check_extent(last_row, last_column, false)?;
        if self.rows.len() <= row {
            self.rows.resize_with(row + 1, Vec::new);
        }
        let cells = &mut self.rows[row];
        if cells.len() <= column {
            cells.resize(column + 1, Cell::Empty);
        }
        cells[column] = cell;
        self.width = self.width.max(column + 1);
        Ok(())
    }

    /// The sheet: the header row and the data rows below it.
    pub fn finish(self) -> Sheet {
        let mut rows = self.rows.into_iter();
        let headers = rows
            .next()
            .map(|r| r.iter().map(Cell::text).collect())
            .unwrap_or_default();
        Sheet {
            headers,
            rows: rows.collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_excel_names_them() {
        assert_eq!(cell_name(0, 0), "A1");
        assert_eq!(cell_name(6, 1), "B7");
        assert_eq!(cell_name(0, 25), "Z1");
        assert_eq!(cell_name(0, 26), "AA1");
        assert_eq!(cell_name(1_048_575, 16_383), "XFD1048576");
    }

    #[test]
    fn quotes_are_short() {
        assert_eq!(quote("短"), "短");
        let long = "长".repeat(100);
        assert_eq!(quote(&long).chars().count(), 41);
    }

    #[test]
    fn a_cell_past_a_limit_is_refused_with_the_limit_named() {
        let limits = ImportLimits {
            rows: 10,
            columns: 3,
            cells: 20,
            ..ImportLimits::default()
        };
        let message = |result: Result<(), AppError>| match result {
            Err(AppError::ImportRejected(rows)) => rows.shown[0].message.en.clone(),
            other => panic!("refused expected, got {other:?}"),
        };
        let mut sheet = SheetBuilder::new(&limits);
        assert!(message(sheet.put(11, 0, Cell::Number(1.0))).contains("12 rows; the limit is 11"));
        assert!(message(sheet.put(0, 3, Cell::Number(1.0))).contains("4 columns; the limit is 3"));
        sheet.put(0, 2, Cell::Number(1.0)).unwrap();
        sheet.put(5, 0, Cell::Number(1.0)).unwrap(); // 6 rows × 3 columns = 18
        sheet.put(9, 0, Cell::Empty).unwrap(); // empty cells are not data
        assert!(
            message(sheet.put(6, 1, Cell::Number(1.0)))
                .contains("7 rows × 3 columns = 21 cells; the limit is 20")
        );
        assert!(
            message(SheetBuilder::new(&limits).check_declared(1_048_575, 0))
                .contains("the sheet declares 1,048,576 rows; the limit is 11")
        );
        let short_cells = ImportLimits {
            cell_chars: 5,
            ..limits
        };
        let mut long = SheetBuilder::new(&short_cells);
        assert!(long.check_text(0, 0, "五个汉字啊").is_ok());
        assert!(message(long.check_text(6, 1, "六个汉字啊啊")).contains("cell B7"));
    }
}
