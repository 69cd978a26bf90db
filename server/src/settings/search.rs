//! The search index's settings (`IPOC_SEARCH_*`).

use std::path::Path;

use super::{SettingsError, invalid};
use crate::search::SearchSettings;

/// The search settings from `IPOC_SEARCH_*` (defaults for those missing).
pub fn from_lookup(
    get: &impl Fn(&str) -> Option<String>,
    data_dir: &Path,
) -> Result<SearchSettings, SettingsError> {
    let number = |key: &'static str, default: usize| -> Result<usize, SettingsError> {
        match get(key) {
            None => Ok(default),
            Some(raw) => match raw.trim().parse::<usize>() {
                Ok(v) if v > 0 => Ok(v),
                _ => Err(invalid(key, format!("'{raw}' is not a positive number"))),
            },
        }
    };
    Ok(SearchSettings {
        dir: get("IPOC_SEARCH_DIR")
            .map(Into::into)
            .unwrap_or_else(|| data_dir.join("search")),
        threads: number("IPOC_SEARCH_THREADS", 1)?,
        memory_mb: number("IPOC_SEARCH_MEMORY_MB", 64)?,
        poll_ms: number("IPOC_SEARCH_POLL_MS", 200)? as u64,
    })
}
