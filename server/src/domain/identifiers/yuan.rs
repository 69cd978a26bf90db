//! Money in yuan: exact, two decimal places, non-negative, held as integer fen.

use std::{fmt, str::FromStr};

use super::{InvalidIdentifier, serde_via_str};
use crate::i18n::Msg;

/// An exact non-negative amount of yuan, stored as fen (1/100 yuan).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Yuan(i64);

impl Yuan {
    /// The amount from integer fen (as stored in the database); negative values are refused.
    pub fn from_fen(fen: i64) -> Option<Self> {
        (fen >= 0).then_some(Yuan(fen))
    }

    /// The amount from whole yuan (for rulebook defaults and demo data).
    pub const fn from_yuan(yuan: i64) -> Self {
        Yuan(yuan * 100)
    }

    /// The amount in fen.
    pub fn fen(self) -> i64 {
        self.0
    }

    /// Exact sum; `None` on overflow.
    pub fn checked_add(self, other: Yuan) -> Option<Yuan> {
        self.0.checked_add(other.0).map(Yuan)
    }

    /// The amount written in 万元 with two places and thousands separators, e.g. `500.00`.
    pub fn format_wan(self) -> String {
        // one hundredth of 万元 is 100 yuan, i.e. 10,000 fen; round half up
        let hundredths = (self.0 + 5_000) / 10_000;
        group_thousands(hundredths / 100, hundredths % 100)
    }

    /// The amount in yuan with thousands separators, e.g. `4,999,999.99`.
    pub fn format_grouped(self) -> String {
        group_thousands(self.0 / 100, self.0 % 100)
    }

    /// Parses `"1234.5"`, `"1234.50"` or `"1,234.50"`: digits (grouped by thousands with commas,
    /// or not at all), at most two decimals; no sign, exponent or blanks.
    pub fn parse(raw: &str) -> Result<Self, InvalidIdentifier> {
        let refuse = || {
            let raw = crate::i18n::quote(raw);
            InvalidIdentifier(Msg::new(
                format!("金额“{raw}”格式不正确：应为非负数，最多两位小数，如 1234.50"),
                format!(
                    "amount '{raw}' is malformed: a non-negative number with at most two decimals, like 1234.50"
                ),
            ))
        };
        let (whole, decimals) = raw.split_once('.').unwrap_or((raw, ""));
        let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        let whole = ungrouped(whole).ok_or_else(refuse)?;
        if whole.is_empty() || !digits_only(&whole) || !digits_only(decimals) || decimals.len() > 2
        {
            return Err(refuse());
        }
        if raw.contains('.') && decimals.is_empty() {
            return Err(refuse());
        }
        let whole: i64 = whole.parse().map_err(|_| refuse())?;
        let cents: i64 = format!("{decimals:0<2}").parse().map_err(|_| refuse())?;
        whole
            .checked_mul(100)
            .and_then(|fen| fen.checked_add(cents))
            .map(Yuan)
            .ok_or_else(refuse)
    }
}

/// `whole` without its thousands separators, when it has none or every group after the first
/// has three digits (`1,700,000`); `None` for a comma anywhere else (`1,00`, `10,00,000`).
fn ungrouped(whole: &str) -> Option<String> {
    if !whole.contains(',') {
        return Some(whole.to_string());
    }
    let mut groups = whole.split(',');
    let first = groups.next()?;
    let rest: Vec<&str> = groups.collect();
    let fits = (1..=3).contains(&first.len()) && rest.iter().all(|g| g.len() == 3);
    fits.then(|| std::iter::once(first).chain(rest).collect())
}

fn group_thousands(whole: i64, cents: i64) -> String {
    format!("{}.{cents:02}", crate::i18n::thousands(whole))
}

impl fmt::Display for Yuan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl FromStr for Yuan {
    type Err = InvalidIdentifier;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Yuan::parse(s)
    }
}

impl TryFrom<&str> for Yuan {
    type Error = InvalidIdentifier;
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Yuan::parse(s)
    }
}

serde_via_str!(Yuan);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_exact_amounts() {
        assert_eq!(Yuan::parse("1234.50").unwrap().fen(), 123_450);
        assert_eq!(Yuan::parse("1234.5").unwrap().to_string(), "1234.50");
        assert_eq!(Yuan::parse("0").unwrap().to_string(), "0.00");
        assert_eq!(
            Yuan::parse("4999999.99").unwrap().format_grouped(),
            "4,999,999.99"
        );
        assert_eq!(Yuan::parse("5000000").unwrap().format_wan(), "500.00");
        assert_eq!(
            Yuan::parse("1,700,000").unwrap().fen(),
            170_000_000,
            "as people write it"
        );
        assert_eq!(Yuan::parse("1,234.50").unwrap().fen(), 123_450);
        assert_eq!(
            Yuan::parse("99999999999999.99").unwrap().fen(),
            9_999_999_999_999_999
        );
    }

    #[test]
    fn refuses_what_is_not_exact() {
        for raw in [
            "1.001",
            "-1",
            "1e3",
            "",
            ".5",
            "1.",
            " 1",
            "1,00",
            "10,00,000",
            ",100",
            "1,,000",
            "1000,000",
            "+1",
            "abc",
            "99999999999999999999",
        ] {
            assert!(Yuan::parse(raw).is_err(), "{raw}");
        }
        assert!(serde_json::from_str::<Yuan>("1000").is_err());
        assert_eq!(
            serde_json::from_str::<Yuan>("\"1000\"").unwrap().fen(),
            100_000
        );
        assert_eq!(
            serde_json::to_string(&Yuan::from_yuan(5)).unwrap(),
            "\"5.00\""
        );
    }

    proptest! {
        #[test]
        fn amounts_survive_format_then_parse(fen in 0i64..=i64::MAX / 2) {
            let amount = Yuan::from_fen(fen).unwrap();
            prop_assert_eq!(Yuan::parse(&amount.to_string()), Ok(amount));
            prop_assert_eq!(Yuan::parse(&amount.format_grouped()), Ok(amount));
        }
    }
}
