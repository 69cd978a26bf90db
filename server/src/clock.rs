//! The one source of "today" for domain dates.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// China Standard Time, in which a domain date's "today" is read.
fn china_standard_time() -> FixedOffset {
    match FixedOffset::east_opt(8 * 3600) {
        Some(offset) => offset,
        None => unreachable!("UTC+8 is a valid offset"),
    }
}

/// The instant `at` in China Standard Time, to the minute (`2026-11-21 10:00`).
pub fn china_minute(at: DateTime<Utc>) -> String {
    at.with_timezone(&china_standard_time())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The calendar date in China Standard Time at the instant `at`.
pub fn china_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&china_standard_time()).date_naive()
}

/// The application's clock: the system time, or an instant fixed by `IPOC_NOW`.
/// It governs domain dates only; token expiry and rate limits read the real time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    System,
    Fixed(DateTime<Utc>),
}

impl Clock {
    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(at) => *at,
        }
    }

    /// Today's calendar date in China Standard Time.
    pub fn today(&self) -> NaiveDate {
        self.now()
            .with_timezone(&china_standard_time())
            .date_naive()
    }

    /// Parses `IPOC_NOW`: a date (`2026-11-21`, midnight CST) or an RFC 3339 time.
    pub fn parse_fixed(raw: &str) -> Option<Clock> {
        let raw = raw.trim();
        if let Ok(at) = DateTime::parse_from_rfc3339(raw) {
            return Some(Clock::Fixed(at.with_timezone(&Utc)));
        }
        let date = NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()?;
        let local = date
            .and_hms_opt(0, 0, 0)?
            .and_local_timezone(china_standard_time())
            .single()?;
        Some(Clock::Fixed(local.with_timezone(&Utc)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_reads_dates_in_china() {
        let clock = Clock::parse_fixed("2026-03-31T20:00:00Z").unwrap();
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 4, 1).unwrap());
        let clock = Clock::parse_fixed("2026-11-21").unwrap();
        assert_eq!(
            clock.today(),
            NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
        );
        assert!(Clock::parse_fixed("tomorrow").is_none());
    }
}
