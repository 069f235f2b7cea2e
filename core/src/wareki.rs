//! 和暦 (Japanese eras) and the date forms found in clinic lists: `19800401`, `1980-04-01`,
//! `1980/4/1`, `昭和55年4月1日`, `S55.4.1`, with full-width digits allowed.

use time::Month;

use crate::jst::Date;

/// 元号: an era, its first day, and its letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Era {
    /// 漢字 name, e.g. `昭和`.
    pub name: &'static str,
    /// The letter used in lists, e.g. `S`.
    pub letter: char,
    /// The first day.
    pub start: (i32, u8, u8),
}

/// The eras onshi reads, oldest first. 明治 starts on 1868-01-25 by law (1868-10-23 is also used).
pub const ERAS: [Era; 5] = [
    Era {
        name: "明治",
        letter: 'M',
        start: (1868, 1, 25),
    },
    Era {
        name: "大正",
        letter: 'T',
        start: (1912, 7, 30),
    },
    Era {
        name: "昭和",
        letter: 'S',
        start: (1926, 12, 25),
    },
    Era {
        name: "平成",
        letter: 'H',
        start: (1989, 1, 8),
    },
    Era {
        name: "令和",
        letter: 'R',
        start: (2019, 5, 1),
    },
];

fn era_start(e: &Era) -> Option<Date> {
    Date::from_calendar_date(e.start.0, Month::try_from(e.start.1).ok()?, e.start.2).ok()
}

/// Reads a date in any of the forms above; `None` when it is none of them or not a real date.
pub fn parse_any_date(input: &str) -> Option<Date> {
    let s: String = input
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '／' => '/',
            '－' | 'ー' => '-',
            '．' => '.',
            other => other,
        })
        .collect();
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        return ymd(
            s[..4].parse().ok()?,
            s[4..6].parse().ok()?,
            s[6..].parse().ok()?,
        );
    }
    let era_and_rest = ERAS.iter().find_map(|e| {
        s.strip_prefix(e.name)
            .or_else(|| s.strip_prefix(e.letter))
            .or_else(|| s.strip_prefix(e.letter.to_ascii_lowercase()))
            .map(|rest| (e, rest))
    });
    if let Some((era, rest)) = era_and_rest {
        let rest = rest.replacen('元', "1", 1);
        let parts = numbers(&rest)?;
        let [y, m, d] = parts[..] else { return None };
        return from_era(era, y, m, d);
    }
    let parts = numbers(&s)?;
    let [y, m, d] = parts[..] else { return None };
    if y < 1000 {
        return None;
    }
    ymd(y as i32, m, d)
}

/// The numbers in `s`, separated by `-`, `/`, `.`, `年`, `月`, `日` (a trailing 日 is allowed).
fn numbers(s: &str) -> Option<Vec<u32>> {
    let s = s.strip_suffix('日').unwrap_or(s);
    s.split(['-', '/', '.', '年', '月'])
        .map(|p| {
            (!p.is_empty() && p.len() <= 4 && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        })
        .collect()
}

fn ymd(y: i32, m: u32, d: u32) -> Option<Date> {
    Date::from_calendar_date(
        y,
        Month::try_from(u8::try_from(m).ok()?).ok()?,
        u8::try_from(d).ok()?,
    )
    .ok()
}

/// A date in an era. It must fall on or after the era's first day and before the next era's;
/// the two days that were both an era's last and the next one's first (1912-07-30, 1926-12-25)
/// are accepted in either.
fn from_era(era: &Era, year: u32, month: u32, day: u32) -> Option<Date> {
    if year == 0 {
        return None;
    }
    let date = ymd(era.start.0 + year as i32 - 1, month, day)?;
    let start = era_start(era)?;
    let index = ERAS.iter().position(|e| e == era)?;
    let next_start = ERAS.get(index + 1).and_then(era_start);
    let shared_last_day = matches!(era.letter, 'M' | 'T');
    let in_era =
        date >= start && next_start.is_none_or(|n| date < n || (shared_last_day && date == n));
    in_era.then_some(date)
}

/// The era of a date (the newer one on a shared day) and its year, e.g. (`平成`, 1) for 1989-01-08.
pub fn era_of(date: Date) -> Option<(&'static Era, i32)> {
    ERAS.iter()
        .rev()
        .find(|e| era_start(e).is_some_and(|s| s <= date))
        .map(|e| (e, date.year() - e.start.0 + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn western_forms() {
        for s in [
            "19800401",
            "1980-04-01",
            "1980/4/1",
            "１９８０／０４／０１",
            " 1980.4.1 ",
        ] {
            assert_eq!(parse_any_date(s), Some(date!(1980 - 04 - 01)), "{s}");
        }
        for s in ["1980/2/30", "80/4/1", "19800431", "", "1980-04"] {
            assert_eq!(parse_any_date(s), None, "{s}");
        }
    }

    #[test]
    fn era_forms_and_boundaries() {
        assert_eq!(
            parse_any_date("昭和55年4月1日"),
            Some(date!(1980 - 04 - 01))
        );
        assert_eq!(parse_any_date("S55.4.1"), Some(date!(1980 - 04 - 01)));
        assert_eq!(
            parse_any_date("平成元年1月8日"),
            Some(date!(1989 - 01 - 08))
        );
        assert_eq!(
            parse_any_date("昭和64年1月7日"),
            Some(date!(1989 - 01 - 07))
        );
        assert_eq!(parse_any_date("昭和64年1月8日"), None);
        assert_eq!(parse_any_date("H31.4.30"), Some(date!(2019 - 04 - 30)));
        assert_eq!(parse_any_date("H31.5.1"), None);
        assert_eq!(parse_any_date("R1.5.1"), Some(date!(2019 - 05 - 01)));
        assert_eq!(
            parse_any_date("大正15年12月25日"),
            Some(date!(1926 - 12 - 25))
        );
        assert_eq!(
            parse_any_date("昭和元年12月25日"),
            Some(date!(1926 - 12 - 25))
        );
        assert_eq!(parse_any_date("T14.3.3"), Some(date!(1925 - 03 - 03)));
        assert_eq!(
            era_of(date!(1989 - 01 - 08)).map(|(e, y)| (e.name, y)),
            Some(("平成", 1))
        );
    }
}
