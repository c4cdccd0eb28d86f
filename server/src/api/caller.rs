//! Who calls the API: the bearer token, checked by the core on every request, then
//! held to its rate.

use std::num::NonZeroU32;
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use umbrella::api_tokens::ApiCaller;
use umbrella::auth::ApiToken;
use umbrella::domain::{ApiTokenId, OrganizationId};
use umbrella::web::ClientAddress;

use crate::throttle::AddressLimiter;

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

impl ApiRate {
    /// What one organization's tokens may ask together unless `serve` says otherwise:
    /// a few tokens' worth, so that more tokens do not buy more of the server.
    pub fn organization_default() -> Self {
        Self {
            per_second: NonZeroU32::new(50).unwrap_or(NonZeroU32::MIN),
            burst: NonZeroU32::new(100).unwrap_or(NonZeroU32::MIN),
        }
    }
}

/// Buckets per token and per organization, in memory (each server limits what
/// reaches it), and a count of unknown tokens per client address.
#[derive(Debug)]
pub struct TokenLimiter {
    tokens: DefaultKeyedRateLimiter<ApiTokenId>,
    organizations: DefaultKeyedRateLimiter<OrganizationId>,
    unknown: Arc<AddressLimiter>,
    pub token_rate: ApiRate,
    pub organization_rate: ApiRate,
}

fn wait_seconds(not_until: governor::NotUntil<<DefaultClock as Clock>::Instant>) -> u64 {
    let wait = not_until.wait_time_from(DefaultClock::default().now());
    wait.as_secs() + u64::from(wait.subsec_nanos() > 0)
}

impl TokenLimiter {
    pub fn new(
        token_rate: ApiRate,
        organization_rate: ApiRate,
        unknown_per_minute: u32,
    ) -> Arc<Self> {
        let quota = |rate: ApiRate| Quota::per_second(rate.per_second).allow_burst(rate.burst);
        Arc::new(Self {
            tokens: RateLimiter::keyed(quota(token_rate)),
            organizations: RateLimiter::keyed(quota(organization_rate)),
            unknown: AddressLimiter::new(unknown_per_minute),
            token_rate,
            organization_rate,
        })
    }

    /// `Err` holds the refusal: over the token's rate, or over its organization's.
    fn check(&self, caller: &ApiCaller) -> Result<(), Problem> {
        self.tokens
            .check_key(&caller.token_id)
            .map_err(|not_until| {
                let seconds = wait_seconds(not_until);
                Problem::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "This token is over its rate ({} requests a second); try again in {seconds} s.",
                    self.token_rate.per_second
                ),
            )
            .retry_after(seconds)
            })?;
        self.organizations
            .check_key(&caller.organization_id())
            .map_err(|not_until| {
                let seconds = wait_seconds(not_until);
                Problem::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    format!(
                        "The organization's tokens are over their rate together ({} requests a \
                         second); try again in {seconds} s.",
                        self.organization_rate.per_second
                    ),
                )
                .retry_after(seconds)
            })
    }

    /// An address that sent too many unknown tokens is refused before any is looked up.
    fn unknown_refusal(seconds: u64) -> Problem {
        Problem::new(
            StatusCode::TOO_MANY_REQUESTS,
            format!("Too many unknown tokens from this address; try again in {seconds} s."),
        )
        .retry_after(seconds)
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
        let client = parts.extensions.get::<ClientAddress>().map(|a| a.0);
        let now = std::time::Instant::now();
        if let Some(client) = client
            && let Some(seconds) = state.limiter.unknown.refused_for(client, now)
        {
            return Err(TokenLimiter::unknown_refusal(seconds));
        }
        let caller = match state
            .umbrella
            .api_caller(&ApiToken::from_client(secret))
            .await
        {
            Ok(caller) => caller,
            Err(umbrella::Error::Unauthenticated) => {
                if let Some(client) = client
                    && let Err(seconds) = state.limiter.unknown.attempt(client, now)
                {
                    tracing::warn!(%client, "too many unknown API tokens from one address");
                    return Err(TokenLimiter::unknown_refusal(seconds));
                }
                return Err(Problem::from(umbrella::Error::Unauthenticated));
            }
            Err(error) => return Err(Problem::from(error)),
        };
        state.limiter.check(&caller)?;
        let address = parts
            .extensions
            .get::<ClientAddress>()
            .map(|a| a.0.to_string())
            .unwrap_or_default();
        Ok(Self { caller, address })
    }
}
