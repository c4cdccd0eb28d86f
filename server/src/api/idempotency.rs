//! `Idempotency-Key` on creates: the core keeps each key's first answer.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use umbrella::api_tokens::ApiCaller;
use umbrella::idempotency::Claim;

use super::ApiState;
use super::problem::{self, Problem};

pub const HEADER: &str = "idempotency-key";

/// The request's key, if it sent one.
pub fn key(headers: &HeaderMap) -> Result<Option<String>, Problem> {
    match headers.get(HEADER) {
        None => Ok(None),
        Some(value) => value.to_str().map(|v| Some(v.to_owned())).map_err(|_| {
            Problem::from(umbrella::Error::invalid(
                "Idempotency-Key",
                "An Idempotency-Key is printable ASCII.",
            ))
        }),
    }
}

/// Runs `create` once per key: a retry with the same key and body gets the first
/// answer (marked `Idempotent-Replayed: true`) and runs nothing. What is kept for
/// the retry is the answer after `without_secrets`: the store is a database table,
/// and whoever reads it (a backup, say) must find no live link in it.
pub async fn once<T: Serialize + Clone>(
    state: &ApiState,
    caller: &ApiCaller,
    key: &str,
    body: &impl Serialize,
    without_secrets: impl FnOnce(&mut T),
    create: impl Future<Output = Result<T, Problem>>,
) -> Response {
    let fingerprint = serde_json::to_vec(body).unwrap_or_default();
    let claim = state
        .umbrella
        .claim_idempotency_key(caller.token_id, key, &fingerprint)
        .await;
    match claim {
        Err(error) => Problem::from(error).into_response(),
        Ok(Claim::Replay { status, body }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let kind = if status.is_success() {
                "application/json"
            } else {
                problem::CONTENT_TYPE
            };
            let mut response = (status, [(header::CONTENT_TYPE, kind)], body).into_response();
            response
                .headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
            response
        }
        Ok(Claim::Fresh) => {
            let (status, body, response) = match create.await {
                Ok(created) => {
                    let response = (
                        StatusCode::CREATED,
                        [(header::CONTENT_TYPE, "application/json")],
                        serde_json::to_string(&created).unwrap_or_default(),
                    )
                        .into_response();
                    let mut kept = created.clone();
                    without_secrets(&mut kept);
                    let body = serde_json::to_string(&kept).unwrap_or_default();
                    (StatusCode::CREATED, body, response)
                }
                Err(problem) => {
                    let body = serde_json::to_string(&problem).unwrap_or_default();
                    let status = StatusCode::from_u16(problem.status)
                        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                    (status, body, problem.into_response())
                }
            };
            // A refusal is as final as a success; a failure worth retrying (the
            // server's, or a rate) frees the key for the retry.
            let kept = if status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS {
                state
                    .umbrella
                    .release_idempotency_key(caller.token_id, key)
                    .await
            } else {
                state
                    .umbrella
                    .settle_idempotency_key(caller.token_id, key, status.as_u16(), &body)
                    .await
            };
            if let Err(error) = kept {
                tracing::error!(%error, "could not keep the idempotency key's answer");
            }
            response
        }
    }
}
