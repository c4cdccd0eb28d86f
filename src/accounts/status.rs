//! The one way an account's status changes, for the row menu, the bulk worker and
//! whatever changes statuses next: a compare-and-set on the account, the
//! organization's status counters, and the quota place an account gives back when
//! it stops being in use. Counters are settled once per transaction, so that a bulk
//! batch of hundreds writes the organization's row once.

use std::collections::HashMap;

use crate::domain::{OrganizationId, PartnerId, Status};
use crate::error::{Error, Result};
use crate::storage::{Conn, accounts, organizations};

/// The status changes made in one transaction of one organization, and what they
/// owe its counters.
#[must_use = "status changes owe the organization's counters: settle them"]
pub(crate) struct StatusMoves {
    organization: OrganizationId,
    moves: HashMap<(Status, Status), i64>,
    released: i64,
}

impl StatusMoves {
    /// The caller holds the organization's lock for the transaction.
    pub(crate) fn new(organization: OrganizationId) -> Self {
        Self {
            organization,
            moves: HashMap::new(),
            released: 0,
        }
    }

    /// Moves `account` from `from` to `to` if it still has `from`; `false` when
    /// someone else changed it first.
    pub(crate) async fn apply(
        &mut self,
        conn: &mut Conn,
        account: PartnerId,
        from: Status,
        to: Status,
    ) -> Result<bool> {
        if !accounts::set_status(conn, account, from, to).await? {
            return Ok(false);
        }
        *self.moves.entry((from, to)).or_default() += 1;
        if from.is_in_use() && !to.is_in_use() {
            self.released += 1;
        }
        Ok(true)
    }

    /// Writes what the moves owe the organization's counters and quota.
    pub(crate) async fn settle(self, conn: &mut Conn) -> Result<()> {
        for ((from, to), n) in self.moves {
            organizations::count_status_changes(conn, self.organization, from, to, n).await?;
        }
        if self.released > 0 {
            organizations::release_account_places(conn, self.organization, self.released).await?;
        }
        Ok(())
    }
}

/// A move that could not be made under the organization's lock: nobody else may
/// have changed the account, so this is a bug, not a race.
pub(crate) fn changed_under_lock(account: PartnerId) -> Error {
    Error::Internal(format!(
        "account {account} changed under the organization's lock"
    ))
}
