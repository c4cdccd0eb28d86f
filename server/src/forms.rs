//! Plain form posts: a browser submitting a server function's form itself, before the
//! WASM has loaded or without JavaScript. server_fn answers those by sending the
//! browser back to the `Referer` (with the error in the URL for `ActionForm` to show),
//! but Umbrella's pages send no Referer (`Referrer-Policy: no-referrer`: activation
//! links carry their token in the URL). So each form names its own page in a hidden
//! `__return` field (`app::components::return_here`), and this layer turns it into the
//! Referer server_fn reads, and the absolute URL it builds back into a local path.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use app::components::return_here::{KEEP_FIELD, RETURN_FIELD};
use app::server::split_cms_path;

/// server_fn parses the Referer as an absolute URL; this origin is never sent anywhere:
/// the layer strips it from the answer's `Location`.
const PLACEHOLDER_ORIGIN: &str = "http://umbrella.invalid";

/// The largest form a browser may post to a server function.
pub const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

/// Whether a request is a browser's own form submission to a server function.
fn is_plain_form_post(request: &Request<Body>) -> bool {
    let header = |name| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    };
    let path = request.uri().path();
    let is_server_function = path.starts_with("/api/")
        || split_cms_path(path).is_some_and(|(_, rest)| rest.starts_with("/api/"));
    request.method() == Method::POST
        && is_server_function
        && header(header::ACCEPT).contains("text/html")
        && header(header::CONTENT_TYPE).starts_with("application/x-www-form-urlencoded")
}

/// The page to send the browser back to: the form's `__return` path, without an
/// earlier error, with the fields named in `__keep` (never a password) filled in.
/// Only a path on this server: anything else would make Umbrella an open redirect.
pub fn return_path(form: &[(String, String)]) -> Option<String> {
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
    let mut pairs = form_urlencoded::Serializer::new(String::new());
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        if key != "__path" && key != "__err" && !kept.contains(&key.as_ref()) {
            pairs.append_pair(&key, &value);
        }
    }
    for name in kept {
        if let Some(value) = field(name) {
            pairs.append_pair(name, value);
        }
    }
    let query = pairs.finish();
    Some(if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    })
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
            parts.uri.path(),
            StatusCode::PAYLOAD_TOO_LARGE,
            "This form is larger than the server accepts (2 MiB).",
        );
    };
    let form: Vec<(String, String)> = form_urlencoded::parse(&bytes).into_owned().collect();
    if let Some(back) = return_path(&form)
        && let Ok(referer) = HeaderValue::from_str(&format!("{PLACEHOLDER_ORIGIN}{back}"))
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
        .and_then(|l| HeaderValue::from_str(if l.is_empty() { "/" } else { l }).ok());
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
            return_path(&sign_in).as_deref(),
            Some("/login?email=boss%40uni.example")
        );
        let activation = form(&[("__return", "/activate?token=abc"), ("password", "x")]);
        assert_eq!(
            return_path(&activation).as_deref(),
            Some("/activate?token=abc")
        );
        for elsewhere in [
            "https://evil.example/",
            "//evil.example/x",
            "/\\evil.example",
            "login",
        ] {
            assert_eq!(
                return_path(&form(&[("__return", elsewhere)])),
                None,
                "{elsewhere}"
            );
        }
        assert_eq!(return_path(&form(&[("email", "x")])), None);
    }
}
