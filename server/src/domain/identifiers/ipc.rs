//! International Patent Classification symbols.

use std::{fmt, str::FromStr};

use super::{InvalidIdentifier, serde_via_str};
use crate::i18n::{Msg, quote};

/// An IPC group symbol in canonical form `H01S 3/00`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IpcCode(String);

impl IpcCode {
    /// Parses a symbol: section A–H, two-digit class, subclass letter, main group of 1–4 digits,
    /// `/`, subgroup of 2–6 digits; a version tag such as `(2006.01)` is stripped.
    pub fn parse(raw: &str) -> Result<Self, InvalidIdentifier> {
        let without_version = match raw.find('(') {
            Some(i) if raw.trim_end().ends_with(')') => &raw[..i],
            _ => raw,
        };
        let compact: String = without_version
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        Self::from_compact(&compact).ok_or_else(|| {
            let raw = quote(raw.trim());
            InvalidIdentifier(Msg::new(
                format!("IPC 分类号“{raw}”格式不正确，应形如 H01S 3/00"),
                format!("IPC code '{raw}' is malformed; expected a form like H01S 3/00"),
            ))
        })
    }

    fn from_compact(s: &str) -> Option<Self> {
        let bytes = s.as_bytes();
        if bytes.len() < 4 || !(b'A'..=b'H').contains(&bytes[0]) {
            return None;
        }
        if !bytes[1].is_ascii_digit()
            || !bytes[2].is_ascii_digit()
            || !bytes[3].is_ascii_uppercase()
        {
            return None;
        }
        let (main, sub) = s[4..].split_once('/')?;
        let digits = |x: &str, min: usize, max: usize| {
            (min..=max).contains(&x.len()) && x.chars().all(|c| c.is_ascii_digit())
        };
        if !digits(main, 1, 4) || !digits(sub, 2, 6) {
            return None;
        }
        let main = main.trim_start_matches('0');
        let main = if main.is_empty() { "0" } else { main };
        Some(IpcCode(format!("{} {}/{}", &s[..4], main, sub)))
    }

    /// The canonical symbol.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IpcCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for IpcCode {
    type Err = InvalidIdentifier;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        IpcCode::parse(s)
    }
}

impl TryFrom<&str> for IpcCode {
    type Error = InvalidIdentifier;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        IpcCode::parse(s)
    }
}

serde_via_str!(IpcCode);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn valid_and_normalized() {
        assert_eq!(IpcCode::parse("H01S 3/00").unwrap().as_str(), "H01S 3/00");
        assert_eq!(
            IpcCode::parse("C07D 498/04").unwrap().as_str(),
            "C07D 498/04"
        );
        assert_eq!(
            IpcCode::parse("c07d498/04").unwrap().as_str(),
            "C07D 498/04"
        );
        assert_eq!(
            IpcCode::parse("G06F 16/3344 (2019.01)").unwrap().as_str(),
            "G06F 16/3344"
        );
        assert_eq!(
            IpcCode::parse("H01S3/00(2006.01)").unwrap().as_str(),
            "H01S 3/00"
        );
    }

    #[test]
    fn refuses_malformed() {
        for raw in [
            "I01S 3/00",
            "H1S 3/00",
            "H01S3/0",
            "H01S 12345/00",
            "H01S 3/1234567",
            "H01S 3",
            "H01s",
            "",
        ] {
            assert!(IpcCode::parse(raw).is_err(), "{raw}");
        }
    }

    proptest! {
        #[test]
        fn valid_codes_survive_format_then_parse(code in "[A-H][0-9]{2}[A-Z] [1-9][0-9]{0,3}/[0-9]{2,6}") {
            let parsed = IpcCode::parse(&code).unwrap();
            prop_assert_eq!(IpcCode::parse(&parsed.to_string()), Ok(parsed));
        }
    }
}
