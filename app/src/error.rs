//! The error every server function returns: serialisable, so the browser gets the
//! same cases the core distinguishes, and safe: internal causes stay in the log.

use std::fmt;

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppError {
    /// Not signed in (or the session ended).
    Unauthenticated,
    Forbidden(String),
    /// Wrong email or password, or an account that may not be used: the message says which.
    SignInRefused(String),
    /// The core's own field errors: a problem per field, shown beside it.
    Invalid(Vec<umbrella::FieldError>),
    NotFound(String),
    Conflict(String),
    QuotaReached(String),
    /// Too many failed attempts, or the server too busy to check a password: the
    /// message says when to try again.
    TryLater(String),
    /// Something failed on the server; details are in the server's log only.
    Internal,
    /// The request itself could not be made or read (network, encoding).
    Request(String),
}

impl AppError {
    /// The message for a given field, if the error is about it.
    pub fn field(&self, name: &str) -> Option<String> {
        match self {
            AppError::Invalid(problems) => problems
                .iter()
                .find(|p| p.field == name)
                .map(|p| p.message.clone()),
            _ => None,
        }
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppError::Unauthenticated => {
                f.write_str("Your session has ended. Please sign in again.")
            }
            AppError::Forbidden(m)
            | AppError::SignInRefused(m)
            | AppError::NotFound(m)
            | AppError::Conflict(m)
            | AppError::QuotaReached(m)
            | AppError::TryLater(m) => f.write_str(m),
            AppError::Invalid(problems) => {
                let list: Vec<_> = problems.iter().map(|p| p.message.as_str()).collect();
                f.write_str(&list.join(" "))
            }
            AppError::Internal => f.write_str(
                "Something went wrong on the server. Please try again; if it keeps happening, \
                 tell your Umbrella representative.",
            ),
            AppError::Request(m) => write!(f, "The request failed: {m}"),
        }
    }
}

impl std::error::Error for AppError {}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        // Input that cannot even be decoded is the caller's mistake, not the
        // server's: answer 400 rather than server_fn's default 500.
        #[cfg(feature = "ssr")]
        if matches!(
            value,
            ServerFnErrorErr::Args(_)
                | ServerFnErrorErr::Deserialization(_)
                | ServerFnErrorErr::MissingArg(_)
                | ServerFnErrorErr::UnsupportedRequestMethod(_)
        ) && let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
        {
            response.set_status(http::StatusCode::BAD_REQUEST);
        }
        AppError::Request(value.to_string())
    }
}
