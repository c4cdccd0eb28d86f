//! Bulk actions: one action (block, unblock, remove) on many accounts, run by the
//! server as a job. The browser shares the job's view and the reasons an account
//! is skipped, so the panel says exactly what the server decided.

use serde::{Deserialize, Serialize};

use super::AccountAction;
/// The panel's words live beside the rule they explain, with the single account's.
pub use super::actions::skip_reason;

/// The most accounts one job takes: an end-of-term sweep of a large organization,
/// and a bound on what one click can make the server do (a job of this size runs
/// in well under a minute).
pub const MAX_BULK_ACCOUNTS: i64 = 50_000;

/// The most accounts a selection may name one by one: a page of the list.
pub const MAX_LISTED_ACCOUNTS: usize = super::AccountQuery::MAX_PAGE_SIZE as usize;

/// How many results the panel shows; the audit log holds every one.
pub const BULK_RESULTS_SHOWN: i64 = 200;

/// What became of one account of a job.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BulkOutcome {
    Done,
    /// Left as it was, and why.
    Skipped(String),
}

/// An account the job names that no longer exists (an operator deleted it).
pub const SKIP_GONE: &str = "No longer exists.";

/// One account's line in the result panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkResult {
    pub partner_id: i64,
    pub name: String,
    pub outcome: BulkOutcome,
}

/// A job as its panel shows it: progress while it runs, results once it is done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkJobView {
    pub id: i64,
    pub action: AccountAction,
    pub total: i64,
    pub processed: i64,
    pub done: i64,
    pub skipped: i64,
    pub finished: bool,
    /// Skipped accounts first, then done ones, at most [`BULK_RESULTS_SHOWN`];
    /// empty while the job runs.
    pub results: Vec<BulkResult>,
}

impl BulkJobView {
    /// The progress line: "Blocking accounts: 120 of 10,000".
    pub fn progress_label(&self) -> String {
        let doing = match self.action {
            AccountAction::Block => "Blocking",
            AccountAction::Unblock => "Unblocking",
            AccountAction::Remove => "Removing",
        };
        format!(
            "{doing} accounts: {} of {}",
            thousands(self.processed),
            thousands(self.total)
        )
    }

    /// The summary once the job is done: "9,998 blocked, 2 skipped."
    pub fn summary(&self) -> String {
        format!(
            "{} {}, {} skipped.",
            thousands(self.done),
            self.action.verb(),
            thousands(self.skipped)
        )
    }
}

/// The confirmation's question: "Block 12 accounts?"
pub fn bulk_question(action: AccountAction, count: i64) -> String {
    let noun = if count == 1 { "account" } else { "accounts" };
    format!("{} {} {noun}?", action.label(), thousands(count))
}

/// 10000 as "10,000": counts people read.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ActionRefusal, Status};

    #[test]
    fn counts_read_with_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(-4500), "-4,500");
    }

    #[test]
    fn the_question_names_the_count() {
        assert_eq!(bulk_question(AccountAction::Block, 1), "Block 1 account?");
        assert_eq!(
            bulk_question(AccountAction::Remove, 10_000),
            "Remove 10,000 accounts?"
        );
    }

    #[test]
    fn reasons_say_why_in_words() {
        assert_eq!(
            skip_reason(
                AccountAction::Block,
                ActionRefusal::WrongStatus,
                Status::Blocked
            ),
            "Already blocked."
        );
        assert_eq!(
            skip_reason(
                AccountAction::Unblock,
                ActionRefusal::WrongStatus,
                Status::Removed
            ),
            "Already removed."
        );
        assert_eq!(
            skip_reason(
                AccountAction::Block,
                ActionRefusal::TemplateAccount,
                Status::Active
            ),
            "Template accounts cannot be changed."
        );
    }
}
