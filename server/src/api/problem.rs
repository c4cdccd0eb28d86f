//! Errors as RFC 9457 problem details (`application/problem+json`), one shape for
//! every refusal of the API: what went wrong, and for bad fields, which.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use umbrella::Error;

pub const CONTENT_TYPE: &str = "application/problem+json";

/// One bad field of a request, named as the request names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[schema(example = json!({"field": "admin_email", "message": "Enter an email address such as name@example.com."}))]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

/// An RFC 9457 problem: `type` is `about:blank`, so `title` is the status's own
/// phrase; `detail` says what happened to this request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "about:blank",
    "title": "Unprocessable Content",
    "status": 422,
    "detail": "Some fields are not acceptable; each is named under errors.",
    "errors": [{"field": "name", "message": "Account Name is required."}]
}))]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Each bad field (422) or each value already in use (409); empty otherwise.
    pub errors: Vec<FieldProblem>,
    #[serde(skip)]
    retry_after: Option<u64>,
}

impl Problem {
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        Self {
            kind: "about:blank".to_owned(),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
            retry_after: None,
        }
    }

    pub fn with_fields(mut self, fields: Vec<umbrella::FieldError>) -> Self {
        self.errors = fields
            .into_iter()
            .map(|f| FieldProblem {
                field: f.field,
                message: f.message,
            })
            .collect();
        self
    }

    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds.max(1));
        self
    }

    pub fn unauthenticated() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "Send a live API token as \"Authorization: Bearer <token>\". Tokens are made \
             on the API tab or with \"umbrella operator create-api-token\".",
        )
    }
}

impl From<Error> for Problem {
    fn from(error: Error) -> Self {
        let status = umbrella::web::status_of(&error);
        match error {
            Error::Invalid(fields) => Self::new(
                status,
                "Some fields are not acceptable; each is named under errors.",
            )
            .with_fields(fields),
            Error::Taken(fields) => Self::new(
                status,
                "A value that must be unique is already in use; it is named under errors.",
            )
            .with_fields(fields),
            Error::Unauthenticated | Error::InvalidCredentials | Error::AccountUnavailable(_) => {
                Self::unauthenticated()
            }
            Error::NotFound(what) => Self::new(status, format!("No {what} was found.")),
            e @ (Error::Database(_) | Error::Migration(_) | Error::Internal(_)) => {
                tracing::error!(error = ?e, "API request failed");
                Self::new(
                    status,
                    "The server failed to answer; the failure is logged.",
                )
            }
            other => {
                let retry = umbrella::web::retry_after(&other);
                let problem = Self::new(status, other.to_string());
                match retry {
                    Some(seconds) => problem.retry_after(u64::try_from(seconds).unwrap_or(1)),
                    None => problem,
                }
            }
        }
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_string(&self).unwrap_or_default();
        let mut response = (status, [(header::CONTENT_TYPE, CONTENT_TYPE)], body).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"umbrella\""),
            );
        }
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// A handler's result: JSON, or a problem.
pub type ApiResult<T> = Result<T, Problem>;
