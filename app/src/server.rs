//! Server-side plumbing for the server functions: the core from context, the caller
//! from the session cookie, and core errors turned into HTTP answers.
//! Nothing here decides a business rule.

use axum::http::{HeaderValue, StatusCode, header};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use umbrella::auth::{Actor, SessionToken};
use umbrella::{Error, Umbrella};

use crate::error::{AppError, FieldProblem};

pub const SESSION_COOKIE: &str = "umbrella_session";

/// How the session cookie is issued; the server provides it as context.
#[derive(Clone, Copy, Debug, Default)]
pub struct CookiePolicy {
    /// Adds `Secure`: set it when the console is served over HTTPS.
    pub secure: bool,
}

pub fn core() -> Result<Umbrella, AppError> {
    use_context::<Umbrella>().ok_or_else(|| {
        tracing::error!("the Umbrella core is missing from the request context");
        AppError::Internal
    })
}

/// The session token from the request's cookie, if any.
pub fn session_token() -> Option<SessionToken> {
    let parts = use_context::<http::request::Parts>()?;
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, token)| SessionToken::from_cookie(token))
}

/// The signed-in caller, if the request carries a live session.
pub async fn signed_in() -> Result<Option<Actor>, AppError> {
    let Some(token) = session_token() else {
        return Ok(None);
    };
    match core()?.authenticate(&token).await {
        Ok(actor) => Ok(Some(actor)),
        Err(Error::Unauthenticated) => Ok(None),
        Err(e) => Err(fail(e)),
    }
}

/// The signed-in caller, or the error that ends the request.
pub async fn actor() -> Result<Actor, AppError> {
    signed_in()
        .await?
        .ok_or_else(|| fail(Error::Unauthenticated))
}

fn set_cookie(value: String) {
    if let (Some(response), Ok(value)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(&value),
    ) {
        response.append_header(header::SET_COOKIE, value);
    }
}

fn cookie_attributes() -> &'static str {
    let secure = use_context::<CookiePolicy>().unwrap_or_default().secure;
    if secure {
        "; Path=/; HttpOnly; SameSite=Lax; Secure"
    } else {
        "; Path=/; HttpOnly; SameSite=Lax"
    }
}

pub fn set_session_cookie(token: &SessionToken, max_age_seconds: i64) {
    set_cookie(format!(
        "{SESSION_COOKIE}={}; Max-Age={max_age_seconds}{}",
        token.as_str(),
        cookie_attributes()
    ));
}

pub fn clear_session_cookie() {
    set_cookie(format!(
        "{SESSION_COOKIE}=; Max-Age=0{}",
        cookie_attributes()
    ));
}

fn set_status(status: StatusCode) {
    if let Some(response) = use_context::<ResponseOptions>() {
        response.set_status(status);
    }
}

/// Turns a core error into the server function's error, with a fitting HTTP status.
pub fn fail(error: Error) -> AppError {
    let (status, app_error) = match error {
        Error::Invalid(fields) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Invalid(
                fields
                    .into_iter()
                    .map(|f| FieldProblem {
                        field: f.field,
                        message: f.message,
                    })
                    .collect(),
            ),
        ),
        Error::Unauthenticated => {
            set_status(StatusCode::UNAUTHORIZED);
            // A page becomes a 302 to the sign-in page; a call from the hydrated
            // page tells its router to go there.
            leptos_axum::redirect("/login");
            return AppError::Unauthenticated;
        }
        Error::Forbidden(message) => (StatusCode::FORBIDDEN, AppError::Forbidden(message)),
        e @ (Error::InvalidCredentials | Error::AccountUnavailable(_)) => (
            StatusCode::UNAUTHORIZED,
            AppError::SignInRefused(e.to_string()),
        ),
        Error::NotFound(what) => (
            StatusCode::NOT_FOUND,
            AppError::NotFound(format!("No {what} was found.")),
        ),
        Error::Conflict(message) => (StatusCode::CONFLICT, AppError::Conflict(message)),
        Error::QuotaReached(message) => (StatusCode::CONFLICT, AppError::QuotaReached(message)),
        e @ (Error::Database(_) | Error::Migration(_) | Error::Internal(_)) => {
            tracing::error!(error = ?e, "request failed");
            (StatusCode::INTERNAL_SERVER_ERROR, AppError::Internal)
        }
    };
    set_status(status);
    app_error
}
