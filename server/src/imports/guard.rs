//! Before a workbook is opened: every part of the .xlsx (a zip archive) is inflated once into
//! nothing while its bytes are counted, so a part that would inflate past the limit — whatever
//! its header claims — is refused after reading at most the limit, without holding any of it.

use std::io::{Cursor, Read};

use super::bounds::{Refusal, refused};
use crate::{error::AppError, i18n::byte_size, settings::ImportLimits};

/// More parts than any spreadsheet has (a workbook of a few sheets has about fifteen).
const MAX_PARTS: usize = 10_000;

/// Checks that the archive opens, has at most [`MAX_PARTS`] parts, and that each part inflates
/// to at most `limits.part_bytes`.
pub fn check_workbook(bytes: &[u8], limits: &ImportLimits) -> Result<(), AppError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| refused(Refusal::Unreadable(e.to_string())))?;
    if archive.len() > MAX_PARTS {
        return Err(refused(Refusal::Parts {
            found: archive.len(),
            limit: MAX_PARTS,
        }));
    }
    let limit = limits.part_bytes as u64;
    for index in 0..archive.len() {
        let mut part = archive
            .by_index(index)
            .map_err(|e| refused(Refusal::Unreadable(e.to_string())))?;
        let name: String = part
            .name()
            .map(|n| n.chars().take(60).collect())
            .unwrap_or_default();
        let too_large = || {
            refused(Refusal::Part {
                name: name.clone(),
                limit: byte_size(limits.part_bytes),
            })
        };
        if part.size() > limit {
            return Err(too_large());
        }
        let inflated = std::io::copy(&mut (&mut part).take(limit + 1), &mut std::io::sink())
            .map_err(|e| refused(Refusal::Unreadable(e.to_string())))?;
        if inflated > limit {
            return Err(too_large());
        }
    }
    Ok(())
}
