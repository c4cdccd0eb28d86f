//! The layers that make the console safe to put on the internet: who the client is
//! (behind trusted proxies only), that a change comes from Umbrella's own pages
//! (CSRF), and the headers every answer carries (CSP with a nonce, no caching of
//! signed-in pages, no framing, no sniffing, no referrer).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use ipnet::IpNet;
use rand::RngCore;

use app::error::AppError;
use umbrella::web::{
    CSP_NONCE_BYTES, ClientAddress, CookiePolicy, CspNonce, is_server_function_path,
};

/// What the security layers need to know about the deployment.
#[derive(Clone, Debug)]
pub struct SecurityConfig {
    /// The origin browsers see the console at, e.g. `https://umbrella.example.org`.
    pub public_origin: String,
    /// Peers whose `X-Forwarded-For` / `Forwarded` headers are believed.
    pub trusted_proxies: Vec<IpNet>,
    pub cookies: CookiePolicy,
}

/// Puts the client's address ([`ClientAddress`]) into the request: the peer's,
/// unless the peer is a trusted proxy, in which case the nearest address in the
/// forwarded chain that is not itself a trusted proxy.
pub async fn identify_client(
    State(config): State<Arc<SecurityConfig>>,
    mut request: Request<Body>,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    if let Some(peer) = peer {
        let client = client_address(peer, request.headers(), &config.trusted_proxies);
        request.extensions_mut().insert(ClientAddress(client));
    }
    next.run(request).await
}

fn is_trusted(address: IpAddr, trusted: &[IpNet]) -> bool {
    trusted.iter().any(|net| net.contains(&address))
}

pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    if !is_trusted(peer, trusted) {
        return peer;
    }
    // Walk back from the hop nearest to us: each entry was appended by the hop
    // before it, so only entries written by trusted proxies can be believed, and
    // the first address that is not a trusted proxy is the client. An entry that
    // cannot be read ends the walk at the last address we could trust.
    let mut client = peer;
    for entry in forwarded_chain(headers).iter().rev() {
        match entry {
            Some(address) => {
                client = *address;
                if !is_trusted(*address, trusted) {
                    break;
                }
            }
            None => break,
        }
    }
    client
}

/// The addresses of the forwarded chain, client first: from `Forwarded` (RFC 7239)
/// when present, else `X-Forwarded-For`. `None` for an entry that is not an address.
fn forwarded_chain(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let values = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|entry| entry.trim().to_owned())
            .collect()
    };
    let forwarded = values("forwarded");
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .map(|element| {
                element
                    .split(';')
                    .filter_map(|pair| pair.trim().split_once('='))
                    .find(|(key, _)| key.eq_ignore_ascii_case("for"))
                    .and_then(|(_, node)| parse_node(node))
            })
            .collect();
    }
    values("x-forwarded-for")
        .iter()
        .map(|entry| parse_node(entry))
        .collect()
}

/// `192.0.2.1`, `"[2001:db8::1]:4711"`, `192.0.2.1:80` → the address.
fn parse_node(node: &str) -> Option<IpAddr> {
    let node = node.trim().trim_matches('"');
    if let Ok(address) = node.parse() {
        return Some(address);
    }
    if let Some(rest) = node.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    node.parse::<SocketAddr>().ok().map(|s| s.ip())
}

/// Refuses a state-changing request unless it provably comes from Umbrella's own
/// pages: `Sec-Fetch-Site: same-origin`, or an `Origin` equal to the public origin.
/// A request with neither header is let through only when it carries no cookie of
/// ours (a script without a session has no one's authority to borrow).
pub async fn refuse_cross_site(
    State(config): State<Arc<SecurityConfig>>,
    request: Request<Body>,
    next: Next,
) -> Response {
    // The API never reads a cookie (a bearer token or nothing), so a request from
    // another site can change nothing it could not change with the token itself.
    if crate::api::is_api_path(request.uri().path()) {
        return next.run(request).await;
    }
    match cross_site_refusal(
        request.method(),
        request.headers(),
        &config.public_origin,
        config.cookies,
    ) {
        None => next.run(request).await,
        Some(reason) => {
            tracing::warn!(method = %request.method(), path = %request.uri().path(), reason,
                "cross-site request refused");
            refusal(
                request.method(),
                request.uri().path(),
                request.headers(),
                StatusCode::FORBIDDEN,
                &format!(
                    "This request was refused: {reason} Umbrella accepts changes only from its own pages."
                ),
            )
        }
    }
}

/// Why a request must be refused as cross-site, if it must.
pub fn cross_site_refusal(
    method: &Method,
    headers: &HeaderMap,
    public_origin: &str,
    cookies: CookiePolicy,
) -> Option<&'static str> {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return None;
    }
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if header("sec-fetch-site") == Some("same-origin") {
        return None;
    }
    if let Some(origin) = header("origin") {
        return (origin != public_origin)
            .then_some("it came from another site (its Origin is not this server's).");
    }
    if header("sec-fetch-site").is_some() {
        return Some("it came from another site.");
    }
    let carries_our_cookie = umbrella::web::request_cookies(headers)
        .any(|(name, _)| name == cookies.session_cookie() || name == cookies.cms_cookie());
    carries_our_cookie.then_some("it carries a session cookie but does not say which page sent it.")
}

/// The content security policy of an answer whose inline scripts carry `nonce`.
pub fn content_security_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
}

/// Gives the request a fresh CSP nonce (the page's inline scripts carry it, see
/// the app's context) and every answer the security headers. Answers that set no
/// caching of their own (pages, server functions) are never stored: they may be a
/// signed-in person's, or carry an activation link's form.
pub async fn security_headers(
    State(config): State<Arc<SecurityConfig>>,
    mut request: Request<Body>,
    next: Next,
) -> Response {
    let mut bytes = [0u8; CSP_NONCE_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let nonce = hex::encode(bytes);
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if let Ok(policy) = HeaderValue::from_str(&content_security_policy(&nonce)) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    let fixed = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            header::HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        ),
        (
            header::HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if config.cookies.secure {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// A refusal in the form its caller reads: the WASM calling a server function gets
/// the JSON error it decodes; a browser (a page, or a form it posts itself) gets a
/// small page, never a JSON body.
pub fn refusal(
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    status: StatusCode,
    message: &str,
) -> Response {
    if crate::api::is_api_path(path) {
        let problem = crate::api::Problem::new(status, message);
        return problem.into_response();
    }
    if is_server_function_path(path) && !umbrella::web::is_browser_post(method, headers) {
        let error = match status {
            StatusCode::FORBIDDEN => AppError::Forbidden(message.to_owned()),
            _ => AppError::TryLater(message.to_owned()),
        };
        let body = serde_json::to_string(&error).unwrap_or_default();
        return (status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
    }
    refusal_page(status, "Refused", message, ("/", "Back to Umbrella"))
}

/// A small page for a request refused outside the app's own pages: a heading, the
/// reason (escaped) and one way back.
pub fn refusal_page(
    status: StatusCode,
    title: &str,
    message: &str,
    (back_href, back_text): (&str, &str),
) -> Response {
    let page = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <title>{title} · Umbrella</title>\
         <link rel=\"stylesheet\" href=\"/pkg/umbrella.css\"></head>\
         <body><main class=\"centered\"><h1>{title}</h1>\
         <p role=\"alert\" class=\"form-error\">{}</p>\
         <p><a href=\"{}\">{}</a></p></main></body></html>",
        escape(message),
        escape(back_href),
        escape(back_text),
        title = escape(title),
    );
    (status, Html(page)).into_response()
}

fn escape(text: &str) -> String {
    html_escape::encode_double_quoted_attribute(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().unwrap()).collect()
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let spoofed = headers(&[("x-forwarded-for", "203.0.113.9")]);
        let peer: IpAddr = "198.51.100.7".parse().unwrap();
        // Not a trusted proxy: its header is ignored.
        assert_eq!(client_address(peer, &spoofed, &nets(&["10.0.0.0/8"])), peer);
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        assert_eq!(
            client_address(proxy, &spoofed, &nets(&["10.0.0.0/8"])),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        // A client's own made-up entry stands left of what the proxy appended.
        let chain = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.9, 10.0.0.5")]);
        assert_eq!(
            client_address(proxy, &chain, &nets(&["10.0.0.0/8"])),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        // Garbage where the proxy wrote: the proxy is the best we know.
        let garbage = headers(&[("x-forwarded-for", "not-an-address")]);
        assert_eq!(
            client_address(proxy, &garbage, &nets(&["10.0.0.0/8"])),
            proxy
        );
        // RFC 7239, with IPv6 and a port.
        let forwarded = headers(&[("forwarded", "for=\"[2001:db8::7]:4711\";proto=https")]);
        assert_eq!(
            client_address(proxy, &forwarded, &nets(&["10.0.0.0/8"])),
            "2001:db8::7".parse::<IpAddr>().unwrap()
        );
    }

    #[test]
    fn browsers_get_a_refusal_page_and_the_wasm_its_json() {
        let browser = headers(&[("accept", "text/html,application/xhtml+xml")]);
        let wasm = headers(&[("accept", "application/json")]);
        let status = StatusCode::FORBIDDEN;
        let post = Method::POST;
        let page = refusal(&post, "/api/sign_in", &browser, status, "no");
        let json = refusal(&post, "/api/sign_in", &wasm, status, "no");
        let content_type = |r: &Response| {
            r.headers()[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .to_owned()
        };
        assert!(
            content_type(&page).starts_with("text/html"),
            "{}",
            content_type(&page)
        );
        assert_eq!(content_type(&json), "application/json");
    }

    #[test]
    fn refusals_escape_their_message() {
        assert_eq!(
            escape("<b>\"x\" & y</b>"),
            "&lt;b&gt;&quot;x&quot; &amp; y&lt;/b&gt;"
        );
    }

    #[test]
    fn only_same_origin_changes_pass() {
        let origin = "https://umbrella.example.org";
        let policy = CookiePolicy::default();
        let post = Method::POST;
        let check = |pairs: &[(&'static str, &str)]| {
            cross_site_refusal(&post, &headers(pairs), origin, policy)
        };
        assert_eq!(check(&[("sec-fetch-site", "same-origin")]), None);
        assert_eq!(check(&[("origin", origin)]), None);
        assert!(check(&[("origin", "https://evil.example")]).is_some());
        assert!(check(&[("origin", "null")]).is_some());
        assert!(check(&[("sec-fetch-site", "cross-site")]).is_some());
        assert!(
            check(&[
                ("sec-fetch-site", "same-site"),
                ("origin", "https://sub.umbrella.example.org")
            ])
            .is_some()
        );
        assert!(check(&[("cookie", "umbrella_session=abc")]).is_some());
        assert!(check(&[("cookie", "umbrella_cms=abc")]).is_some());
        // No browser, no session: nobody's authority to borrow.
        assert_eq!(check(&[]), None);
        assert_eq!(check(&[("cookie", "other=1")]), None);
        // Reading is never refused.
        assert_eq!(
            cross_site_refusal(
                &Method::GET,
                &headers(&[("origin", "https://evil.example")]),
                origin,
                policy
            ),
            None
        );
    }
}
