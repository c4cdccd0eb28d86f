//! Idempotency keys for the API's creates: a retried request (same token, same key,
//! same body) gets the first answer, and nothing is created twice.
//!
//! A key is claimed before the create runs and settled with its answer after; a
//! key held by a request still running is refused (409), and one whose request
//! never finished (the server stopped) can be taken over after a minute.

use sha2::{Digest, Sha256};

use crate::Umbrella;
use crate::clock::Timestamp;
use crate::domain::ApiTokenId;
use crate::error::{Error, Result};
use crate::storage::idempotency as store;

/// How long an answer is kept for its key.
const KEPT_SECONDS: i64 = 24 * 60 * 60;
/// After this long, a claim without an answer is taken to be abandoned.
const ABANDONED_MILLIS: i64 = 60_000;
pub const KEY_MAX: usize = 100;

/// What a claimed key says to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// Run the request, then settle or release the key.
    Fresh,
    /// The first request's answer, to give again.
    Replay { status: u16, body: String },
}

impl Umbrella {
    /// Claims `key` for a request whose body is `body`.
    #[tracing::instrument(skip(self, body))]
    pub async fn claim_idempotency_key(
        &self,
        token: ApiTokenId,
        key: &str,
        body: &[u8],
    ) -> Result<Claim> {
        if key.is_empty()
            || key.chars().count() > KEY_MAX
            || !key.chars().all(|c| c.is_ascii_graphic() || c == ' ')
        {
            return Err(Error::invalid(
                "Idempotency-Key",
                format!("An Idempotency-Key is 1 to {KEY_MAX} printable ASCII characters."),
            ));
        }
        let fingerprint = hex::encode(Sha256::digest(body));
        let now = Timestamp::now();
        let mut conn = self.db().pool().acquire().await?;
        store::forget_before(&mut conn, now.plus_seconds(-KEPT_SECONDS)).await?;
        if store::insert(&mut conn, token.get(), key, &fingerprint, now).await? {
            return Ok(Claim::Fresh);
        }
        let held = store::find(&mut conn, token.get(), key)
            .await?
            .ok_or_else(|| {
                Error::Conflict("The Idempotency-Key changed hands; retry.".to_owned())
            })?;
        // A conflict with what the key already stands for (409), rather than the
        // draft standard's 422: the request itself is valid, only the key is taken.
        if held.fingerprint != fingerprint {
            return Err(Error::Conflict(
                "This Idempotency-Key was used with another request body; use a new key."
                    .to_owned(),
            ));
        }
        match (held.status, held.body) {
            (Some(status), Some(body)) => Ok(Claim::Replay {
                status: u16::try_from(status).unwrap_or(500),
                body,
            }),
            _ if now.millis() - held.created_at >= ABANDONED_MILLIS
                && store::retake(&mut conn, token.get(), key, held.created_at, now).await? =>
            {
                Ok(Claim::Fresh)
            }
            _ => Err(Error::Conflict(
                "A request with this Idempotency-Key is still running; retry in a moment."
                    .to_owned(),
            )),
        }
    }

    /// Stores the answer a claimed key's request gave.
    #[tracing::instrument(skip(self, body))]
    pub async fn settle_idempotency_key(
        &self,
        token: ApiTokenId,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<()> {
        let mut conn = self.db().pool().acquire().await?;
        store::settle(&mut conn, token.get(), key, status, body).await
    }

    /// Frees a claimed key whose request failed in a way worth retrying.
    #[tracing::instrument(skip(self))]
    pub async fn release_idempotency_key(&self, token: ApiTokenId, key: &str) -> Result<()> {
        let mut conn = self.db().pool().acquire().await?;
        store::release(&mut conn, token.get(), key).await
    }
}
