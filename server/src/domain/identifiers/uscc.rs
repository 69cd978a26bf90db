//! 统一社会信用代码 (GB 32100-2015).

use std::{fmt, str::FromStr};

use super::{InvalidIdentifier, serde_via_str};
use crate::i18n::Msg;

const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
const LENGTH: usize = 18;

/// A unified social credit code whose check character is verified, stored upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uscc(String);

/// Why a string is not a valid USCC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsccError {
    /// Not 18 characters long.
    Length(usize),
    /// A character outside the GB 32100 set, at a 1-based position.
    Character { character: char, position: usize },
    /// Well-formed, but the check character does not match.
    CheckCharacter { expected: char, given: char },
}

impl UsccError {
    /// The bilingual message naming what is wrong.
    pub fn message(&self) -> Msg {
        match self {
            UsccError::Length(n) => Msg::new(
                format!("统一社会信用代码应为 18 位，实际为 {n} 位"),
                format!("a unified social credit code has 18 characters, not {n}"),
            ),
            UsccError::Character {
                character,
                position,
            } => Msg::new(
                format!("第 {position} 位字符“{character}”不是统一社会信用代码允许的字符"),
                format!(
                    "character '{character}' at position {position} is not allowed in a unified social credit code"
                ),
            ),
            // never say which character would pass: a typo elsewhere would be "fixed" by changing
            // the last character to it
            UsccError::CheckCharacter { .. } => Msg::new(
                "统一社会信用代码有误：校验位与前 17 位不符，请对照营业执照等证照核对整个代码",
                "the unified social credit code is wrong: its check character does not match the first 17 characters; compare the whole code with the licence",
            ),
        }
    }
}

fn char_value(c: u8) -> Option<u32> {
    CHARSET.iter().position(|&x| x == c).map(|i| i as u32)
}

/// The check character GB 32100 computes for the first 17 characters (already upper case).
fn check_character(body: &[u8]) -> Option<char> {
    let mut sum = 0u32;
    for (byte, weight) in body.iter().zip(WEIGHTS) {
        sum += char_value(*byte)? * weight;
    }
    let index = (31 - sum % 31) % 31;
    Some(char::from(CHARSET[index as usize]))
}

impl Uscc {
    /// Parses a code, verifying length, character set and check character.
    pub fn parse(raw: &str) -> Result<Self, UsccError> {
        let (code, shape) = Self::parse_shape(raw)?;
        let body = &code.as_bytes()[..LENGTH - 1];
        let given = char::from(code.as_bytes()[LENGTH - 1]);
        match check_character(body) {
            Some(expected) if expected == given => Ok(Uscc(code)),
            Some(expected) => Err(UsccError::CheckCharacter { expected, given }),
            None => Err(shape),
        }
    }

    /// Parses a code whose only fault may be its check character (the admin override for early
    /// pilot codes); length and character set are still enforced.
    pub fn parse_allowing_check_failure(raw: &str) -> Result<(Self, bool), UsccError> {
        match Self::parse(raw) {
            Ok(code) => Ok((code, false)),
            Err(UsccError::CheckCharacter { .. }) => {
                let (code, _) = Self::parse_shape(raw)?;
                Ok((Uscc(code), true))
            }
            Err(other) => Err(other),
        }
    }

    fn parse_shape(raw: &str) -> Result<(String, UsccError), UsccError> {
        let code = raw.trim().to_uppercase();
        let count = code.chars().count();
        if count != LENGTH {
            return Err(UsccError::Length(count));
        }
        if let Some((index, character)) = code
            .chars()
            .enumerate()
            .find(|(_, c)| !c.is_ascii() || char_value(*c as u8).is_none())
        {
            return Err(UsccError::Character {
                character,
                position: index + 1,
            });
        }
        Ok((code, UsccError::Length(count)))
    }

    /// The canonical (upper-case) code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Uscc {
    type Err = InvalidIdentifier;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Uscc::parse(s).map_err(|e| InvalidIdentifier(e.message()))
    }
}

impl TryFrom<&str> for Uscc {
    type Error = InvalidIdentifier;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        s.parse()
    }
}

serde_via_str!(Uscc);

/// Completes 17 characters with their check character (used by demo and seed data).
pub fn with_check_character(body: &str) -> Option<Uscc> {
    let body = body.to_uppercase();
    if body.len() != LENGTH - 1 {
        return None;
    }
    let check = check_character(body.as_bytes())?;
    Some(Uscc(format!("{body}{check}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_the_gb_example_and_normalizes() {
        assert_eq!(
            Uscc::parse("91110000600037341L").map(|u| u.0),
            Ok("91110000600037341L".into())
        );
        assert_eq!(
            Uscc::parse("  91110000600037341l ").map(|u| u.0),
            Ok("91110000600037341L".into())
        );
    }

    #[test]
    fn names_each_kind_of_error() {
        assert_eq!(
            Uscc::parse("91110000600037341N"),
            Err(UsccError::CheckCharacter {
                expected: 'L',
                given: 'N'
            })
        );
        assert_eq!(Uscc::parse("9111000060003734"), Err(UsccError::Length(16)));
        assert_eq!(
            Uscc::parse("91110000I00037341L"),
            Err(UsccError::Character {
                character: 'I',
                position: 9
            })
        );
        assert_eq!(
            Uscc::parse("9111000060003734中L"),
            Err(UsccError::Character {
                character: '中',
                position: 17
            })
        );
        assert!(
            Uscc::parse("91110000600037341N")
                .unwrap_err()
                .message()
                .zh
                .contains("校验位")
        );
    }

    #[test]
    fn override_accepts_only_a_failing_check_character() {
        assert_eq!(
            Uscc::parse_allowing_check_failure("91110000600037341N").map(|(u, o)| (u.0, o)),
            Ok(("91110000600037341N".into(), true))
        );
        assert!(Uscc::parse_allowing_check_failure("91110000600037341").is_err());
        assert!(Uscc::parse_allowing_check_failure("O1110000600037341L").is_err());
    }

    proptest! {
        #[test]
        fn valid_codes_survive_format_then_parse(body in "[0-9A-HJ-NP-RTUW-Y]{17}") {
            let code = with_check_character(&body).unwrap();
            prop_assert_eq!(Uscc::parse(&code.to_string()), Ok(code.clone()));
            prop_assert_eq!(Uscc::parse(&code.to_string().to_lowercase()), Ok(code));
        }
    }
}
