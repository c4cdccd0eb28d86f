//! Who calls the API: the bearer token, checked by the core on every request, then
//! held to its rate.

use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use app::server::ClientAddress;
use umbrella::api_tokens::ApiCaller;
use umbrella::auth::ApiToken;
use umbrella::domain::ApiTokenId;

use super::ApiState;
use super::problem::Problem;

/// How fast one token may call: a steady rate and a burst above it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ApiRate {
    pub per_second: NonZeroU32,
    pub burst: NonZeroU32,
}

impl Default for ApiRate {
    fn default() -> Self {
        Self {
            per_second: NonZeroU32::new(20).unwrap_or(NonZeroU32::MIN),
            burst: NonZeroU32::new(40).unwrap_or(NonZeroU32::MIN),
        }
    }
}

/// One bucket per token, in memory (each server limits what reaches it).
#[derive(Debug)]
pub struct TokenLimiter {
    limiter: DefaultKeyedRateLimiter<ApiTokenId>,
}

impl TokenLimiter {
    pub fn new(rate: ApiRate) -> Arc<Self> {
        let quota = Quota::per_second(rate.per_second).allow_burst(rate.burst);
        Arc::new(Self {
            limiter: RateLimiter::keyed(quota),
        })
    }

    /// `Err` holds the seconds until the token may call again.
    fn check(&self, token: ApiTokenId) -> Result<(), u64> {
        self.limiter.check_key(&token).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
        })
    }
}

/// The token of a request, extracted from `Authorization: Bearer <token>`:
/// a handler that takes it cannot run for a caller without a live token.
pub struct Caller {
    pub caller: ApiCaller,
    /// Where the call came from, for the audit log.
    pub address: String,
}

impl FromRequestParts<ApiState> for Caller {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &ApiState) -> Result<Self, Problem> {
        let secret = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (scheme, token) = v.split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
            })
            .filter(|token| !token.is_empty())
            .ok_or_else(Problem::unauthenticated)?;
        let caller = state
            .umbrella
            .api_caller(&ApiToken::from_client(secret))
            .await
            .map_err(Problem::from)?;
        if let Err(seconds) = state.limiter.check(caller.token_id) {
            return Err(Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "This token is over its rate ({} requests a second); try again in {seconds} s.",
                    state.rate.per_second
                ),
            )
            .retry_after(seconds));
        }
        let address = parts
            .extensions
            .get::<ClientAddress>()
            .map(|a| a.0.to_string())
            .unwrap_or_default();
        Ok(Self { caller, address })
    }
}
