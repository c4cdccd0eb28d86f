//! The handle every service hangs off.

use crate::auth;
use crate::storage::Db;

/// The entry point into the core: every service method hangs off this handle.
/// Cheap to clone (it holds a connection pool).
#[derive(Clone, Debug)]
pub struct Umbrella {
    db: Db,
    cms_session_seconds: i64,
    auth_limits: auth::AuthLimits,
    api_token_limit: u32,
}

impl Umbrella {
    pub fn new(db: Db) -> Self {
        Self {
            db,
            cms_session_seconds: auth::CMS_SESSION_DEFAULT_MINUTES * 60,
            auth_limits: auth::AuthLimits::default(),
            api_token_limit: crate::api_tokens::DEFAULT_TOKEN_LIMIT,
        }
    }

    /// How many live API tokens an organization may hold (at least one).
    pub fn with_api_token_limit(mut self, limit: u32) -> Self {
        self.api_token_limit = limit.max(1);
        self
    }

    pub fn api_token_limit(&self) -> u32 {
        self.api_token_limit
    }

    /// Sign-in throttling and session lifetimes (see [`auth::AuthLimits`]).
    pub fn with_auth_limits(mut self, limits: auth::AuthLimits) -> Self {
        self.auth_limits = limits;
        self
    }

    pub fn auth_limits(&self) -> auth::AuthLimits {
        self.auth_limits
    }

    /// How long a CMS Login session lasts (at least a minute).
    pub fn with_cms_session_minutes(mut self, minutes: i64) -> Self {
        self.cms_session_seconds = minutes.max(1).saturating_mul(60);
        self
    }

    pub fn cms_session_seconds(&self) -> i64 {
        self.cms_session_seconds
    }

    pub fn db(&self) -> &Db {
        &self.db
    }
}
