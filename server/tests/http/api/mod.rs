//! The reseller API through the real router, one module per tab it exposes.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::Value;
use umbrella::audit::AuditContext;
use umbrella::domain::{ApiTokenForm, PartnerId};

use crate::support::*;

mod accounts;
mod audit;
mod content;
mod matrix;
mod users;

/// An organization (quota 5) and a token of the given access (`read_only` or
/// `read_write`) for it.
pub async fn org_and_token(app: &TestApp, email: &str, access: &str) -> (PartnerId, String) {
    let parent = app.organization(&format!("Org of {email}"), email).await;
    let token = token_for(app, parent, access, &format!("{access} token")).await;
    (parent, token)
}

/// Another token for an organization's parent account.
pub async fn token_for(app: &TestApp, parent: PartnerId, access: &str, name: &str) -> String {
    let created = app
        .umbrella()
        .operator_create_api_token(
            &AuditContext::unrecorded(),
            parent,
            &ApiTokenForm {
                name: name.to_owned(),
                access: access.to_owned(),
                expires_days: String::new(),
            },
        )
        .await
        .unwrap();
    created.secret.as_str().to_owned()
}

pub async fn api(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value, Reply) {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let request = match body {
        Some(body) => request
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string())),
        None => request.body(Body::empty()),
    }
    .unwrap();
    let reply = app.send(request).await;
    let value = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
    (reply.status, value, reply)
}
