//! Server-side plumbing for the server functions: the core from context, the caller
//! from the session cookie, and core errors turned into HTTP answers.
//! Nothing here decides a business rule.

use axum::http::{HeaderValue, StatusCode, header};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use umbrella::audit::AuditContext;
use umbrella::auth::{Actor, SessionToken, SignedIn};
use umbrella::clock::Timestamp;
use umbrella::domain::PartnerId;
use umbrella::web::{self, CookiePolicy, cms_cookie, retry_after, status_of};
use umbrella::{Error, Umbrella};

use crate::error::AppError;

fn cookie_policy() -> CookiePolicy {
    use_context::<CookiePolicy>().unwrap_or_default()
}

/// Makes the page's inline scripts carry the nonce of this answer's policy
/// (Leptos reads it from context), from [`provide_request_context`].
fn provide_csp_nonce() {
    if let Some(nonce) = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<web::CspNonce>().cloned())
    {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

#[track_caller]
pub fn core() -> Result<Umbrella, AppError> {
    let caller = std::panic::Location::caller();
    use_context::<Umbrella>().ok_or_else(|| {
        tracing::error!(%caller, "the Umbrella core is missing from the request context");
        AppError::Internal
    })
}

/// The account whose CMS Login URL this request came to, if any.
pub fn cms_scope() -> Option<PartnerId> {
    web::cms_scope(&use_context::<http::request::Parts>()?.extensions)
}

/// The session token from the request's cookie, if any.
pub fn session_token() -> Option<SessionToken> {
    web::session_token(&use_context::<http::request::Parts>()?, cookie_policy())
}

/// The client's address, for the audit log.
pub fn client_address() -> String {
    use_context::<http::request::Parts>().map_or_else(
        || "unknown".to_owned(),
        |parts| web::peer_address(&parts.extensions),
    )
}

/// Who the audit log names for the caller's changes: the person, from their address.
pub fn who(actor: &Actor) -> AuditContext {
    AuditContext::for_actor(actor, client_address())
}

/// The signed-in caller, if the request carries a live session. Asked of the core
/// once per request: a page and the server functions it calls as it renders share
/// the answer ([`provide_request_context`]).
pub async fn signed_in() -> Result<Option<Actor>, AppError> {
    let Some(parts) = use_context::<http::request::Parts>() else {
        return Ok(None);
    };
    let core = core()?;
    let authenticate = async || web::authenticate(&core, &parts, cookie_policy()).await;
    let found = match use_context::<RequestCaller>() {
        Some(RequestCaller(cell)) => cell.get_or_try_init(authenticate).await.cloned(),
        None => authenticate().await,
    };
    found.map_err(fail)
}

/// The caller of this request, once the core has said who it is.
#[derive(Clone, Debug, Default)]
struct RequestCaller(std::sync::Arc<tokio::sync::OnceCell<Option<Actor>>>);

/// What every request's context holds beyond the server's values: the place its
/// caller is remembered in, so that the session is checked once per request.
pub fn provide_request_context() {
    provide_context(RequestCaller::default());
    provide_csp_nonce();
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

/// Sets the session cookie of a sign-in; it lasts as long as the session may.
pub fn set_session_cookie(signed_in: &SignedIn) {
    let max_age = (signed_in.expires_at.millis() - Timestamp::now().millis()) / 1000;
    set_cookie(web::session_cookie(
        Some(&signed_in.token),
        max_age,
        cookie_policy(),
    ));
}

pub fn clear_session_cookie() {
    set_cookie(web::session_cookie(None, 0, cookie_policy()));
}

pub fn clear_cms_cookie(account: PartnerId) {
    set_cookie(cms_cookie(account, None, 0, cookie_policy()));
}

fn set_status(status: StatusCode) {
    if let Some(response) = use_context::<ResponseOptions>() {
        response.set_status(status);
    }
}

fn is_plain_form_post() -> bool {
    use_context::<http::request::Parts>()
        .is_some_and(|parts| web::is_browser_post(&parts.method, &parts.headers))
}

/// Turns a core error into the server function's error, with a fitting HTTP status.
///
/// A plain form post is answered 303 instead: server_fn has pointed its `Location`
/// back at the form's page with the error in the URL, and browsers follow a
/// `Location` only on a redirect (on a 401 they would show the JSON body).
pub fn fail(error: Error) -> AppError {
    set_status(if is_plain_form_post() {
        StatusCode::SEE_OTHER
    } else {
        status_of(&error)
    });
    match error {
        // A taken value is shown beside its field, as a bad one is.
        Error::Invalid(fields) | Error::Taken(fields) => AppError::Invalid(fields),
        Error::Unauthenticated => {
            // A page becomes a 302 to the sign-in page; a call from the hydrated
            // page tells its router to go there. An ended CMS Login has no sign-in
            // page of its own: it says that it ended.
            match cms_scope() {
                Some(account) => leptos_axum::redirect(&format!("/cms/{account}/ended")),
                None => leptos_axum::redirect("/login"),
            }
            AppError::Unauthenticated
        }
        Error::Forbidden(message) => AppError::Forbidden(message),
        e @ (Error::InvalidCredentials | Error::AccountUnavailable(_)) => {
            AppError::SignInRefused(e.to_string())
        }
        Error::NotFound(what) => AppError::NotFound(format!("No {what} was found.")),
        Error::Conflict(message) => AppError::Conflict(message),
        Error::QuotaReached(message) => AppError::QuotaReached(message),
        e @ (Error::TooManyAttempts { .. } | Error::Busy | Error::Unavailable(_)) => {
            if let Error::Unavailable(cause) = &e {
                tracing::warn!(error = %cause, "database unavailable");
            }
            if let (Some(response), Some(seconds)) =
                (use_context::<ResponseOptions>(), retry_after(&e))
            {
                response.insert_header(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
            AppError::TryLater(e.to_string())
        }
        e @ (Error::Database(_) | Error::Migration(_) | Error::Internal(_)) => {
            tracing::error!(error = ?e, "request failed");
            AppError::Internal
        }
    }
}
