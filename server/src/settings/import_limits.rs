//! The bounds of spreadsheet imports (`IPOC_IMPORT_*`).

use super::{SettingsError, invalid};

/// The bounds of every spreadsheet import, checked before and while a file is read, so that
/// any file they admit is read within a known memory and a refused one costs milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportLimits {
    /// `IPOC_IMPORT_MAX_MB`: the largest uploaded file, default 20 MiB (413 `too_large` above).
    pub upload_bytes: usize,
    /// `IPOC_IMPORT_MAX_INFLATED_MB`: the largest part of an .xlsx once decompressed, default
    /// 256 MiB (the sheet is streamed: this bounds the time spent reading it; the shared strings,
    /// held in memory, are further bounded by twice the text limit).
    pub part_bytes: usize,
    /// `IPOC_IMPORT_MAX_ROWS`: data rows below the header, default 200,000.
    pub rows: usize,
    /// `IPOC_IMPORT_MAX_COLUMNS`: columns, default 64.
    pub columns: usize,
    /// `IPOC_IMPORT_MAX_CELLS`: rows × columns of the sheet's used range, default 2,000,000.
    pub cells: usize,
    /// `IPOC_IMPORT_MAX_CELL_CHARS`: characters in one cell, default 4,000.
    pub cell_chars: usize,
    /// `IPOC_IMPORT_MAX_TEXT_MB`: the text of all cells together, default 32 MiB (an .xlsx's
    /// shared strings may take twice this, markup included).
    pub text_bytes: usize,
    /// `IPOC_IMPORT_ERRORS_SHOWN`: the bad cells listed in a rejection (all are counted),
    /// default 1,000.
    pub errors_shown: usize,
    /// `IPOC_IMPORT_SYNC_ROWS`: an inventory of at most this many rows is imported while the
    /// caller waits (201); a longer one runs in the background (202), default 1,000.
    pub sync_rows: usize,
}

impl Default for ImportLimits {
    fn default() -> Self {
        ImportLimits {
            upload_bytes: 20 << 20,
            part_bytes: 256 << 20,
            rows: 200_000,
            columns: 64,
            cells: 2_000_000,
            cell_chars: 4_000,
            text_bytes: 32 << 20,
            errors_shown: 1_000,
            sync_rows: 1_000,
        }
    }
}

impl ImportLimits {
    /// The limits from `IPOC_IMPORT_*` (defaults for those missing), each positive.
    pub fn from_lookup(
        get: &impl Fn(&str) -> Option<String>,
    ) -> Result<ImportLimits, SettingsError> {
        let defaults = ImportLimits::default();
        let limit =
            |key: &'static str, default: usize, unit: usize| -> Result<usize, SettingsError> {
                let value = match get(key) {
                    None => return Ok(default),
                    Some(raw) => raw
                        .trim()
                        .parse::<usize>()
                        .map_err(|_| invalid(key, format!("'{raw}' is not a number")))?,
                };
                match value.checked_mul(unit) {
                    Some(v) if v > 0 => Ok(v),
                    _ => Err(invalid(key, "must be a positive number")),
                }
            };
        Ok(ImportLimits {
            upload_bytes: limit("IPOC_IMPORT_MAX_MB", defaults.upload_bytes, 1 << 20)?,
            part_bytes: limit("IPOC_IMPORT_MAX_INFLATED_MB", defaults.part_bytes, 1 << 20)?,
            rows: limit("IPOC_IMPORT_MAX_ROWS", defaults.rows, 1)?,
            columns: limit("IPOC_IMPORT_MAX_COLUMNS", defaults.columns, 1)?,
            cells: limit("IPOC_IMPORT_MAX_CELLS", defaults.cells, 1)?,
            cell_chars: limit("IPOC_IMPORT_MAX_CELL_CHARS", defaults.cell_chars, 1)?,
            text_bytes: limit("IPOC_IMPORT_MAX_TEXT_MB", defaults.text_bytes, 1 << 20)?,
            errors_shown: limit("IPOC_IMPORT_ERRORS_SHOWN", defaults.errors_shown, 1)?,
            sync_rows: limit("IPOC_IMPORT_SYNC_ROWS", defaults.sync_rows, 1)?,
        })
    }
}
