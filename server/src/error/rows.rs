//! The bad cells of a rejected import, counted in full and shown in part.

use serde::Serialize;
use utoipa::ToSchema;

use super::AppError;
use crate::i18n::Msg;

/// One bad cell of a rejected import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub message: Msg,
}

/// The bad cells of a rejected import: all of them counted, the first `cap` kept to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowErrors {
    pub shown: Vec<RowError>,
    pub total: usize,
    cap: usize,
}

impl RowErrors {
    /// An empty list that keeps at most `cap` errors (and counts the rest).
    pub fn with_cap(cap: usize) -> RowErrors {
        RowErrors {
            shown: Vec::new(),
            total: 0,
            cap,
        }
    }

    /// One error for the whole file (row 1: the header or the file itself).
    pub fn file(message: Msg) -> RowErrors {
        let mut errors = RowErrors::with_cap(1);
        errors.push(RowError {
            row: 1,
            column: String::new(),
            message,
        });
        errors
    }

    /// The errors kept of an earlier refusal, and how many there were.
    pub fn from_parts(shown: Vec<RowError>, total: usize) -> RowErrors {
        let cap = shown.len();
        RowErrors { shown, total, cap }
    }

    /// Counts `error` and keeps it while fewer than the cap are kept.
    pub fn push(&mut self, error: RowError) {
        self.total += 1;
        if self.shown.len() < self.cap {
            self.shown.push(error);
        }
    }

    /// Whether no error was counted.
    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// `Ok(value)` when no error was counted, else the rejection.
    pub fn into_result<T>(self, value: T) -> Result<T, AppError> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(AppError::ImportRejected(self))
        }
    }
}

/// One bad cell as the error body shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RowErrorBody {
    pub row: usize,
    pub column: String,
    pub message: String,
}
