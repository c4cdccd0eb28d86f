//! Plain form posts: a browser submitting a server function's form itself, before the
//! WASM has loaded or without JavaScript. server_fn answers those by sending the
//! browser back to the `Referer` (with the error in the URL for `ActionForm` to show),
//! but Umbrella's pages send no Referer (`Referrer-Policy: no-referrer`: activation
//! links carry their token in the URL). So each form names its own page in a hidden
//! `__return` field (`app::components::return_here`), and this layer turns it into the
//! Referer server_fn reads, and the absolute URL it builds back into a local path.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use app::components::return_here::{KEEP_FIELD, RETURN_FIELD};
use app::server::{is_browser_post, is_server_function_path};

/// server_fn parses the Referer as an absolute URL; this origin is never sent anywhere:
/// the layer strips it from the answer's `Location`.
const PLACEHOLDER_ORIGIN: &str = "http://umbrella.invalid";

/// The largest form a browser may post to a server function.
pub const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

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
    let back = field(RETURN_FIELD)?;
    if !back.starts_with('/') || back.starts_with("//") || back.contains('\\') {
        return None;
    }
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

fn is_secret(field: &str) -> bool {
    let field = field.to_ascii_lowercase();
    ["password", "confirm", "secret"]
        .iter()
        .any(|word| field.contains(word))
}

pub async fn plain_form_posts(request: Request<Body>, next: Next) -> Response {
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
    if let Some(local) = local {
        response.headers_mut().insert(header::LOCATION, local);
    }
    response
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
            "login",
        ] {
            assert_eq!(
                return_paths(&form(&[("__return", elsewhere)])),
                None,
                "{elsewhere}"
            );
        }
        assert_eq!(return_paths(&form(&[("email", "x")])), None);
    }
}
