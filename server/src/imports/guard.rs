//! Before a workbook is opened: every part of the .xlsx (a zip archive) is inflated once into
//! nothing while it is measured, so that what calamine later holds is bounded whatever the
//! archive's headers claim (the zip reader itself refuses a part that inflates past its claim).
//! A part is refused past its inflated limit; an XML part with a run of
//! text or a tag longer than any cell may hold (the XML reader buffers one run whole); the shared
//! strings — held in memory while the sheet is read — past the cell count or twice the text
//! limit. Each check stops reading at its limit and keeps nothing of what it read.

use std::io::{Cursor, Read};

use super::bounds::{Refusal, refused};
use crate::{error::AppError, i18n::byte_size, settings::ImportLimits};

/// More parts than any spreadsheet has (a workbook of a few sheets has about fifteen).
const MAX_PARTS: usize = 10_000;

/// Bytes a run of XML may take per character of a cell: a character escaped as `&#x10FFFF;`.
const BYTES_PER_CHAR: usize = 10;

/// Room for a run's markup besides its text (a tag with its attributes).
const RUN_SLACK: usize = 4 << 10;

/// Checks that the archive opens, has at most [`MAX_PARTS`] parts, and that each part is within
/// the limits above.
pub fn check_workbook(bytes: &[u8], limits: &ImportLimits) -> Result<(), AppError> {
    let unreadable = |e: &dyn std::fmt::Display| refused(Refusal::Unreadable(e.to_string()));
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    if archive.len() > MAX_PARTS {
        return Err(refused(Refusal::Parts {
            found: archive.len(),
            limit: MAX_PARTS,
        }));
    }
    for index in 0..archive.len() {
        let mut part = archive.by_index(index).map_err(|e| unreadable(&e))?;
        let name: String = part
            .name()
            .map(|n| n.chars().take(60).collect())
            .unwrap_or_default();
        let shared_strings = name.ends_with("sharedStrings.xml");
        let limit = if shared_strings {
            limits.part_bytes.min(limits.text_bytes.saturating_mul(2))
        } else {
            limits.part_bytes
        };
        let too_large = || {
            refused(Refusal::Part {
                name: name.clone(),
                limit: byte_size(limit),
            })
        };
        if part.size() > limit as u64 {
            return Err(too_large());
        }
        let mut measure = Measure::new(shared_strings, name.ends_with(".xml"));
        measure
            .read_all(&mut part, limit as u64)
            .map_err(|e| unreadable(&e))?;
        if measure.bytes > limit as u64 {
            return Err(too_large());
        }
        let run_limit = limits.cell_chars * BYTES_PER_CHAR + RUN_SLACK;
        if measure.longest_run > run_limit {
            return Err(refused(Refusal::Run {
                name: name.clone(),
                limit: limits.cell_chars,
            }));
        }
        // a sheet cannot use more distinct strings than it has cells
        if measure.strings > limits.cells {
            return Err(refused(Refusal::SharedStrings {
                found: measure.strings,
                limit: limits.cells,
            }));
        }
    }
    Ok(())
}

/// What is measured of one part while it is inflated.
struct Measure {
    /// Inflated bytes (at most one past the limit are read).
    bytes: u64,
    /// For the shared strings: their number (`<si>` elements).
    strings: usize,
    count_strings: bool,
    /// For XML: the longest run of bytes without a `<`, and the current one.
    longest_run: usize,
    run: usize,
    xml: bool,
    tail: Vec<u8>,
}

impl Measure {
    fn new(count_strings: bool, xml: bool) -> Self {
        Measure {
            bytes: 0,
            strings: 0,
            count_strings,
            longest_run: 0,
            run: 0,
            xml,
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
            if self.xml {
                self.runs(&buf[..n]);
            }
            if self.count_strings {
                self.count(&buf[..n]);
            }
        }
        Ok(())
    }

    /// Follows the runs between `<` across chunks.
    fn runs(&mut self, chunk: &[u8]) {
        let mut from = 0;
        for at in memchr::memchr_iter(b'<', chunk) {
            self.longest_run = self.longest_run.max(self.run + at - from);
            self.run = 0;
            from = at + 1;
        }
        self.run += chunk.len() - from;
        self.longest_run = self.longest_run.max(self.run);
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
        let mut measure = Measure::new(true, true);
        for chunk in [
            &b"<sst><si><t>a</t></si><s"[..],
            b"i><t>b</t></si><si",
            b" x=\"1\"></si><si><t/>",
            b"</si></sst>",
        ] {
            measure.count(chunk);
        }
        assert_eq!(measure.strings, 4);
    }

    #[test]
    fn the_longest_run_without_markup_is_followed_across_chunks() {
        let mut measure = Measure::new(false, true);
        for chunk in [&b"<t>abc"[..], b"defgh", b"ij</t><v>1</v>"] {
            measure.runs(chunk);
        }
        assert_eq!(measure.longest_run, "t>abcdefghij".len());
    }
}
