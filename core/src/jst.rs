//! 日本時間 (Japan time): every time in onshi's rules is a JST wall-clock value (UTC+9, no daylight
//! saving), passed in by the caller. The wire formats are `YYYYMMDD` and `YYYYMMDDhhmmss`
//! without a zone; onshi converts to and from other zones only at the edge.

use time::macros::format_description;

pub use time::{Date, Duration, Month, PrimitiveDateTime as JstDateTime, Time};

/// A date or date-time that is not in the wire format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("日付の形式が正しくありません（{expected}）: {value:?} (not a valid {expected} value)")]
pub struct DateFormatError {
    /// The format expected.
    pub expected: &'static str,
    /// The value received.
    pub value: String,
}

/// Parses `YYYYMMDD`.
pub fn parse_date(s: &str) -> Result<Date, DateFormatError> {
    let fmt = format_description!("[year][month][day]");
    strict_digits(s, 8)
        .and_then(|s| Date::parse(s, fmt).ok())
        .ok_or_else(|| DateFormatError {
            expected: "YYYYMMDD",
            value: s.to_owned(),
        })
}

/// Parses `YYYYMMDDhhmmss`.
pub fn parse_datetime(s: &str) -> Result<JstDateTime, DateFormatError> {
    let fmt = format_description!("[year][month][day][hour][minute][second]");
    strict_digits(s, 14)
        .and_then(|s| JstDateTime::parse(s, fmt).ok())
        .ok_or_else(|| DateFormatError {
            expected: "YYYYMMDDhhmmss",
            value: s.to_owned(),
        })
}

fn strict_digits(s: &str, len: usize) -> Option<&str> {
    (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then_some(s)
}

/// Formats a date as `YYYYMMDD`.
pub fn format_date(d: Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Formats a date-time as `YYYYMMDDhhmmss`.
pub fn format_datetime(t: JstDateTime) -> String {
    format!(
        "{}{:02}{:02}{:02}",
        format_date(t.date()),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Completed years of age on `on` for someone born on `birth`, counting the birthday itself as
/// the day the age goes up (a 29 February birthday goes up on 1 March in common years).
pub fn age_on(birth: Date, on: Date) -> u32 {
    if on < birth {
        return 0;
    }
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

/// The last day of the month `months` after the month of `d`.
pub fn end_of_month_after(d: Date, months: u32) -> Date {
    let shifted = add_months_clamped(d.replace_day(1).unwrap_or(d), months as i32);
    let last = time::util::days_in_month(shifted.month(), shifted.year());
    shifted.replace_day(last).unwrap_or(shifted)
}

/// The same day `months` months later (or earlier), clamped to the end of a shorter month
/// (31 May − 3 months = 28 or 29 February).
pub fn add_months_clamped(d: Date, months: i32) -> Date {
    let index = d.year() * 12 + i32::from(u8::from(d.month())) - 1 + months;
    let (year, month0) = (index.div_euclid(12), index.rem_euclid(12));
    let month = Month::try_from(month0 as u8 + 1).unwrap_or(Month::December);
    let day = d.day().min(time::util::days_in_month(month, year));
    Date::from_calendar_date(year, month, day).unwrap_or(d)
}

/// The last second of a day.
pub fn end_of_day(d: Date) -> JstDateTime {
    JstDateTime::new(d, Time::from_hms(23, 59, 59).unwrap_or(Time::MIDNIGHT))
}

/// serde as `YYYYMMDDhhmmss`, the wire form.
pub mod serde_datetime {
    use super::{JstDateTime, format_datetime, parse_datetime};
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes `YYYYMMDDhhmmss`.
    pub fn serialize<S: Serializer>(t: &JstDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_datetime(*t))
    }

    /// Reads `YYYYMMDDhhmmss`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<JstDateTime, D::Error> {
        let s = String::deserialize(d)?;
        parse_datetime(&s).map_err(serde::de::Error::custom)
    }
}

/// serde as `YYYYMMDD`, the wire form.
pub mod serde_date {
    use super::{Date, format_date, parse_date};
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes `YYYYMMDD`.
    pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_date(*d))
    }

    /// Reads `YYYYMMDD`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        parse_date(&s).map_err(serde::de::Error::custom)
    }
}

/// serde of an optional date as `YYYYMMDD` or null.
pub mod serde_opt_date {
    use super::{Date, format_date, parse_date};
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes `YYYYMMDD` or null.
    pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&format_date(*d)),
            None => s.serialize_none(),
        }
    }

    /// Reads `YYYYMMDD` or null.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|s| parse_date(&s).map_err(serde::de::Error::custom))
            .transpose()
    }
}

/// serde of an optional date-time as `YYYYMMDDhhmmss` or null.
pub mod serde_opt_datetime {
    use super::{JstDateTime, format_datetime, parse_datetime};
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes `YYYYMMDDhhmmss` or null.
    pub fn serialize<S: Serializer>(t: &Option<JstDateTime>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&format_datetime(*t)),
            None => s.serialize_none(),
        }
    }

    /// Reads `YYYYMMDDhhmmss` or null.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<JstDateTime>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|s| parse_datetime(&s).map_err(serde::de::Error::custom))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn wire_formats_round_trip() {
        assert_eq!(parse_date("20010327"), Ok(date!(2001 - 03 - 27)));
        assert_eq!(format_date(date!(2001 - 03 - 27)), "20010327");
        let t = parse_datetime("20230221174835").unwrap();
        assert_eq!(t, datetime!(2023-02-21 17:48:35));
        assert_eq!(format_datetime(t), "20230221174835");
    }

    #[test]
    fn bad_dates_are_errors() {
        for bad in [
            "2023022",
            "20230230",
            "2023-02-21",
            "２０２３０２２１",
            "20231301",
            "",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
        assert!(parse_datetime("20230221246000").is_err());
    }

    #[test]
    fn ages() {
        let birth = date!(1950 - 06 - 15);
        assert_eq!(age_on(birth, date!(2025 - 06 - 14)), 74);
        assert_eq!(age_on(birth, date!(2025 - 06 - 15)), 75);
        assert_eq!(age_on(date!(2000 - 02 - 29), date!(2001 - 02 - 28)), 0);
        assert_eq!(age_on(date!(2000 - 02 - 29), date!(2001 - 03 - 01)), 1);
        assert_eq!(age_on(birth, date!(1949 - 01 - 01)), 0);
    }

    #[test]
    fn month_ends() {
        assert_eq!(
            end_of_month_after(date!(2026 - 02 - 10), 3),
            date!(2026 - 05 - 31)
        );
        assert_eq!(
            end_of_month_after(date!(2025 - 11 - 30), 3),
            date!(2026 - 02 - 28)
        );
        assert_eq!(
            end_of_month_after(date!(2027 - 11 - 01), 3),
            date!(2028 - 02 - 29)
        );
        assert_eq!(
            end_of_month_after(date!(2026 - 12 - 31), 0),
            date!(2026 - 12 - 31)
        );
    }
}
