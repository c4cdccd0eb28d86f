//! How a core error is answered over HTTP, by every door alike.

use http::StatusCode;

use crate::Error;

/// The HTTP status that answers a core error.
pub fn status_of(error: &Error) -> StatusCode {
    match error {
        Error::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        Error::Unauthenticated | Error::InvalidCredentials | Error::AccountUnavailable(_) => {
            StatusCode::UNAUTHORIZED
        }
        Error::Forbidden(_) => StatusCode::FORBIDDEN,
        Error::NotFound(_) => StatusCode::NOT_FOUND,
        Error::Conflict(_) | Error::QuotaReached(_) | Error::Taken(_) => StatusCode::CONFLICT,
        Error::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
        Error::Busy | Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        Error::Database(_) | Error::Migration(_) | Error::Internal(_) => {
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

/// The seconds of a `Retry-After` header that answers a core error, if any.
pub fn retry_after(error: &Error) -> Option<i64> {
    match error {
        Error::TooManyAttempts {
            retry_after_seconds,
        } => Some(*retry_after_seconds),
        Error::Busy => Some(1),
        Error::Unavailable(_) => Some(5),
        _ => None,
    }
}
