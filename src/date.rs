//! Dates: the article's ISO date, or SOURCE_DATE_EPOCH, never the clock (outputs are reproducible).

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

/// Parses `YYYY-MM-DD`, checking that the day exists.
pub fn parse_iso_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        s.get(r)
            .filter(|t| t.bytes().all(|c| c.is_ascii_digit()))?
            .parse::<u32>()
            .ok()
    };
    let (year, month, day) = (num(0..4)? as i32, num(5..7)?, num(8..10)?);
    ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)).then_some(Date {
        year,
        month,
        day,
    })
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Date {
    /// The civil date of a Unix time (UTC), after Howard Hinnant's days-from-civil inverse.
    pub fn from_unix(seconds: i64) -> Date {
        let z = seconds.div_euclid(86_400) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// "2025年3月7日".
    pub fn chinese(&self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }

    /// "2025-03-07".
    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The latest SOURCE_DATE_EPOCH accepted: 9999-12-31T23:59:59Z (dates are written with four digits).
pub const MAX_SOURCE_DATE_EPOCH: i64 = 253_402_300_799;

/// SOURCE_DATE_EPOCH: `None` when unset or empty; a malformed or out-of-range value is an error, as the
/// reproducible-builds specification asks (a date silently dropped would break reproducibility).
pub fn source_date_epoch() -> Result<Option<i64>, String> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Err(std::env::VarError::NotPresent) => Ok(None),
        Err(std::env::VarError::NotUnicode(v)) => Err(epoch_error(&v.to_string_lossy())),
        Ok(v) => parse_source_date_epoch(&v),
    }
}

/// Parses a SOURCE_DATE_EPOCH value: decimal digits only, 0 to [`MAX_SOURCE_DATE_EPOCH`].
pub fn parse_source_date_epoch(value: &str) -> Result<Option<i64>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    value
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| value.parse::<i64>().ok())
        .flatten()
        .filter(|s| *s <= MAX_SOURCE_DATE_EPOCH)
        .map(Some)
        .ok_or_else(|| epoch_error(value))
}

fn epoch_error(value: &str) -> String {
    format!(
        "SOURCE_DATE_EPOCH=\"{value}\" is not a date, expected whole seconds since 1970-01-01 \
         UTC from 0 to {MAX_SOURCE_DATE_EPOCH} (9999-12-31), or empty for none"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates() {
        assert_eq!(
            parse_iso_date("2024-02-29"),
            Some(Date {
                year: 2024,
                month: 2,
                day: 29
            })
        );
        assert_eq!(parse_iso_date("2023-02-29"), None);
        assert_eq!(parse_iso_date("2023-13-01"), None);
        assert_eq!(parse_iso_date("2023-1-01"), None);
        assert_eq!(parse_iso_date("２０２３-01-01"), None);
    }

    #[test]
    fn source_date_epoch_values() {
        assert_eq!(parse_source_date_epoch(""), Ok(None));
        assert_eq!(parse_source_date_epoch("0"), Ok(Some(0)));
        assert_eq!(
            parse_source_date_epoch("253402300799"),
            Ok(Some(MAX_SOURCE_DATE_EPOCH))
        );
        for bad in [
            "253402300800",
            "abc",
            "1e9",
            " 1",
            "-1",
            "+5",
            "99999999999999999999",
        ] {
            let e = parse_source_date_epoch(bad).expect_err(bad);
            assert!(
                e.contains("SOURCE_DATE_EPOCH") && e.contains("253402300799"),
                "{e}"
            );
        }
    }

    #[test]
    fn unix_days() {
        assert_eq!(Date::from_unix(0).iso(), "1970-01-01");
        assert_eq!(Date::from_unix(1_700_000_000).iso(), "2023-11-14");
        assert_eq!(Date::from_unix(951_782_400).iso(), "2000-02-29");
    }
}
