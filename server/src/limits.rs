//! Bounds on every request: how large its body may be and how long its handler may
//! run. A server function's body is read whole before it runs, so the limit is
//! checked here, on the bytes, whatever `Content-Length` claims (a chunked body has
//! none).

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;

/// How large a request may be and how long it may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestLimits {
    /// The body of a server function or form post.
    pub body_bytes: usize,
    /// The body of a content import (a whole bundle).
    pub import_body_bytes: usize,
    /// How long a handler may run.
    pub handler_timeout: Duration,
    /// How long an import's handler may run.
    pub import_timeout: Duration,
}

impl Default for RequestLimits {
    fn default() -> Self {
        Self {
            body_bytes: 2 * MIB,
            import_body_bytes: IMPORT_BODY_MIB * MIB,
            handler_timeout: Duration::from_secs(30),
            import_timeout: Duration::from_secs(120),
        }
    }
}

const MIB: usize = 1024 * 1024;

/// The largest bundle an import accepts, in MiB: a bundle at every per-kind limit
/// of the format, with names and descriptions of typical length, is well under it.
pub const IMPORT_BODY_MIB: usize = 16;

/// Whether the request is a content import, which may be larger and take longer:
/// the console's server function, or the API's `PUT /accounts/{id}/content`.
fn is_import(method: &Method, path: &str) -> bool {
    path.ends_with("/api/import_content")
        || (method == Method::PUT
            && path.starts_with("/api/v1/accounts/")
            && path.ends_with("/content"))
}

pub async fn bound_requests(
    State(limits): State<RequestLimits>,
    request: Request<Body>,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let (max_bytes, deadline) = if is_import(request.method(), &path) {
        (limits.import_body_bytes, limits.import_timeout)
    } else {
        (limits.body_bytes, limits.handler_timeout)
    };
    let (parts, body) = request.into_parts();
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let too_large = |parts: &axum::http::request::Parts| {
        crate::security::refusal(
            &parts.method,
            parts.uri.path(),
            &parts.headers,
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!(
                "This request is larger than the server accepts here ({} MiB).",
                max_bytes / MIB
            ),
        )
    };
    if declared.is_some_and(|length| length > max_bytes as u64) {
        return too_large(&parts);
    }
    let request = if declared == Some(0) || parts.method == axum::http::Method::GET {
        Request::from_parts(parts, body)
    } else {
        match read_body(body, declared, max_bytes).await {
            Ok(bytes) => Request::from_parts(parts, Body::from(bytes)),
            Err(BodyError::TooLarge) => return too_large(&parts),
            // The client stopped sending; it will not read an answer anyway.
            Err(BodyError::Broken) => return StatusCode::BAD_REQUEST.into_response(),
        }
    };
    let (method, headers) = (request.method().clone(), request.headers().clone());
    match tokio::time::timeout(deadline, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(%path, seconds = deadline.as_secs(), "handler timed out");
            let mut response = crate::security::refusal(
                &method,
                &path,
                &headers,
                StatusCode::SERVICE_UNAVAILABLE,
                "The server took too long with this request and stopped it. \
                 Reload to see whether it took effect, then try again.",
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            response
        }
    }
}

enum BodyError {
    TooLarge,
    Broken,
}

/// Reads the body into one buffer, sized up front when the client declared the
/// length, each frame freed as soon as it is copied: a body is held once, not
/// twice as collecting the frames and then joining them would.
async fn read_body(
    mut body: Body,
    declared: Option<u64>,
    max_bytes: usize,
) -> Result<bytes::Bytes, BodyError> {
    let expected = declared.map_or(0, |length| length as usize);
    let mut buffer = bytes::BytesMut::with_capacity(expected.min(max_bytes));
    while let Some(frame) = body.frame().await {
        let frame = frame.map_err(|_| BodyError::Broken)?;
        if let Ok(data) = frame.into_data() {
            if buffer.len() + data.len() > max_bytes {
                return Err(BodyError::TooLarge);
            }
            buffer.extend_from_slice(&data);
        }
    }
    Ok(buffer.freeze())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_imports_get_the_larger_limits() {
        let post = Method::POST;
        assert!(is_import(&post, "/api/import_content"));
        assert!(is_import(&post, "/cms/123/api/import_content"));
        assert!(!is_import(&post, "/api/create_account"));
        assert!(!is_import(&post, "/api/import_content/x"));
        assert!(is_import(&Method::PUT, "/api/v1/accounts/7/content"));
        assert!(!is_import(&Method::GET, "/api/v1/accounts/7/content"));
        assert!(!is_import(&Method::PUT, "/api/v1/users/7/role"));
    }
}
