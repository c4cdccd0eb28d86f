//! Server-side plumbing for the server functions: the core from context, the caller
//! from the session cookie, and core errors turned into HTTP answers.
//! Nothing here decides a business rule.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use axum::http::{HeaderValue, StatusCode, header};
use cookie::{Cookie, SameSite};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use umbrella::audit::AuditContext;
use umbrella::auth::{Actor, SessionToken, SignedIn};
use umbrella::clock::Timestamp;
use umbrella::domain::PartnerId;
use umbrella::{Error, Umbrella};

use crate::error::{AppError, FieldProblem};

pub const SESSION_COOKIE: &str = "umbrella_session";
/// The cookie of a CMS Login session. It is issued with `Path=/cms/<partner_id>`,
/// so only that tab's requests carry it, and the administrator's own
/// `umbrella_session` is never touched.
pub const CMS_COOKIE: &str = "umbrella_cms";

/// Put on every request under `/cms/<partner_id>/` by the server's outermost layer:
/// such a request is authenticated by the CMS Login cookie, for that account only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CmsScope(pub PartnerId);

/// A request's CMS Login account and the path below its prefix.
pub fn split_cms_path(path: &str) -> Option<(PartnerId, &str)> {
    crate::cms_path::split(path).map(|(id, rest)| (PartnerId::new(id), rest))
}

/// How the session cookie is issued; the server provides it as context.
#[derive(Clone, Copy, Debug, Default)]
pub struct CookiePolicy {
    /// Adds `Secure` and the cookie name prefixes that browsers enforce: set it
    /// when the console is served over HTTPS.
    pub secure: bool,
}

impl CookiePolicy {
    /// The administrator's session cookie. Served securely it is a `__Host-`
    /// cookie: the browser takes it only over HTTPS, for this host alone, with
    /// `Path=/`, so neither a sibling subdomain nor plain HTTP can plant one.
    pub fn session_cookie(self) -> &'static str {
        if self.secure {
            "__Host-umbrella_session"
        } else {
            SESSION_COOKIE
        }
    }

    /// The CMS Login cookie. Its path is the account's prefix, which `__Host-`
    /// forbids; `__Secure-` still makes the browser refuse it over plain HTTP.
    pub fn cms_cookie(self) -> &'static str {
        if self.secure {
            "__Secure-umbrella_cms"
        } else {
            CMS_COOKIE
        }
    }
}

fn cookie_policy() -> CookiePolicy {
    use_context::<CookiePolicy>().unwrap_or_default()
}

/// The CSP nonce of this answer, put into the request by the server's security
/// layer, which sends the same nonce in the `Content-Security-Policy` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CspNonce(pub String);

/// Random bytes in a nonce (hex-encoded in the page and the header).
pub const CSP_NONCE_BYTES: usize = 16;

/// Makes the page's inline scripts carry the nonce of this answer's policy
/// (Leptos reads it from context). Called in every request's context.
pub fn provide_csp_nonce() {
    if let Some(nonce) = use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<CspNonce>().cloned())
    {
        provide_context(leptos::nonce::Nonce::from_value(nonce.0));
    }
}

/// The client's address as the server established it (the peer, or what a trusted
/// proxy said); put in every request's extensions by the server's outermost layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub std::net::IpAddr);

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
    use_context::<http::request::Parts>()?
        .extensions
        .get::<CmsScope>()
        .map(|scope| scope.0)
}

/// The session token from the request's cookie, if any: under a CMS Login URL the
/// CMS cookie, everywhere else the ordinary one.
pub fn session_token() -> Option<SessionToken> {
    let parts = use_context::<http::request::Parts>()?;
    let policy = cookie_policy();
    let wanted = if cms_scope().is_some() {
        policy.cms_cookie()
    } else {
        policy.session_cookie()
    };
    cookie_value(&parts.headers, wanted).map(|value| SessionToken::from_client(&value))
}

/// Every cookie among the request's `Cookie` headers, as (name, value).
pub fn request_cookies(headers: &http::HeaderMap) -> impl Iterator<Item = (String, String)> + '_ {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .map(|cookie| (cookie.name().to_owned(), cookie.value().to_owned()))
}

/// The value of the named cookie among the request's headers.
pub fn cookie_value(headers: &http::HeaderMap, name: &str) -> Option<String> {
    request_cookies(headers)
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

/// The client's address, for the audit log.
pub fn client_address() -> String {
    use_context::<http::request::Parts>().map_or_else(
        || "unknown".to_owned(),
        |parts| peer_address(&parts.extensions),
    )
}

/// The client's address from a request's extensions: what the server established
/// ([`ClientAddress`]), else the peer ("unknown" when the server was not started
/// with connection info, as in the router tests).
pub fn peer_address(extensions: &http::Extensions) -> String {
    if let Some(ClientAddress(address)) = extensions.get::<ClientAddress>() {
        return address.to_string();
    }
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |info| info.0.ip().to_string())
}

/// Who the audit log names for the caller's changes: the person, from their address.
pub fn who(actor: &Actor) -> AuditContext {
    AuditContext::for_actor(actor, client_address())
}

/// The signed-in caller, if the request carries a live session.
pub async fn signed_in() -> Result<Option<Actor>, AppError> {
    let Some(token) = session_token() else {
        return Ok(None);
    };
    match core()?.authenticate(&token, cms_scope()).await {
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

/// A session cookie (the console's or a CMS Login's): script cannot read it, other
/// sites' requests do not carry it, and over HTTPS it travels only over HTTPS.
fn session_cookie_header(
    name: &'static str,
    value: &str,
    path: String,
    max_age_seconds: i64,
    secure: bool,
) -> String {
    Cookie::build((name, value.to_owned()))
        .path(path)
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(cookie::time::Duration::seconds(max_age_seconds.max(0)))
        .build()
        .to_string()
}

/// Sets the session cookie of a sign-in; it lasts as long as the session may.
pub fn set_session_cookie(signed_in: &SignedIn) {
    let max_age = (signed_in.expires_at.millis() - Timestamp::now().millis()) / 1000;
    let policy = cookie_policy();
    set_cookie(session_cookie_header(
        policy.session_cookie(),
        signed_in.token.as_str(),
        "/".to_owned(),
        max_age,
        policy.secure,
    ));
}

pub fn clear_session_cookie() {
    let policy = cookie_policy();
    set_cookie(session_cookie_header(
        policy.session_cookie(),
        "",
        "/".to_owned(),
        0,
        policy.secure,
    ));
}

/// The `Set-Cookie` value of a CMS Login session (or, with no token, its removal).
pub fn cms_cookie(
    account: PartnerId,
    token: Option<&SessionToken>,
    max_age_seconds: i64,
    policy: CookiePolicy,
) -> String {
    let (value, max_age) = match token {
        Some(token) => (token.as_str(), max_age_seconds),
        None => ("", 0),
    };
    session_cookie_header(
        policy.cms_cookie(),
        value,
        format!("/cms/{account}"),
        max_age,
        policy.secure,
    )
}

pub fn clear_cms_cookie(account: PartnerId) {
    set_cookie(cms_cookie(account, None, 0, cookie_policy()));
}

fn set_status(status: StatusCode) {
    if let Some(response) = use_context::<ResponseOptions>() {
        response.set_status(status);
    }
}

/// Whether a request is a browser posting a form itself (before the WASM has
/// loaded, or without JavaScript) rather than the WASM calling a server function,
/// which asks for JSON: the browser asks for HTML.
pub fn is_browser_post(method: &http::Method, headers: &http::HeaderMap) -> bool {
    method == http::Method::POST
        && headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
}

/// Whether a path is a server function's, at `/api/…` or under a CMS Login prefix.
pub fn is_server_function_path(path: &str) -> bool {
    // `/api/v1` is the reseller API (the server's own routes), not server functions.
    (path.starts_with("/api/") && !path.starts_with("/api/v1/") && path != "/api/v1")
        || split_cms_path(path).is_some_and(|(_, rest)| rest.starts_with("/api/"))
}

fn is_plain_form_post() -> bool {
    use_context::<http::request::Parts>()
        .is_some_and(|parts| is_browser_post(&parts.method, &parts.headers))
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
        Error::Invalid(fields) | Error::Taken(fields) => AppError::Invalid(
            fields
                .into_iter()
                .map(|f| FieldProblem {
                    field: f.field,
                    message: f.message,
                })
                .collect(),
        ),
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

/// The HTTP status that answers a core error, for server functions and the plain
/// routes alike.
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
