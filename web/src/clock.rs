//! 現在時刻 in Japan time, from the browser's clock. Core reads no clock; the page passes this in.

use onshi_core::jst::JstDateTime;

/// Now, as a JST wall-clock time.
pub fn now_jst() -> JstDateTime {
    let millis = js_sys::Date::now();
    // Whole seconds since the epoch fit an i64 for any date a browser reports.
    #[allow(clippy::cast_possible_truncation)]
    let seconds = (millis / 1000.0).floor() as i64;
    let utc = time::OffsetDateTime::from_unix_timestamp(seconds)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let jst = utc.to_offset(time::UtcOffset::from_hms(9, 0, 0).unwrap_or(time::UtcOffset::UTC));
    JstDateTime::new(jst.date(), jst.time())
}
