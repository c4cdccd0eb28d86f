//! Throttling of failed attempts at a secret: sign-in (per email), activation (per
//! client address: the token is random, the address is what repeats) and CMS Login
//! (per administrator). Failures are rows in the database, so that every server on
//! one database shares the count; a sliding window decides.

use crate::Umbrella;
use crate::clock::Timestamp;
use crate::domain::UserId;
use crate::error::{Error, Result};
use crate::storage::throttle;

/// What is counted, one subject per kind of attempt.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Attempt<'a> {
    /// A sign-in, by the lower-cased email offered.
    SignIn(&'a str),
    /// An activation with a token that matched nothing, by client address.
    Activation(&'a str),
    /// A CMS Login refused, by the administrator who asked.
    CmsLogin(UserId),
}

/// Longest subject stored (the column allows 300); longer input is cut, which only
/// merges the counts of absurdly long emails.
const MAX_SUBJECT_CHARS: usize = 280;

impl Attempt<'_> {
    fn subject(self) -> String {
        let subject = match self {
            Attempt::SignIn(email) => format!("sign-in:{email}"),
            Attempt::Activation(address) => format!("activation:{address}"),
            Attempt::CmsLogin(admin) => format!("cms-login:{admin}"),
        };
        subject.chars().take(MAX_SUBJECT_CHARS).collect()
    }
}

impl Umbrella {
    /// Refuses with [`Error::TooManyAttempts`] while the subject has had the allowed
    /// number of failures within the window; says how long until the oldest of them
    /// leaves it.
    #[tracing::instrument(skip_all)]
    pub(crate) async fn refuse_if_throttled(&self, attempt: Attempt<'_>) -> Result<()> {
        let limits = self.auth_limits();
        let now = Timestamp::now();
        let since = now.plus_seconds(-limits.failure_window_seconds);
        let mut conn = self.db().pool().acquire().await?;
        let recent = throttle::recent(
            &mut conn,
            &attempt.subject(),
            since,
            i64::from(limits.failures),
        )
        .await?;
        if recent.len() < limits.failures as usize {
            return Ok(());
        }
        let oldest = recent.last().copied().unwrap_or(now.millis());
        let free_at = Timestamp::from_millis(oldest).plus_seconds(limits.failure_window_seconds);
        Err(Error::TooManyAttempts {
            retry_after_seconds: ((free_at.millis() - now.millis()) / 1000).max(1),
        })
    }

    #[tracing::instrument(skip_all)]
    pub(crate) async fn record_failure(&self, attempt: Attempt<'_>) -> Result<()> {
        let mut conn = self.db().pool().acquire().await?;
        throttle::insert(&mut conn, &attempt.subject(), Timestamp::now()).await
    }

    #[tracing::instrument(skip_all)]
    pub(crate) async fn clear_failures(&self, attempt: Attempt<'_>) -> Result<()> {
        let mut conn = self.db().pool().acquire().await?;
        throttle::clear(&mut conn, &attempt.subject()).await
    }

    /// Deletes failures older than the window (they no longer count); returns how many.
    #[tracing::instrument(skip_all)]
    pub async fn purge_old_failures(&self) -> Result<u64> {
        let before = Timestamp::now().plus_seconds(-self.auth_limits().failure_window_seconds);
        let mut conn = self.db().pool().acquire().await?;
        throttle::delete_before(&mut conn, before).await
    }
}
