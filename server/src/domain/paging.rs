//! List paging as `api.md` defines it: `?page=1&per_page=50`, at most 200 per page.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::{error::AppError, i18n::Msg};

/// Largest page a list returns.
pub const MAX_PER_PAGE: u64 = 200;
/// Highest page number a list is asked for (beyond the last page a list answers no items).
pub const MAX_PAGE: u64 = 1_000_000;
const DEFAULT_PER_PAGE: u64 = 50;

/// Which page of a list to return.
#[derive(Debug, Clone, Copy, Deserialize, IntoParams)]
pub struct PageQuery {
    /// 1-based page number (default 1).
    pub page: Option<u64>,
    /// Rows per page (default 50, at most 200).
    pub per_page: Option<u64>,
}

impl PageQuery {
    /// The page and size, refusing (422) a page outside 1..=1,000,000 or a size outside 1..=200.
    pub fn resolve(self) -> Result<(u64, u64), AppError> {
        let page = self.page.unwrap_or(1);
        let per_page = self.per_page.unwrap_or(DEFAULT_PER_PAGE);
        if page == 0 || page > MAX_PAGE {
            return Err(AppError::field(
                "page",
                Msg::new(
                    format!("页码应在 1 到 {MAX_PAGE} 之间"),
                    format!("page must be between 1 and {MAX_PAGE}"),
                ),
            ));
        }
        if per_page == 0 || per_page > MAX_PER_PAGE {
            return Err(AppError::field(
                "per_page",
                Msg::new(
                    format!("每页条数应在 1 到 {MAX_PER_PAGE} 之间"),
                    format!("per_page must be between 1 and {MAX_PER_PAGE}"),
                ),
            ));
        }
        Ok((page, per_page))
    }
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

/// The file format of a download (`?format=xlsx|csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Xlsx,
    Csv,
}
