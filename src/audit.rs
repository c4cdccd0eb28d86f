//! The audit log: who did what to which account, when, from where, and how it ended —
//! refused attempts included. The table is append-only by database triggers, so not
//! even a bug here can change or delete an entry.
//!
//! Every change goes through [`Umbrella::audited`], which hands the change service a
//! [`Change`]. A change that is done writes its entry in its own transaction
//! ([`Change::commit`]), so that neither stands without the other; a refused or
//! failed one is recorded afterwards, in a transaction of its own and capped per
//! caller, since its own transaction rolled back.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::Umbrella;
use crate::clock::Timestamp;
use crate::domain::audit::{AuditAction, AuditOutcome};
use crate::domain::{OrganizationId, PartnerId, UserId};
use crate::error::{Error, Result};
use crate::storage::audit as store;
use crate::storage::{Conn, Tx, accounts};

/// Who is acting, for the entries their changes write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditContext {
    /// The person (their email) or "operator".
    pub actor: String,
    pub actor_user_id: Option<UserId>,
    /// The account owner a CMS Login session acts as.
    pub acting_as: Option<String>,
    /// Whose log shows the entry; for the operator, the account's organization.
    pub organization_id: Option<OrganizationId>,
    /// The client's address, or where an operator command ran.
    pub address: String,
    /// Whether the changes made under it are written to the log: only the core's
    /// own setup (demo data) and tests of other things run unrecorded.
    recorded: bool,
}

impl AuditContext {
    /// Someone acting for `organization_id` (none: the entry goes to the
    /// organization of the account the change concerns).
    pub fn new(
        actor: impl Into<String>,
        actor_user_id: Option<UserId>,
        organization_id: Option<OrganizationId>,
        address: impl Into<String>,
    ) -> Self {
        Self {
            actor: actor.into(),
            actor_user_id,
            acting_as: None,
            organization_id,
            address: address.into(),
            recorded: true,
        }
    }

    /// The vendor's operator, running a command on this machine.
    pub fn operator() -> Self {
        Self::new("operator", None, None, "operator command")
    }

    /// Nobody accountable: the core's own setup (demo data), and tests that call
    /// services to set the scene for something else.
    #[cfg(any(test, feature = "testing"))]
    pub fn unrecorded() -> Self {
        Self::setup()
    }

    pub(crate) fn setup() -> Self {
        Self {
            recorded: false,
            ..Self::operator()
        }
    }

    /// The same caller, for a change whose entry goes to `organization`'s log.
    pub(crate) fn in_organization(&self, organization: OrganizationId) -> Self {
        Self {
            organization_id: Some(organization),
            ..self.clone()
        }
    }
}

/// How an attempt ended, from the error the change returned.
fn outcome<T>(result: &Result<T>) -> (AuditOutcome, String) {
    match result {
        Ok(_) => (AuditOutcome::Done, String::new()),
        Err(
            e @ (Error::Database(_)
            | Error::Unavailable(_)
            | Error::Migration(_)
            | Error::Internal(_)),
        ) => (AuditOutcome::Failed, e.to_string()),
        Err(e) => (AuditOutcome::Refused, e.to_string()),
    }
}

/// How much of a refusal's reason an entry keeps.
pub const MAX_DETAIL_CHARS: usize = 500;
/// Refusals recorded per caller (actor and address) and hour; past it, one entry
/// says that further ones were not, so that nobody can flood the append-only log.
pub const REFUSALS_PER_HOUR: i64 = 60;

/// The entry a running change will write when it commits, and whether it has.
#[derive(Clone)]
struct Pending {
    context: AuditContext,
    organization_id: Option<OrganizationId>,
    action: AuditAction,
    account: Option<PartnerId>,
    written: Arc<AtomicBool>,
}

impl Pending {
    fn entry<'a>(
        &'a self,
        account: Option<PartnerId>,
        outcome: AuditOutcome,
        detail: &'a str,
    ) -> store::NewEntry<'a> {
        store::NewEntry {
            at: Timestamp::now(),
            organization_id: self.organization_id,
            actor: &self.context.actor,
            actor_user_id: self.context.actor_user_id,
            acting_as: self.context.acting_as.as_deref(),
            action: self.action,
            partner_id: self.account.or(account),
            address: &self.context.address,
            outcome,
            detail,
        }
    }
}

/// The right to commit one change, carrying the audit entry the change must write
/// as it commits. Only [`Umbrella::audited`] hands one out, and it is private to
/// the core: each change service knows its own action, opens its entry and commits
/// through [`Change::commit`]. An adapter says who acts and from where (an
/// [`AuditContext`]), never what the entry is called, and a new change service
/// that forgets the entry has nothing to commit with.
///
/// An operator deleting an account, as `umbrella operator delete-account` does:
///
/// ```no_run
/// # async fn delete(core: &umbrella::Umbrella) -> Result<(), umbrella::Error> {
/// use umbrella::audit::AuditContext;
/// use umbrella::domain::PartnerId;
/// core.delete_account(&AuditContext::operator(), PartnerId::new(7)).await
/// # }
/// ```
///
/// An adapter cannot label a change itself: the core's `audited` is not theirs to call,
///
/// ```compile_fail,E0624
/// # async fn delete(core: &umbrella::Umbrella) -> Result<(), umbrella::Error> {
/// use umbrella::audit::AuditContext;
/// use umbrella::domain::{PartnerId, audit::AuditAction};
/// let account = PartnerId::new(7);
/// core.audited(&AuditContext::operator(), AuditAction::AccountCreate, Some(account), async |change| {
///     core.delete_account(&AuditContext::operator(), account).await
/// })
/// .await
/// # }
/// ```
///
/// and code outside the core cannot make a `Change` by hand:
///
/// ```compile_fail,E0451
/// let change = umbrella::audit::Change { pending: None };
/// ```
#[must_use = "a change commits through its `Change`"]
pub struct Change {
    pending: Option<Pending>,
}

impl std::fmt::Debug for Change {
    /// The action, so that a service's span says which change it runs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.pending {
            Some(pending) => write!(f, "Change({})", pending.action.code()),
            None => f.write_str("Change(unrecorded)"),
        }
    }
}

impl Change {
    /// Commits the change's transaction with its audit entry written inside it, so
    /// that the change and its record stand or fall together. `made` names the
    /// account the change created, if any.
    pub(crate) async fn commit(self, tx: Tx, made: Option<PartnerId>) -> Result<()> {
        self.commit_noting(tx, made, "").await
    }

    /// As [`Change::commit`], with a note in the entry for what the Partner ID
    /// cannot say (which API token was created or revoked).
    pub(crate) async fn commit_noting(
        self,
        mut tx: Tx,
        made: Option<PartnerId>,
        note: &str,
    ) -> Result<()> {
        if let Some(pending) = &self.pending {
            crate::fail_point::check(&mut tx, "audit.entry").await?;
            store::insert(&mut tx, &pending.entry(made, AuditOutcome::Done, note)).await?;
        }
        tx.commit().await?;
        if let Some(pending) = &self.pending {
            pending.written.store(true, Ordering::SeqCst);
        }
        Ok(())
    }
}

/// Writes a done change's entry in the change's own transaction, for a change that
/// learns who made it only as it runs (an activation link names its user) and for
/// the accounts a bulk job changes, each in its starter's name, long after the
/// start's own entry committed.
pub(crate) async fn record_done(
    conn: &mut Conn,
    context: &AuditContext,
    action: AuditAction,
    account: PartnerId,
    note: &str,
) -> Result<()> {
    let entry = store::NewEntry {
        at: Timestamp::now(),
        organization_id: context.organization_id,
        actor: &context.actor,
        actor_user_id: context.actor_user_id,
        acting_as: context.acting_as.as_deref(),
        action,
        partner_id: Some(account),
        address: &context.address,
        outcome: AuditOutcome::Done,
        detail: note,
    };
    store::insert(conn, &entry).await
}

/// `text` cut to [`MAX_DETAIL_CHARS`] characters.
fn capped(text: &str) -> String {
    let mut chars = text.chars();
    let mut cut: String = chars.by_ref().take(MAX_DETAIL_CHARS).collect();
    if chars.next().is_some() {
        cut.push('…');
    }
    cut
}

impl Umbrella {
    /// Runs a change and records it, with its outcome, in the audit log.
    ///
    /// `change` gets the [`Change`] it commits through: a change that is done writes
    /// its entry in its own transaction ([`Change::commit`]): if the entry cannot be written, the change rolls back.
    /// A refused or failed change has rolled back; its entry is written in a
    /// transaction of its own, capped per caller and hour.
    #[tracing::instrument(skip_all)]
    pub(crate) async fn audited<T>(
        &self,
        context: &AuditContext,
        action: AuditAction,
        account: Option<PartnerId>,
        change: impl AsyncFnOnce(Change) -> Result<T>,
    ) -> Result<T> {
        if !context.recorded {
            return change(Change { pending: None }).await;
        }
        let organization_id = match (context.organization_id, account) {
            (Some(org), _) => Some(org),
            // The operator acts on accounts by ID; the entry goes to that account's
            // organization, looked up before the change (which may delete it).
            (None, Some(account)) => self.organization_of(account).await.unwrap_or(None),
            (None, None) => None,
        };
        let pending = Pending {
            context: context.clone(),
            organization_id,
            action,
            account,
            written: Arc::new(AtomicBool::new(false)),
        };
        let result = change(Change {
            pending: Some(pending.clone()),
        })
        .await;
        match &result {
            Ok(_) if pending.written.load(Ordering::SeqCst) => {}
            Ok(_) => {
                // A change service that took its `Change` and succeeded without
                // committing through it: a bug the tests catch (debug builds panic
                // here); in production the entry is still written, late.
                debug_assert!(
                    false,
                    "the change {} committed without its audit entry",
                    action.code()
                );
                tracing::error!(
                    action = action.code(),
                    "a change committed without its audit entry"
                );
                self.write_outside(&pending, AuditOutcome::Done, "").await;
            }
            Err(_) => {
                let (outcome, detail) = outcome(&result);
                self.write_refusal(&pending, outcome, &capped(&detail))
                    .await;
            }
        }
        result
    }

    /// [`Umbrella::audited`] for tests of the log itself (a refusal of a given
    /// length, a change that fails to write its entry), which no service makes.
    #[cfg(feature = "testing")]
    pub async fn audited_by_hand<T>(
        &self,
        context: &AuditContext,
        action: AuditAction,
        account: Option<PartnerId>,
        change: impl AsyncFnOnce(Change) -> Result<T>,
    ) -> Result<T> {
        self.audited(context, action, account, change).await
    }

    async fn write_outside(&self, pending: &Pending, outcome: AuditOutcome, detail: &str) {
        let entry = pending.entry(None, outcome, detail);
        let written = async {
            let mut conn = self.db().pool().acquire().await?;
            store::insert(&mut conn, &entry).await
        };
        if let Err(e) = written.await {
            tracing::error!(error = ?e, action = pending.action.code(), "could not write the audit entry");
        }
    }

    /// Records a refusal or failure, unless the caller already has
    /// [`REFUSALS_PER_HOUR`] of them this hour; the first one past the cap is
    /// replaced by an entry that says so.
    async fn write_refusal(&self, pending: &Pending, outcome: AuditOutcome, detail: &str) {
        let since = Timestamp::now().plus_seconds(-60 * 60);
        let recorded = async {
            let mut tx = self.db().begin_write().await?;
            let so_far = store::refusals_since(
                &mut tx,
                &pending.context.actor,
                &pending.context.address,
                since,
                REFUSALS_PER_HOUR + 1,
            )
            .await?;
            let note = format!(
                "Further refusals of this caller within the hour were not recorded \
                 (at most {REFUSALS_PER_HOUR} per hour)."
            );
            let entry = match so_far {
                n if n < REFUSALS_PER_HOUR => Some(pending.entry(None, outcome, detail)),
                n if n == REFUSALS_PER_HOUR => {
                    Some(pending.entry(None, AuditOutcome::Refused, &note))
                }
                _ => None,
            };
            if let Some(entry) = entry {
                store::insert(&mut tx, &entry).await?;
            }
            tx.commit().await?;
            Ok::<_, Error>(())
        };
        if let Err(e) = recorded.await {
            tracing::error!(error = ?e, action = pending.action.code(), "could not write the audit entry");
        }
    }

    async fn organization_of(&self, account: PartnerId) -> Result<Option<OrganizationId>> {
        let mut conn = self.db().pool().acquire().await?;
        accounts::organization_of(&mut conn, account).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_and_failures_are_told_apart() {
        assert_eq!(outcome(&Ok::<(), Error>(())).0, AuditOutcome::Done);
        assert_eq!(
            outcome::<()>(&Err(Error::Forbidden("no".to_owned()))),
            (AuditOutcome::Refused, "no".to_owned())
        );
        assert_eq!(
            outcome::<()>(&Err(Error::Internal("x".to_owned()))).0,
            AuditOutcome::Failed
        );
    }
}
