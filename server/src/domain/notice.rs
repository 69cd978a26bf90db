//! Public notice (公示): its working-day count and the day an accreditation takes effect.

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// The last day of a public notice of `working_days` working days (Monday to Friday) that
/// starts the day after `decided_on` (rulebook `public_notice_working_days`).
pub fn notice_end(decided_on: NaiveDate, working_days: u32) -> NaiveDate {
    let mut day = decided_on;
    let mut counted = 0;
    while counted < working_days.max(1) {
        day = day.checked_add_days(Days::new(1)).unwrap_or(day);
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            counted += 1;
        }
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn five_working_days_skip_the_weekend() {
        // decided on a Thursday: Fri, Mon, Tue, Wed, Thu
        assert_eq!(notice_end(date("2026-11-19"), 5), date("2026-11-26"));
        // decided on a Saturday: Mon..Fri
        assert_eq!(notice_end(date("2026-11-21"), 5), date("2026-11-27"));
        // decided on a Friday: Mon..Fri of the next week
        assert_eq!(notice_end(date("2026-11-20"), 5), date("2026-11-27"));
        // decided on a Monday: Tue..Fri, Mon
        assert_eq!(notice_end(date("2026-11-23"), 5), date("2026-11-30"));
        assert_eq!(notice_end(date("2026-11-23"), 1), date("2026-11-24"));
    }
}
