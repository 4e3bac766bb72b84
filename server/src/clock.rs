//! The server's clock, from one place. Every time the server compares — a session's expiry,
//! a login throttle — comes from `Clock::now`, so tests run the real binary at chosen
//! instants (`MALKART_SERVER_NOW`, RFC 3339) instead of waiting, as `MALKART_TODAY` does
//! for the core.

use chrono::{DateTime, Utc};

use crate::error::{Error, Result};

/// The variable that fixes the server's clock (tests).
pub const NOW_VAR: &str = "MALKART_SERVER_NOW";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Clock {
    System,
    Fixed(DateTime<Utc>),
}

impl Clock {
    /// The system clock, or the instant in `MALKART_SERVER_NOW`. A value that is set but is
    /// no instant is refused: a server must not run on a clock it misread.
    pub fn from_env() -> Result<Clock> {
        match std::env::var(NOW_VAR) {
            Ok(text) if !text.trim().is_empty() => DateTime::parse_from_rfc3339(text.trim())
                .map(|t| Clock::Fixed(t.with_timezone(&Utc)))
                .map_err(|_| {
                    Error::Config(format!(
                        "{NOW_VAR}={text:?} er ikke et tidspunkt på formen \
                         2026-11-15T14:32:00Z; fjern variabelen eller rett den"
                    ))
                }),
            _ => Ok(Clock::System),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::System => Utc::now(),
            Clock::Fixed(t) => *t,
        }
    }
}
