//! Dates as sources and timeline events write them: `YYYY-MM-DD` or an RFC 3339 date-time with
//! an offset (`2025-08-15T10:30:00-08:00`). Checks that a date is real (`2026-02-30` is not) and
//! gives a key that orders dates and date-times on one time line.

use chrono::{DateTime, Datelike, NaiveDate};

/// A checked date or date-time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Day(NaiveDate),
    Moment(DateTime<chrono::FixedOffset>),
}

impl When {
    /// Parses `text`, or says why it is not a date.
    pub fn parse(text: &str) -> Result<When, String> {
        let text = text.trim();
        if text.len() == 10 {
            return NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(When::Day)
                .map_err(|_| format!("`{text}` is not a real date"));
        }
        DateTime::parse_from_rfc3339(text)
            .map(When::Moment)
            .map_err(|_| format!("`{text}` is not a date (YYYY-MM-DD) or an RFC 3339 date-time"))
    }

    /// The order of dated events: by calendar day as written (in the date-time's own offset);
    /// on one day, a date alone comes before date-times, and date-times go by their instant.
    pub fn sort_key(&self) -> (i64, i64) {
        let days = |day: NaiveDate| i64::from(day.num_days_from_ce());
        match self {
            When::Day(day) => (days(*day), i64::MIN),
            When::Moment(moment) => (days(moment.date_naive()), moment.timestamp()),
        }
    }

    /// The day, for display (`2025-08-15`), in the date-time's own offset.
    pub fn day(&self) -> String {
        match self {
            When::Day(day) => day.format("%Y-%m-%d").to_string(),
            When::Moment(moment) => moment.date_naive().format("%Y-%m-%d").to_string(),
        }
    }
}

/// The hint for a date that does not parse.
pub const DATE_HINT: &str =
    "write a date as YYYY-MM-DD (2025-08-15) or an RFC 3339 date-time with an offset (2025-08-15T10:30:00-08:00)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_dates_and_date_times_parse() {
        assert!(When::parse("2024-02-29").is_ok());
        assert!(When::parse("2025-08-15T10:30:00-08:00").is_ok());
        assert!(When::parse("2025-08-15T10:30:00Z").is_ok());
    }

    #[test]
    fn impossible_dates_are_refused() {
        assert_eq!(
            When::parse("2026-02-30").unwrap_err(),
            "`2026-02-30` is not a real date"
        );
        assert!(When::parse("2025-13-01").is_err());
        assert!(When::parse("2025-08-15T25:00:00Z").is_err());
        assert!(When::parse("August 2025").is_err());
    }

    #[test]
    fn days_and_moments_share_one_order() {
        let day = When::parse("2025-08-15").unwrap();
        let morning = When::parse("2025-08-15T10:30:00-08:00").unwrap();
        let before = When::parse("2025-08-14T23:00:00Z").unwrap();
        // The evening of the 14th in California is the 15th in UTC: it stays on the 14th.
        let evening = When::parse("2025-08-14T18:00:00-08:00").unwrap();
        assert!(before.sort_key() < day.sort_key());
        assert!(evening.sort_key() < day.sort_key());
        assert!(day.sort_key() < morning.sort_key());
        assert_eq!(morning.day(), "2025-08-15");
    }
}
