//! What a request says about its caller: where it came from, which CMS Login tab
//! it belongs to, and which signed-in person its session cookie names.

use std::net::SocketAddr;

use axum::extract::ConnectInfo;
use http::{Method, header};

use super::cookies::{CookiePolicy, cookie_value};
use super::paths;
use crate::auth::{Actor, SessionToken};
use crate::domain::PartnerId;
use crate::{Error, Umbrella};

/// Put on every request under `/cms/<partner_id>/` by the server's outermost layer:
/// such a request is authenticated by the CMS Login cookie, for that account only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CmsScope(pub PartnerId);

/// The client's address as the server established it (the peer, or what a trusted
/// proxy said); put in every request's extensions by the server's outermost layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub std::net::IpAddr);

/// The CSP nonce of this answer, put into the request by the server's security
/// layer, which sends the same nonce in the `Content-Security-Policy` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CspNonce(pub String);

/// Random bytes in a nonce (hex-encoded in the page and the header).
pub const CSP_NONCE_BYTES: usize = 16;

/// A request's CMS Login account and the path below its prefix.
pub fn split_cms_path(path: &str) -> Option<(PartnerId, &str)> {
    paths::split(path).map(|(id, rest)| (PartnerId::new(id), rest))
}

/// The account whose CMS Login URL the request came to, if any.
pub fn cms_scope(extensions: &http::Extensions) -> Option<PartnerId> {
    extensions.get::<CmsScope>().map(|scope| scope.0)
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

/// Whether a request is a browser posting a form itself (before the WASM has
/// loaded, or without JavaScript) rather than the WASM calling a server function,
/// which asks for JSON: the browser asks for HTML.
pub fn is_browser_post(method: &Method, headers: &http::HeaderMap) -> bool {
    method == Method::POST
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

/// The session token a request carries: under a CMS Login URL the CMS cookie,
/// everywhere else the ordinary one.
pub fn session_token(parts: &http::request::Parts, policy: CookiePolicy) -> Option<SessionToken> {
    let wanted = if cms_scope(&parts.extensions).is_some() {
        policy.cms_cookie()
    } else {
        policy.session_cookie()
    };
    cookie_value(&parts.headers, wanted).map(|value| SessionToken::from_client(&value))
}

/// The signed-in person a request carries, checked by the core: `None` without a
/// live session. Under a CMS Login URL, only that account's CMS Login session.
pub async fn authenticate(
    core: &Umbrella,
    parts: &http::request::Parts,
    policy: CookiePolicy,
) -> Result<Option<Actor>, Error> {
    let Some(token) = session_token(parts, policy) else {
        return Ok(None);
    };
    match core
        .authenticate(&token, cms_scope(&parts.extensions))
        .await
    {
        Ok(actor) => Ok(Some(actor)),
        Err(Error::Unauthenticated) => Ok(None),
        Err(e) => Err(e),
    }
}
