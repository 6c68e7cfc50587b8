//! Dates written in front matter (`date`, `updated`, and the dates of `updates:` and
//! `corrections:`): a day (`2026-11-29`) or an RFC 3339 date and time (`2026-11-29T10:30:00Z`,
//! `2026-11-29T10:30:00-08:00`). This module parses them with `chrono`, refuses impossible ones
//! with a reason a person can act on, and gives each a normalised form for sorting and for
//! machine-readable output. It knows nothing about pages.

use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Utc};
use serde::Serialize;

/// A checked date or date-time, as templates see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct When {
    /// As written in the front matter (trimmed).
    pub written: String,
    /// For `<time datetime>` and the sitemap: `2026-11-29`, or RFC 3339 with the written offset,
    /// to the second (`2026-11-29T10:30:00-08:00`).
    pub datetime: String,
    /// The instant in UTC, RFC 3339 (`2026-11-29T18:30:00Z`); a day alone counts as its start in
    /// UTC. Strings of this form sort in time order; Atom feeds use it.
    pub utc: String,
    /// Whether a time of day was given.
    pub has_time: bool,
}

/// Why a written date is not a date; turned into a located diagnostic by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateProblem {
    pub message: String,
    pub hint: String,
}

const FORMAT_HINT: &str =
    "write a day as YYYY-MM-DD or a date and time as RFC 3339, e.g. `2026-11-29` or `2026-11-29T10:30:00Z`";

impl When {
    /// Parses `text` as a day or an RFC 3339 date-time.
    pub fn parse(text: &str) -> Result<When, DateProblem> {
        let written = text.trim();
        let day_part = written.get(..10).unwrap_or(written);
        let day = parse_day(written, day_part)?;
        if written.len() == 10 {
            let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
            return Ok(When {
                written: written.to_owned(),
                datetime: written.to_owned(),
                utc: utc_string(&midnight),
                has_time: false,
            });
        }
        let parsed = DateTime::parse_from_rfc3339(written).map_err(|_| time_problem(written))?;
        Ok(When {
            written: written.to_owned(),
            datetime: parsed.to_rfc3339_opts(SecondsFormat::Secs, true),
            utc: utc_string(&parsed.with_timezone(&Utc)),
            has_time: true,
        })
    }
}

fn utc_string(instant: &DateTime<Utc>) -> String {
    instant.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The day of `YYYY-MM-DD…`, with a reason when the day itself is wrong.
fn parse_day(written: &str, day: &str) -> Result<NaiveDate, DateProblem> {
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = day.split('-').collect();
    let shaped = parts.len() == 3
        && [4, 2, 2]
            .iter()
            .zip(&parts)
            .all(|(&len, part)| part.len() == len && numeric(part));
    let shaped = shaped && (written.len() == 10 || written[10..].starts_with(['T', 't', ' ']));
    if !shaped {
        return Err(DateProblem {
            message: format!("`{written}` is not a date"),
            hint: FORMAT_HINT.to_owned(),
        });
    }
    let number = |s: &str| s.parse::<u32>().unwrap_or(0);
    let (year, month, day) = (number(parts[0]), number(parts[1]), number(parts[2]));
    if !(1..=12).contains(&month) {
        return Err(DateProblem {
            message: format!("`{written}` is not a real date: there is no month {month}"),
            hint: "months run from 01 to 12; write dates as YYYY-MM-DD".to_owned(),
        });
    }
    // `year` has four digits, so it fits an i32.
    let year = i32::try_from(year).unwrap_or_default();
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| {
        let days = days_in_month(year, month);
        let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default();
        DateProblem {
            message: format!(
                "`{written}` is not a real date: {} {year} has {days} days",
                first.format("%B")
            ),
            hint: "check the day of the month; write dates as YYYY-MM-DD".to_owned(),
        }
    })
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    next.and_then(|n| n.pred_opt()).map_or(31, |d| d.day())
}

/// Why the part after the day is not an RFC 3339 time.
fn time_problem(written: &str) -> DateProblem {
    let time = &written[11.min(written.len())..];
    let has_zone =
        time.ends_with(['Z', 'z']) || time.get(8..).is_some_and(|t| t.contains(['+', '-']));
    if !has_zone && time.len() >= 5 {
        return DateProblem {
            message: format!("`{written}` has no time zone"),
            hint: format!(
                "add `Z` for UTC or an offset such as `+01:00`, e.g. `{}Z`",
                if time.len() == 5 {
                    format!("{written}:00")
                } else {
                    written.to_owned()
                }
            ),
        };
    }
    let numbers: Vec<u32> = time
        .get(..8)
        .unwrap_or("")
        .split(':')
        .filter_map(|n| n.parse().ok())
        .collect();
    if let [hour, minute, second] = numbers[..] {
        if hour > 23 || minute > 59 || second > 60 {
            return DateProblem {
                message: format!("`{written}` is not a real time of day"),
                hint: "hours run from 00 to 23, minutes and seconds from 00 to 59".to_owned(),
            };
        }
    }
    DateProblem {
        message: format!("`{written}` is not a date and time"),
        hint: FORMAT_HINT.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(text: &str) -> String {
        When::parse(text).unwrap_err().message
    }

    #[test]
    fn days_and_date_times_are_normalised() {
        let day = When::parse("2026-11-29").unwrap();
        assert_eq!(day.datetime, "2026-11-29");
        assert_eq!(day.utc, "2026-11-29T00:00:00Z");
        assert!(!day.has_time);
        let zulu = When::parse("2026-11-29T10:30:00Z").unwrap();
        assert_eq!(zulu.datetime, "2026-11-29T10:30:00Z");
        assert_eq!(zulu.utc, "2026-11-29T10:30:00Z");
        let offset = When::parse("2025-08-15T10:30:00.250-08:00").unwrap();
        assert_eq!(offset.written, "2025-08-15T10:30:00.250-08:00");
        assert_eq!(offset.datetime, "2025-08-15T10:30:00-08:00");
        assert_eq!(offset.utc, "2025-08-15T18:30:00Z");
        assert!(offset.has_time);
    }

    #[test]
    fn impossible_dates_say_why() {
        assert_eq!(
            problem("2026-02-30"),
            "`2026-02-30` is not a real date: February 2026 has 28 days"
        );
        assert_eq!(
            problem("2024-02-30"),
            "`2024-02-30` is not a real date: February 2024 has 29 days"
        );
        assert_eq!(
            problem("2025-13-01"),
            "`2025-13-01` is not a real date: there is no month 13"
        );
        assert_eq!(
            problem("2026-04-31T10:00:00Z"),
            "`2026-04-31T10:00:00Z` is not a real date: April 2026 has 30 days"
        );
        assert_eq!(problem("15/08/2025"), "`15/08/2025` is not a date");
        assert_eq!(problem("2025-8-15"), "`2025-8-15` is not a date");
        assert_eq!(
            problem("2026-11-29T10:30:00"),
            "`2026-11-29T10:30:00` has no time zone"
        );
        assert_eq!(
            problem("2026-11-29T25:30:00Z"),
            "`2026-11-29T25:30:00Z` is not a real time of day"
        );
        assert_eq!(
            problem("2026-11-29Tnoon"),
            "`2026-11-29Tnoon` is not a date and time"
        );
    }

    #[test]
    fn utc_forms_sort_in_time_order() {
        let mut all: Vec<When> = [
            "2026-11-29T10:30:00+02:00",
            "2026-11-29",
            "2026-11-28T23:00:00-08:00",
        ]
        .iter()
        .map(|t| When::parse(t).unwrap())
        .collect();
        all.sort_by(|a, b| a.utc.cmp(&b.utc));
        let order: Vec<&str> = all.iter().map(|w| w.written.as_str()).collect();
        assert_eq!(
            order,
            // 00:00, 07:00 and 08:30 UTC.
            [
                "2026-11-29",
                "2026-11-28T23:00:00-08:00",
                "2026-11-29T10:30:00+02:00"
            ]
        );
    }
}
