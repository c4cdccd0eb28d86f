//! The reseller API, `/api/v1`: JSON over HTTP for a reseller's own systems, with
//! `Authorization: Bearer <token>` (never a cookie, so it needs no CSRF defence).
//! Every handler calls the core exactly as the console's server functions do, so
//! the rules are the same; errors are RFC 9457 problems; the OpenAPI document is
//! generated from the handlers and served with a reference page.

mod accounts;
mod audit;
mod caller;
mod content;
mod docs;
mod extract;
mod idempotency;
mod organization;
mod problem;
mod templates;
mod users;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post, put};

use umbrella::Umbrella;

pub use caller::ApiRate;
pub use problem::Problem;

pub const PREFIX: &str = "/api/v1";

/// Whether a path belongs to the API (its refusals are problems, not pages).
pub fn is_api_path(path: &str) -> bool {
    path == PREFIX || path.starts_with("/api/v1/")
}

#[derive(Clone)]
pub struct ApiState {
    umbrella: Umbrella,
    limiter: Arc<caller::TokenLimiter>,
    /// Where activation links point.
    public_origin: String,
}

/// How fast the API may be called: per token, per organization, and how many unknown
/// tokens one address may try a minute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ApiRates {
    pub token: ApiRate,
    pub organization: ApiRate,
    pub unknown_per_minute: u32,
}

/// The API's routes, to be nested at [`PREFIX`] (the document gives them in full).
pub fn router<S: Clone + Send + Sync + 'static>(
    umbrella: Umbrella,
    rates: ApiRates,
    public_origin: &str,
) -> Router<S> {
    let state = ApiState {
        umbrella,
        limiter: caller::TokenLimiter::new(
            rates.token,
            rates.organization,
            rates.unknown_per_minute,
        ),
        public_origin: public_origin.trim_end_matches('/').to_owned(),
    };
    Router::new()
        .route("/openapi.json", get(docs::openapi_json))
        .route("/docs", get(docs::reference))
        .route("/organization", get(organization::get))
        .route("/accounts", get(accounts::list).post(accounts::create))
        .route("/accounts/{partner_id}", get(accounts::get_one))
        .route(
            "/accounts/{partner_id}/content",
            get(content::export).put(content::import),
        )
        .route("/templates", get(templates::list))
        .route("/users", get(users::list).post(users::create))
        .route("/users/{user_id}/role", put(users::set_role))
        .route("/users/{user_id}/{action}", post(users::change))
        .route("/audit", get(audit::list))
        .route(
            "/accounts/{partner_id}/{action}",
            post(accounts::change_status),
        )
        // axum still sets `Allow` on these.
        .method_not_allowed_fallback(|| async {
            Problem::new(
                axum::http::StatusCode::METHOD_NOT_ALLOWED,
                "This operation does not take that method; see /api/v1/docs.",
            )
        })
        .fallback(|| async {
            Problem::new(
                axum::http::StatusCode::NOT_FOUND,
                "No such API operation; see /api/v1/docs.",
            )
        })
        .with_state(state)
}
