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
        let mut counter = PartCounter::new(name.ends_with("sharedStrings.xml"));
        counter
            .read_all(&mut part, limit)
            .map_err(|e| refused(Refusal::Unreadable(e.to_string())))?;
        if counter.bytes > limit {
            return Err(too_large());
        }
        // a sheet cannot use more distinct strings than it has cells
        if counter.strings > limits.cells {
            return Err(refused(Refusal::SharedStrings {
                found: counter.strings,
                limit: limits.cells,
            }));
        }
    }
    Ok(())
}

/// Counts a part's inflated bytes (reading at most one past the limit) and, for the shared
/// strings, its strings (`<si>` elements).
struct PartCounter {
    bytes: u64,
    strings: usize,
    count_strings: bool,
    tail: Vec<u8>,
}

impl PartCounter {
    fn new(count_strings: bool) -> Self {
        PartCounter {
            bytes: 0,
            strings: 0,
            count_strings,
            tail: Vec::new(),
        }
    }

    fn read_all(&mut self, part: &mut impl Read, limit: u64) -> std::io::Result<()> {
        let mut buf = vec![0u8; 64 << 10];
        while self.bytes <= limit {
            let n = part.read(&mut buf)?;
            if n == 0 {
                break;
            }
            self.bytes += n as u64;
            if self.count_strings {
                self.count(&buf[..n]);
            }
        }
        Ok(())
    }

    /// Counts `<si>` and `<si ` in `chunk`, including those that straddle the previous one.
    fn count(&mut self, chunk: &[u8]) {
        let mut window = std::mem::take(&mut self.tail);
        window.extend_from_slice(chunk);
        self.strings += memchr::memmem::find_iter(&window, b"<si")
            .filter(|&at| matches!(window.get(at + 3), Some(b'>' | b' ')))
            .count();
        // a match needs four bytes: one that starts in the last three is counted with the next
        let keep = window.len().min(3);
        self.tail = window.split_off(window.len() - keep);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_strings_are_counted_across_chunks() {
        let mut counter = PartCounter::new(true);
        for chunk in [
            &b"<sst><si><t>a</t></si><s"[..],
            b"i><t>b</t></si><si",
            b" x=\"1\"></si><si><t/>",
            b"</si></sst>",
        ] {
            counter.count(chunk);
        }
        assert_eq!(counter.strings, 4);
    }
}
