//! The HTTP side of CMS Login. A CMS Login tab lives under `/cms/<partner_id>/`: its
//! pages, its server functions (`/cms/<partner_id>/api/…`) and the cookie that
//! authenticates them, which the browser sends nowhere else. The rules are the
//! core's (`Umbrella::start_cms_session`, `Umbrella::authenticate`).

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use umbrella::audit::AuditContext;
use umbrella::auth::SessionToken;
use umbrella::web::{
    CmsScope, CookiePolicy, cms_cookie, cookie_value, peer_address, retry_after, split_cms_path,
    status_of,
};
use umbrella::{Error, Umbrella};

/// Marks every request under `/cms/<partner_id>/` with its scope, so that the
/// session is read from the CMS cookie and checked against that account.
pub async fn tag_scope(mut request: Request<Body>) -> Request<Body> {
    if let Some((account, _)) = split_cms_path(request.uri().path()) {
        request.extensions_mut().insert(CmsScope(account));
    }
    request
}

/// `/cms/<partner_id>/api/<function>`: the same server functions as `/api/…`, run
/// in the CMS Login's scope (set by [`tag_scope`]).
pub async fn server_function(
    context: impl Fn() + Clone + Send + 'static,
    mut request: Request<Body>,
) -> Response {
    let rewritten = split_cms_path(request.uri().path()).and_then(|(_, rest)| {
        let path_and_query = match request.uri().query() {
            Some(query) => format!("{rest}?{query}"),
            None => rest.to_owned(),
        };
        Uri::builder().path_and_query(path_and_query).build().ok()
    });
    match rewritten {
        Some(uri) => *request.uri_mut() = uri,
        None => return StatusCode::NOT_FOUND.into_response(),
    }
    leptos_axum::handle_server_fns_with_context(context, request)
        .await
        .into_response()
}

/// `POST /cms/<partner_id>/login`, from the "CMS Login" row action's form (which
/// opens a new tab): checks the administrator's own session, starts the CMS Login,
/// sets its cookie and sends the tab to the account's console. Audited, refused or not.
pub async fn start(umbrella: Umbrella, cookies: CookiePolicy, request: Request<Body>) -> Response {
    // Cross-site posts never get here: the CSRF layer refuses them first.
    let Some((account, _)) = split_cms_path(request.uri().path()) else {
        return refusal(StatusCode::NOT_FOUND, "There is no such account.");
    };
    let Some(token) = cookie_value(request.headers(), cookies.session_cookie())
        .map(|value| SessionToken::from_client(&value))
    else {
        return see_other("/login", None);
    };
    let actor = match umbrella.authenticate(&token, None).await {
        Ok(actor) => actor,
        Err(Error::Unauthenticated) => return see_other("/login", None),
        Err(e) => return failure(&e),
    };
    let address = peer_address(request.extensions());
    let context = AuditContext::for_actor(&actor, address.clone());
    let started = umbrella
        .start_cms_session(&context, &actor, &token, account, &address)
        .await;
    match started {
        Ok(session) => see_other(
            &format!("/cms/{account}/console"),
            Some(cms_cookie(
                session.partner_id,
                Some(&session.token),
                session.lifetime_seconds,
                cookies,
            )),
        ),
        Err(e) => failure(&e),
    }
}

fn see_other(location: &str, cookie: Option<String>) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(location) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    if let Some(Ok(cookie)) = cookie.map(|c| HeaderValue::from_str(&c)) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

fn failure(error: &Error) -> Response {
    let status = status_of(error);
    let message = match error {
        Error::NotFound(what) => format!("No {what} was found in your organization."),
        _ if status == StatusCode::INTERNAL_SERVER_ERROR => {
            tracing::error!(error = ?error, "CMS Login failed");
            "Something went wrong on our side. Please try again.".to_owned()
        }
        other => other.to_string(),
    };
    let mut response = refusal(status, &message);
    if let Some(seconds) = retry_after(error) {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

/// The page a refused CMS Login tab shows: what happened and the way back.
fn refusal(status: StatusCode, message: &str) -> Response {
    crate::security::refusal_page(
        status,
        "CMS Login refused",
        message,
        ("/multi-account", "Back to the accounts"),
    )
}
