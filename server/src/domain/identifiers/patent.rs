//! 专利申请号 (CNIPA application numbers).

use std::{fmt, str::FromStr};

use super::{InvalidIdentifier, serde_via_str};
use crate::i18n::{Msg, quote};

/// The kind of right a post-2003 application number names (its fifth digit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatentKind {
    Invention,
    UtilityModel,
    Design,
    Pct,
    /// Numbers before 2003 do not carry their kind in this form.
    Unknown,
}

/// A validated application number, canonical form `201710601862.3` or `95115608.X`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PatentNumber(String);

fn invalid(zh: impl Into<String>, en: impl Into<String>) -> InvalidIdentifier {
    InvalidIdentifier(Msg::new(zh, en))
}

fn check_digit(digits: &[u32]) -> char {
    let sum: u32 = digits
        .iter()
        .zip((2..=9).chain(2..=5))
        .map(|(d, w)| d * w)
        .sum();
    match sum % 11 {
        10 => 'X',
        r => char::from_digit(r, 10).unwrap_or('0'),
    }
}

impl PatentNumber {
    /// Parses an application number, normalizing `ZL`/`CN` prefixes, blanks and a missing dot, and
    /// verifies its mod-11 check digit.
    pub fn parse(raw: &str) -> Result<Self, InvalidIdentifier> {
        let mut cleaned: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        for prefix in ["ZL", "CN"] {
            if let Some(rest) = cleaned.strip_prefix(prefix) {
                cleaned = rest.to_string();
            }
        }
        let (body, given) = match cleaned.split_once('.') {
            Some((body, check)) => (body.to_string(), check.to_string()),
            None if cleaned.chars().count() >= 2 => {
                // the last character, whatever its width in bytes
                let at = cleaned.char_indices().last().map_or(0, |(i, _)| i);
                let (body, check) = cleaned.split_at(at);
                (body.to_string(), check.to_string())
            }
            None => (cleaned.clone(), String::new()),
        };
        if !body.chars().all(|c| c.is_ascii_digit()) || !(body.len() == 12 || body.len() == 8) {
            return Err(invalid(
                format!(
                    "专利申请号“{}”格式不正确：应为 12 位或 8 位数字加校验位",
                    quote(raw.trim())
                ),
                format!(
                    "patent application number '{}' is malformed: expected 12 or 8 digits and a check character",
                    quote(raw.trim())
                ),
            ));
        }
        let digits: Vec<u32> = body.chars().filter_map(|c| c.to_digit(10)).collect();
        if body.len() == 12 {
            let type_digit = digits[4];
            if !matches!(type_digit, 1 | 2 | 3 | 8 | 9) {
                return Err(invalid(
                    format!(
                        "专利申请号第 5 位（专利类型）应为 1、2、3、8 或 9，实际为 {type_digit}"
                    ),
                    format!(
                        "the fifth digit (patent type) must be 1, 2, 3, 8 or 9, not {type_digit}"
                    ),
                ));
            }
        }
        let expected = check_digit(&digits);
        let given_char = given.chars().next();
        if given.chars().count() != 1 || given_char != Some(expected) {
            let given = quote(&given);
            // never say which character would pass (a typo elsewhere would be "fixed" with it)
            return Err(invalid(
                format!(
                    "专利申请号有误：校验位“{given}”与号码不符，请对照专利证书或受理通知书核对整个号码"
                ),
                format!(
                    "the patent application number is wrong: its check character '{given}' does not match the number; compare the whole number with the certificate"
                ),
            ));
        }
        Ok(PatentNumber(format!("{body}.{expected}")))
    }

    /// Completes a 12- or 8-digit body with its check character (seed data).
    pub fn from_body(body: &str) -> Option<PatentNumber> {
        let digits: Vec<u32> = body
            .chars()
            .map(|c| c.to_digit(10))
            .collect::<Option<_>>()?;
        PatentNumber::parse(&format!("{body}.{}", check_digit(&digits))).ok()
    }

    /// The kind of right named by the number (post-2003 form only).
    pub fn kind(&self) -> PatentKind {
        let bytes = self.0.as_bytes();
        if self.0.len() != 14 {
            return PatentKind::Unknown;
        }
        match bytes[4] {
            b'1' => PatentKind::Invention,
            b'2' => PatentKind::UtilityModel,
            b'3' => PatentKind::Design,
            _ => PatentKind::Pct,
        }
    }

    /// The canonical number.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PatentNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for PatentNumber {
    type Err = InvalidIdentifier;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PatentNumber::parse(s)
    }
}

impl TryFrom<&str> for PatentNumber {
    type Error = InvalidIdentifier;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        PatentNumber::parse(s)
    }
}

serde_via_str!(PatentNumber);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn valid_examples() {
        assert_eq!(
            PatentNumber::parse("201710601862.3").unwrap().as_str(),
            "201710601862.3"
        );
        assert_eq!(
            PatentNumber::parse("95115608.X").unwrap().as_str(),
            "95115608.X"
        );
        assert_eq!(
            PatentNumber::parse("95115608.x").unwrap().as_str(),
            "95115608.X"
        );
        assert_eq!(
            PatentNumber::parse("201710601862.3").unwrap().kind(),
            PatentKind::Invention
        );
    }

    #[test]
    fn normalizes_prefixes_blanks_and_missing_dot() {
        for raw in [
            "ZL 2017 1 0601862.3",
            "CN201710601862.3",
            "2017106018623",
            "zl201710601862.3",
        ] {
            assert_eq!(
                PatentNumber::parse(raw).unwrap().as_str(),
                "201710601862.3",
                "{raw}"
            );
        }
    }

    #[test]
    fn refuses_bad_numbers() {
        for raw in [
            "201710601862.4",
            "2017106018.3",
            "201740601862.3",
            "95115608.1",
            "",
            "abc",
            "201710601862.33",
            "不是专利号",
            "20171060186号",
            "2017106018623专",
        ] {
            assert!(PatentNumber::parse(raw).is_err(), "{raw}");
        }
        let err = PatentNumber::parse("201710601862.4").unwrap_err();
        assert!(
            err.0.en.contains("check character '4' does not match"),
            "{}",
            err.0.en
        );
        assert!(
            !err.0.zh.contains("应为"),
            "never which character would pass"
        );
    }

    proptest! {
        #[test]
        fn any_text_is_parsed_or_refused_never_a_panic(raw in "\\PC{0,30}") {
            let _ = PatentNumber::parse(&raw);
            let _ = super::super::IpcCode::parse(&raw);
            let _ = super::super::RegionCode::parse(&raw);
            let _ = super::super::Uscc::parse(&raw);
            let _ = super::super::Yuan::parse(&raw);
        }

        #[test]
        fn valid_numbers_survive_format_then_parse(year in 2003u32..2030, kind in prop::sample::select(vec![1u32, 2, 3, 8, 9]), serial in 0u32..10_000_000) {
            let body = format!("{year}{kind}{serial:07}");
            let digits: Vec<u32> = body.chars().filter_map(|c| c.to_digit(10)).collect();
            let number = PatentNumber::parse(&format!("{body}.{}", check_digit(&digits))).unwrap();
            prop_assert_eq!(PatentNumber::parse(&number.to_string()), Ok(number));
        }
    }
}
