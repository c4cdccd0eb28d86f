//! The session's cookies: their names under the server's policy, how they are read
//! from a request and how they are issued.

use cookie::{Cookie, SameSite};
use http::header;

use crate::auth::SessionToken;
use crate::domain::PartnerId;

pub const SESSION_COOKIE: &str = "umbrella_session";
/// The cookie of a CMS Login session. It is issued with `Path=/cms/<partner_id>`,
/// so only that tab's requests carry it, and the administrator's own
/// `umbrella_session` is never touched.
pub const CMS_COOKIE: &str = "umbrella_cms";

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

/// A session cookie (the console's or a CMS Login's) at `path`: script cannot read
/// it, other sites' requests do not carry it, and over HTTPS it travels only over
/// HTTPS. With no token, the cookie's removal.
fn session_cookie_header(
    name: &'static str,
    token: Option<&SessionToken>,
    path: String,
    max_age_seconds: i64,
    secure: bool,
) -> String {
    let (value, max_age) = match token {
        Some(token) => (token.as_str(), max_age_seconds),
        None => ("", 0),
    };
    Cookie::build((name, value.to_owned()))
        .path(path)
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(cookie::time::Duration::seconds(max_age.max(0)))
        .build()
        .to_string()
}

/// The `Set-Cookie` value of the administrator's session (or, with no token, its
/// removal).
pub fn session_cookie(
    token: Option<&SessionToken>,
    max_age_seconds: i64,
    policy: CookiePolicy,
) -> String {
    let name = policy.session_cookie();
    session_cookie_header(name, token, "/".to_owned(), max_age_seconds, policy.secure)
}

/// The `Set-Cookie` value of a CMS Login session (or, with no token, its removal).
pub fn cms_cookie(
    account: PartnerId,
    token: Option<&SessionToken>,
    max_age_seconds: i64,
    policy: CookiePolicy,
) -> String {
    let (name, path) = (policy.cms_cookie(), format!("/cms/{account}"));
    session_cookie_header(name, token, path, max_age_seconds, policy.secure)
}
