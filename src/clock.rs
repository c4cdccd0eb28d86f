//! Time as the core sees it: milliseconds since the Unix epoch, stored as BIGINT on
//! every database so that the same SQL runs on SQLite and PostgreSQL.

use chrono::{DateTime, Utc};

/// A moment, in milliseconds since the Unix epoch (UTC).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    /// The server's clock (the browser has none that this crate may read).
    #[cfg(feature = "server")]
    pub fn now() -> Self {
        Self(Utc::now().timestamp_millis())
    }

    pub fn from_millis(millis: i64) -> Self {
        Self(millis)
    }

    pub fn millis(self) -> i64 {
        self.0
    }

    pub fn plus_seconds(self, seconds: i64) -> Self {
        Self(self.0.saturating_add(seconds.saturating_mul(1000)))
    }

    /// As the console shows it: `05/21/2019 13:18` (UTC).
    pub fn display(self) -> String {
        DateTime::<Utc>::from_timestamp_millis(self.0)
            .map(|t| t.format("%m/%d/%Y %H:%M").to_string())
            .unwrap_or_default()
    }

    /// RFC 3339 in UTC to the millisecond, for the API: `2026-11-27T17:30:05.123Z`.
    pub fn rfc3339(self) -> String {
        DateTime::<Utc>::from_timestamp_millis(self.0)
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
            .unwrap_or_default()
    }

    /// To the second, for the audit log: `2026-11-27 17:30:05` (UTC).
    pub fn display_seconds(self) -> String {
        DateTime::<Utc>::from_timestamp_millis(self.0)
            .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default()
    }
}
