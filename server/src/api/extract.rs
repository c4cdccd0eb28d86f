//! axum's JSON and query extractors, answering a bad request with a problem instead
//! of plain text.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::problem::Problem;

/// A JSON body (`Content-Type: application/json`).
pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = Problem;

    async fn from_request(request: Request, state: &S) -> Result<Self, Problem> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(json_problem(&rejection)),
        }
    }
}

fn json_problem(rejection: &JsonRejection) -> Problem {
    let status = match rejection {
        JsonRejection::MissingJsonContentType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        JsonRejection::JsonDataError(_) => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::BAD_REQUEST,
    };
    Problem::new(
        status,
        format!(
            "The request body is not acceptable: {}",
            rejection.body_text()
        ),
    )
}

/// Query parameters.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Self(value)),
            Err(rejection) => Err(query_problem(&rejection)),
        }
    }
}

/// The rejection names the parameter first (`sort: unknown variant …`): the problem
/// names it under `errors`, as for every other bad field.
fn query_problem(rejection: &QueryRejection) -> Problem {
    let text = rejection.body_text();
    let reason = text
        .strip_prefix("Failed to deserialize query string: ")
        .unwrap_or(&text);
    let field = reason.split_once(": ").filter(|(field, _)| {
        !field.is_empty() && field.chars().all(|c| c.is_ascii_lowercase() || c == '_')
    });
    let problem = Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "Some parameters are not acceptable; each is named under errors.",
    );
    match field {
        Some((field, message)) => {
            problem.with_fields(vec![umbrella::FieldError::new(field, message)])
        }
        None => problem.with_fields(vec![umbrella::FieldError::new("query", reason)]),
    }
}
