//! The one error type of the core. Each variant is something a caller can act on;
//! storage failures keep their cause for the log but never reach a person verbatim.

use crate::domain::Status;

/// A problem with one input field, named as the form names it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, message: impl Into<String>) -> Self {
        Self {
            field: field.to_owned(),
            message: message.into(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Some inputs are not acceptable; each error names its field.
    #[error("invalid input: {}", describe(.0))]
    Invalid(Vec<FieldError>),

    /// A value that must be unique is already in use (an administrator's email);
    /// each error names its field, as [`Error::Invalid`] does.
    #[error("already in use: {}", describe(.0))]
    Taken(Vec<FieldError>),

    /// No valid session: the caller must sign in.
    #[error("you are not signed in")]
    Unauthenticated,

    /// Signed in, but this action is not theirs to take.
    #[error("{0}")]
    Forbidden(String),

    /// Email or password wrong. Deliberately does not say which.
    #[error("The email or password is incorrect.")]
    InvalidCredentials,

    /// The password was right, but the account may not be used.
    #[error("{}", account_unavailable_message(*.0))]
    AccountUnavailable(Status),

    #[error("{0} not found")]
    NotFound(String),

    /// The request contradicts what is stored (a duplicate, a wrong state).
    #[error("{0}")]
    Conflict(String),

    /// A quota set by the operator would be exceeded.
    #[error("{0}")]
    QuotaReached(String),

    /// Too many failed attempts (sign-in, activation, CMS Login) for this subject:
    /// refused until the window passes, whatever is offered.
    #[error("Too many attempts. Try again in {}.", minutes(*retry_after_seconds))]
    TooManyAttempts { retry_after_seconds: i64 },

    /// The server is at its bound for expensive work (password hashing).
    #[error("The server is busy. Please try again in a moment.")]
    Busy,

    /// The database cannot be reached (connections lost, pool exhausted): the
    /// request may well succeed in a moment, once it is back.
    #[cfg(feature = "server")]
    #[error("The database is unavailable right now. Please try again in a moment.")]
    Unavailable(#[source] sqlx::Error),

    #[cfg(feature = "server")]
    #[error("database error")]
    Database(#[source] sqlx::Error),

    #[cfg(feature = "server")]
    #[error("database migration failed")]
    Migration(#[from] sqlx::migrate::MigrateError),

    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(vec![FieldError::new(field, message)])
    }
}

fn describe(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| format!("{}: {}", e.field, e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Seconds as whole minutes, rounded up, for people.
fn minutes(seconds: i64) -> String {
    match (seconds.max(1) + 59) / 60 {
        1 => "1 minute".to_owned(),
        n => format!("{n} minutes"),
    }
}

fn account_unavailable_message(status: Status) -> &'static str {
    match status {
        Status::Blocked => "This account is blocked. Contact your organization's administrator.",
        Status::Removed => "This account has been removed.",
        Status::Active => "This account cannot be used right now.",
    }
}

#[cfg(feature = "server")]
impl From<sqlx::Error> for Error {
    fn from(error: sqlx::Error) -> Self {
        if is_unavailable(&error) {
            Error::Unavailable(error)
        } else {
            Error::Database(error)
        }
    }
}

/// Whether the error says the database is out of reach rather than that a
/// statement failed: no connection could be had, or the server ended ours.
#[cfg(feature = "server")]
fn is_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        // PostgreSQL's classes 08 (connection exception) and 57P0x (the server is
        // shutting down or terminated the connection).
        sqlx::Error::Database(db) => db
            .code()
            .is_some_and(|code| code.starts_with("08") || code.starts_with("57P0")),
        _ => false,
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Collects the errors of a form's fields, so that all of them are reported at once.
#[derive(Default)]
pub(crate) struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    /// The value, or `None` with the message recorded under `field`.
    pub(crate) fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        result
            .map_err(|message| self.0.push(FieldError::new(field, message)))
            .ok()
    }

    pub(crate) fn push(&mut self, error: FieldError) {
        self.0.push(error);
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn into_vec(self) -> Vec<FieldError> {
        self.0
    }
}
