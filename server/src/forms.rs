//! Plain form posts: a browser submitting a server function's form itself, before the
//! WASM has loaded or without JavaScript. server_fn answers those by sending the
//! browser back to the `Referer` (with the error in the URL for `ActionForm` to show),
//! but Umbrella's pages send no Referer (`Referrer-Policy: no-referrer`: activation
//! links carry their token in the URL). So each form names its own page in a hidden
//! `__return` field (`app::components::return_here`), and this layer turns it into the
//! Referer server_fn reads, and the absolute URL it builds back into a local path.
//!
//! server_fn would carry a refusal back in the URL (`?__path=…&__err=<base64>`), which
//! the page then shows: anyone could write a link that puts their own text in our
//! error box. So the refusal travels in a short-lived cookie instead (`FLASH_COOKIE`),
//! set only by this server's answer to this browser's post, read once by the page it
//! names; an `__err` in a URL is dropped before any page sees it.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use app::components::return_here::{KEEP_FIELD, RETURN_FIELD};
use umbrella::web::{CookiePolicy, is_browser_post, is_server_function_path};

/// server_fn parses the Referer as an absolute URL; this origin is never sent anywhere:
/// the layer strips it from the answer's `Location`.
const PLACEHOLDER_ORIGIN: &str = "http://umbrella.invalid";

/// The largest form a browser may post to a server function.
pub const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

/// The cookie that carries a plain form post's refusal to the page it goes back to.
pub const FLASH_COOKIE: &str = "umbrella_flash";
/// The same over HTTPS: `__Host-`, so no sibling subdomain can plant one.
const SECURE_FLASH_COOKIE: &str = "__Host-umbrella_flash";
/// Long enough for the redirect to be followed, short enough not to linger.
const FLASH_SECONDS: u32 = 60;
/// Browsers keep cookies of up to about 4 KB; a larger refusal says less, not nothing.
const MAX_FLASH_BYTES: usize = 3_500;
/// The query fields server_fn uses for a refusal, which only the flash may supply.
const ERROR_FIELDS: [&str; 2] = ["__path", "__err"];

fn flash_cookie_name(policy: CookiePolicy) -> &'static str {
    if policy.secure {
        SECURE_FLASH_COOKIE
    } else {
        FLASH_COOKIE
    }
}

/// Whether a request is a browser's own form submission to a server function.
fn is_plain_form_post(request: &Request<Body>) -> bool {
    is_browser_post(request.method(), request.headers())
        && is_server_function_path(request.uri().path())
        && request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|kind| kind.starts_with("application/x-www-form-urlencoded"))
}

/// The page to send the browser back to: the form's `__return` path, without an
/// earlier error, and the same with the fields named in `__keep` (never a password)
/// filled in, for a refusal to show what was typed. Only a path on this server:
/// anything else would make Umbrella an open redirect.
pub fn return_paths(form: &[(String, String)]) -> Option<(String, String)> {
    let field = |name: &str| {
        form.iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    let back = local_path(field(RETURN_FIELD)?)?;
    let back = back.as_str();
    let kept: Vec<&str> = field(KEEP_FIELD)
        .unwrap_or_default()
        .split(',')
        .filter(|name| !name.is_empty() && !is_secret(name))
        .collect();
    let (path, query) = back.split_once('?').unwrap_or((back, ""));
    let mut plain = form_urlencoded::Serializer::new(String::new());
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        if key != "__path" && key != "__err" && !kept.contains(&key.as_ref()) {
            plain.append_pair(&key, &value);
        }
    }
    let plain = plain.finish();
    // Appends to what is there, with a "&" when it is not empty.
    let mut typed = form_urlencoded::Serializer::for_suffix(plain.clone(), 0);
    for name in kept {
        if let Some(value) = field(name) {
            typed.append_pair(name, value);
        }
    }
    let with_query = |query: String| {
        if query.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{query}")
        }
    };
    Some((with_query(plain), with_query(typed.finish())))
}

/// `back` as the browser would resolve it against this server, when that stays on
/// this server: parsed by the URL parser (which, like browsers, strips tab, CR and LF,
/// reads `\\` as `/` and decodes the path's dots) and kept only when its origin is ours
/// and its path cannot be read as another host (`//…`). What goes out is the parsed
/// form, so the browser follows exactly what was checked.
pub fn local_path(back: &str) -> Option<String> {
    if !back.starts_with(['/', '\\']) {
        return None;
    }
    let base = url::Url::parse(PLACEHOLDER_ORIGIN).ok()?;
    let parsed = base.join(back).ok()?;
    if parsed.origin() != base.origin() || parsed.path().starts_with("//") {
        return None;
    }
    let path = parsed.path();
    if path.contains('\\') || !path.starts_with('/') {
        return None;
    }
    Some(match parsed.query() {
        Some(query) => format!("{path}?{query}"),
        None => path.to_owned(),
    })
}

fn is_secret(field: &str) -> bool {
    let field = field.to_ascii_lowercase();
    ["password", "confirm", "secret"]
        .iter()
        .any(|word| field.contains(word))
}

/// A refusal's `Location` split into the page it goes back to and what the flash
/// cookie carries (server_fn's `__path` and `__err`, and that page's path).
fn split_refusal(location: &str) -> Option<(String, String)> {
    let (path, query) = location.split_once('?')?;
    let mut kept = form_urlencoded::Serializer::new(String::new());
    let mut flash = form_urlencoded::Serializer::new(String::new());
    flash.append_pair("page", path);
    let mut refused = false;
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        if ERROR_FIELDS.contains(&key.as_ref()) {
            refused |= key == "__err";
            flash.append_pair(&key, &value);
        } else {
            kept.append_pair(&key, &value);
        }
    }
    if !refused {
        return None;
    }
    let kept = kept.finish();
    let back = if kept.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{kept}")
    };
    Some((back, flash.finish()))
}

fn flash_cookie(policy: CookiePolicy, value: &str, max_age: u32) -> Option<HeaderValue> {
    let secure = if policy.secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}",
        flash_cookie_name(policy)
    ))
    .ok()
}

/// The flash this request carries, as `(page, query fields)`.
fn read_flash(request: &Request<Body>, policy: CookiePolicy) -> Option<(String, String)> {
    let name = flash_cookie_name(policy);
    let value = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())?;
    let mut page = None;
    let mut fields = form_urlencoded::Serializer::new(String::new());
    for (key, value) in form_urlencoded::parse(value.as_bytes()) {
        if key == "page" {
            page = Some(value.into_owned());
        } else if ERROR_FIELDS.contains(&key.as_ref()) {
            fields.append_pair(&key, &value);
        }
    }
    Some((page?, fields.finish()))
}

/// `uri` without server_fn's refusal fields, and with `extra` (already encoded) added.
fn with_error_fields(uri: &axum::http::Uri, extra: Option<&str>) -> Option<axum::http::Uri> {
    // Only the path and query: a page request's URI has no authority to keep.
    let mut plain = form_urlencoded::Serializer::new(String::new());
    for (key, value) in form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes()) {
        if !ERROR_FIELDS.contains(&key.as_ref()) {
            plain.append_pair(&key, &value);
        }
    }
    let mut query = plain.finish();
    if let Some(extra) = extra.filter(|e| !e.is_empty()) {
        if !query.is_empty() {
            query.push('&');
        }
        query.push_str(extra);
    }
    let path_and_query = if query.is_empty() {
        uri.path().to_owned()
    } else {
        format!("{}?{query}", uri.path())
    };
    path_and_query.parse().ok()
}

/// A page request: never the URL's own `__err`; the flash's, when it names this page
/// (and then the flash is spent).
async fn page_with_flash(policy: CookiePolicy, mut request: Request<Body>, next: Next) -> Response {
    let flash = read_flash(&request, policy);
    let for_here = flash
        .as_ref()
        .filter(|(page, _)| page == request.uri().path())
        .map(|(_, fields)| fields.as_str());
    let carries_error = request.uri().query().is_some_and(|q| {
        form_urlencoded::parse(q.as_bytes()).any(|(k, _)| ERROR_FIELDS.contains(&k.as_ref()))
    });
    if (carries_error || for_here.is_some())
        && let Some(uri) = with_error_fields(request.uri(), for_here)
    {
        *request.uri_mut() = uri;
    }
    let spent = for_here.is_some();
    let mut response = next.run(request).await;
    if spent && let Some(clear) = flash_cookie(policy, "", 0) {
        response.headers_mut().append(header::SET_COOKIE, clear);
    }
    response
}

pub async fn plain_form_posts(
    State(policy): State<CookiePolicy>,
    request: Request<Body>,
    next: Next,
) -> Response {
    if request.method() == axum::http::Method::GET && !is_server_function_path(request.uri().path())
    {
        return page_with_flash(policy, request, next).await;
    }
    if !is_plain_form_post(&request) {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_FORM_BYTES).await else {
        return crate::security::refusal(
            &parts.method,
            parts.uri.path(),
            &parts.headers,
            StatusCode::PAYLOAD_TOO_LARGE,
            "This form is larger than the server accepts (2 MiB).",
        );
    };
    let form: Vec<(String, String)> = form_urlencoded::parse(&bytes).into_owned().collect();
    let back = return_paths(&form);
    if let Some((_, typed)) = &back
        && let Ok(referer) = HeaderValue::from_str(&format!("{PLACEHOLDER_ORIGIN}{typed}"))
    {
        parts.headers.insert(header::REFERER, referer);
    }
    let mut response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let local = response
        .headers()
        .get(header::LOCATION)
        .and_then(|l| l.to_str().ok())
        .and_then(|l| l.strip_prefix(PLACEHOLDER_ORIGIN))
        .map(|l| match &back {
            // Done: back to the page as it was, without what was typed.
            Some((plain, _)) if !l.contains("__err=") => plain.clone(),
            _ if l.is_empty() => "/".to_owned(),
            _ => l.to_owned(),
        })
        .and_then(|l| HeaderValue::from_str(&l).ok());
    let flash = local
        .as_ref()
        .and_then(|l| l.to_str().ok())
        .and_then(split_refusal);
    match flash {
        Some((back, flash)) => {
            let flash = if flash.len() > MAX_FLASH_BYTES {
                // Too long for a cookie: the page still says it was refused.
                let error = app::error::AppError::Request(
                    "The form was refused; please check what you entered and try again.".to_owned(),
                );
                refusal_only(&flash, &error)
            } else {
                flash
            };
            if let Ok(back) = HeaderValue::from_str(&back) {
                response.headers_mut().insert(header::LOCATION, back);
            }
            if let Some(cookie) = flash_cookie(policy, &flash, FLASH_SECONDS) {
                response.headers_mut().append(header::SET_COOKIE, cookie);
            }
        }
        None => {
            if let Some(local) = local {
                response.headers_mut().insert(header::LOCATION, local);
            }
        }
    }
    response
}

/// A flash for the same page and server function with `error` in place of the original.
fn refusal_only(flash: &str, error: &app::error::AppError) -> String {
    let fields: Vec<(String, String)> = form_urlencoded::parse(flash.as_bytes())
        .into_owned()
        .collect();
    let function = fields
        .iter()
        .find(|(key, _)| key == "__path")
        .map(|(_, value)| value.as_str())
        .unwrap_or_default();
    // server_fn's own encoding of an error, so that the page decodes it as ever.
    let encoded = leptos::server_fn::error::ServerFnUrlError::new(function, error.clone())
        .to_url(PLACEHOLDER_ORIGIN)
        .ok()
        .and_then(|url| {
            url.query_pairs()
                .find(|(key, _)| key == "__err")
                .map(|(_, value)| value.into_owned())
        })
        .unwrap_or_default();
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (key, value) in &fields {
        if key != "__err" {
            out.append_pair(key, value);
        }
    }
    out.append_pair("__err", &encoded);
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_way_back_is_a_local_path_with_safe_fields_only() {
        let sign_in = form(&[
            (
                "__return",
                "/login?__path=/api/sign_in&__err=old&email=old%40x.example",
            ),
            ("__keep", "email,password"),
            ("email", "boss@uni.example"),
            ("password", "never in a URL"),
        ]);
        assert_eq!(
            return_paths(&sign_in),
            Some((
                "/login".to_owned(),
                "/login?email=boss%40uni.example".to_owned()
            ))
        );
        let activation = form(&[("__return", "/activate?token=abc"), ("password", "x")]);
        let back = "/activate?token=abc".to_owned();
        assert_eq!(return_paths(&activation), Some((back.clone(), back)));
        for elsewhere in [
            "https://evil.example/",
            "//evil.example/x",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example/",
            "/\r/evil.example/",
            "/\n/evil.example/",
            "\t//evil.example/",
            "/\t\\evil.example",
            "/./\t/evil.example",
            "/.//evil.example",
            "/%2e//evil.example",
            "/x/..//evil.example",
            "login",
            "javascript:alert(1)",
            "",
        ] {
            assert_eq!(
                return_paths(&form(&[("__return", elsewhere)])),
                None,
                "{elsewhere}"
            );
        }
        assert_eq!(return_paths(&form(&[("email", "x")])), None);
    }

    #[test]
    fn local_paths_come_out_as_the_browser_reads_them() {
        assert_eq!(local_path("/login"), Some("/login".to_owned()));
        assert_eq!(
            local_path("/activate?token=a%2Fb"),
            Some("/activate?token=a%2Fb".to_owned())
        );
        // Encoded slashes are one path segment to the browser too: still this server.
        assert_eq!(
            local_path("/%2F%2Fevil.example"),
            Some("/%2F%2Fevil.example".to_owned())
        );
        // What browsers strip is stripped before the check, not after.
        assert_eq!(local_path("/lo\tgin"), Some("/login".to_owned()));
        assert_eq!(local_path("/a/../users"), Some("/users".to_owned()));
    }
}
