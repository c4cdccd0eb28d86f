//! Bulk actions: block, unblock or remove many of an organization's accounts at
//! once, as a job the server runs in batches.
//!
//! Starting a job resolves the selection (Partner IDs of a page, or every account a
//! filter matches) into the job's items, in one transaction with the audit entry of
//! the start. A worker task then takes the items in batches of [`BULK_BATCH`], each
//! batch one transaction: the same rule as the row menu ([`AccountAction::check`]),
//! the same status counters and quota places, one audit entry per changed account in
//! the starter's name, and each item's outcome. A batch that fails rolls back whole;
//! the job's cursor is only moved by a committed batch, so a job cut short by a
//! crash or a restart resumes where it stood ([`Umbrella::resume_bulk_jobs`]).

use std::collections::HashMap;
use std::time::Duration;

use crate::Umbrella;
use crate::accounts::{StatusMoves, changed_under_lock};
use crate::audit::AuditContext;
use crate::auth::{AdminClaim, OrgAdmin};
use crate::clock::Timestamp;
use crate::domain::audit::AuditAction;
use crate::domain::bulk::{
    BULK_RESULTS_SHOWN, BulkJobView, BulkOutcome, BulkResult, MAX_BULK_ACCOUNTS,
    MAX_LISTED_ACCOUNTS, SKIP_GONE, skip_reason,
};
use crate::domain::{AccountAction, AccountQuery, PartnerId};
use crate::error::{Error, Result};
use crate::storage::bulk::{self as store, Job, NewJob};
use crate::storage::{audit, is_unique_violation, organizations};

/// Accounts per batch: one short write transaction (a few milliseconds on SQLite),
/// so that people changing accounts by hand wait for at most one batch.
pub const BULK_BATCH: i64 = 500;

/// How often a worker retries a batch that failed (the database away, say) before
/// it leaves the job for the next start of the server.
const BATCH_ATTEMPTS: u32 = 5;

/// Which accounts a bulk action is for.
#[derive(Clone, Debug)]
pub enum BulkSelection {
    /// Accounts ticked one by one, at most [`MAX_LISTED_ACCOUNTS`] (a page).
    Listed(Vec<PartnerId>),
    /// Every account the filter and search match (its order and page are ignored).
    Matching(AccountQuery),
}

const ALREADY_RUNNING: &str = "A bulk action is already running for your organization; \
     wait for it to finish, then start the next.";

impl Umbrella {
    /// How many accounts a filter matches, for "Select all N matching": the status
    /// counters without a search (no scan), otherwise counted through the search's
    /// own pages, no further than one past [`MAX_BULK_ACCOUNTS`].
    #[tracing::instrument(skip(self))]
    pub async fn count_matching_accounts(
        &self,
        admin: &OrgAdmin,
        query: &AccountQuery,
    ) -> Result<i64> {
        if query.search.is_none() {
            let counts = self.status_counts(admin).await?;
            return Ok(query.statuses.iter().map(|s| counts.of(*s)).sum());
        }
        let mut count = 0;
        self.each_matching(admin, query, |_| {
            count += 1;
            count <= MAX_BULK_ACCOUNTS
        })
        .await?;
        Ok(count)
    }

    /// Calls `keep` with each account the filter matches, in Partner ID order,
    /// until it returns `false` or the accounts run out.
    async fn each_matching(
        &self,
        admin: &OrgAdmin,
        query: &AccountQuery,
        mut keep: impl FnMut(&crate::domain::Account) -> bool,
    ) -> Result<()> {
        let mut query = AccountQuery {
            sort: crate::domain::Sort::parse("partner").map_err(Error::Internal)?,
            after: None,
            ..query.clone()
        };
        loop {
            let page = self.export_accounts_batch(admin, &query).await?;
            for account in &page.accounts {
                if !keep(account) {
                    return Ok(());
                }
            }
            match page.next {
                Some(next) => query.after = Some(next),
                None => return Ok(()),
            }
        }
    }

    /// Starts a bulk action on the selected accounts of the administrator's
    /// organization and sets a worker on it. One job at a time per organization.
    #[tracing::instrument(skip(self, selection, who, admin))]
    pub async fn start_bulk_action(
        &self,
        who: &AuditContext,
        admin: &impl AdminClaim,
        action: AccountAction,
        selection: BulkSelection,
    ) -> Result<BulkJobView> {
        self.audited(who, AuditAction::AccountsBulk, None, async |change| {
            let admin = &admin.org_admin()?;
            let items = self.resolve_selection(admin, selection).await?;
            if items.is_empty() {
                return Err(Error::invalid(
                    "selection",
                    "Select at least one account first.",
                ));
            }
            let context = who;
            let total = items.len() as i64;
            let mut tx = self.db().begin_write().await?;
            organizations::lock(&mut tx, admin.organization_id).await?;
            if store::running(&mut tx, admin.organization_id)
                .await?
                .is_some()
            {
                return Err(Error::Conflict(ALREADY_RUNNING.to_owned()));
            }
            let job = NewJob {
                organization_id: admin.organization_id,
                action,
                actor: &context.actor,
                actor_user_id: context.actor_user_id,
                acting_as: context.acting_as.as_deref(),
                address: &context.address,
                total,
                started_at: Timestamp::now(),
            };
            let id = store::insert_job(&mut tx, &job)
                .await
                .map_err(|e| match e {
                    Error::Database(db) if is_unique_violation(&db, &["bulk_jobs"]) => {
                        Error::Conflict(ALREADY_RUNNING.to_owned())
                    }
                    other => other,
                })?;
            store::insert_items(&mut tx, id, &items).await?;
            let note = format!("{} {} account(s) (bulk job {id})", action.label(), total);
            change.commit_noting(tx, None, &note).await?;
            tracing::info!(job = id, total, action = ?action, "bulk job started");
            self.spawn_bulk_job(id);
            Ok(BulkJobView {
                id,
                action,
                total,
                processed: 0,
                done: 0,
                skipped: 0,
                finished: false,
                results: Vec::new(),
            })
        })
        .await
    }

    /// The selection's accounts with their names, in Partner ID order, each once.
    async fn resolve_selection(
        &self,
        admin: &OrgAdmin,
        selection: BulkSelection,
    ) -> Result<Vec<(PartnerId, String)>> {
        match selection {
            BulkSelection::Listed(mut ids) => {
                if ids.len() > MAX_LISTED_ACCOUNTS {
                    return Err(Error::invalid(
                        "selection",
                        format!(
                            "Select at most {MAX_LISTED_ACCOUNTS} accounts one by one, or \
                             select all matching."
                        ),
                    ));
                }
                ids.sort_unstable_by_key(|id| id.get());
                ids.dedup();
                let raw: Vec<i64> = ids.iter().map(|id| id.get()).collect();
                let mut conn = self.db().pool().acquire().await?;
                let names: HashMap<i64, String> =
                    audit::account_names(&mut conn, admin.organization_id, &raw)
                        .await?
                        .into_iter()
                        .collect();
                ids.into_iter()
                    .map(|id| match names.get(&id.get()) {
                        Some(name) => Ok((id, name.clone())),
                        // Another organization's account is reported like a missing one.
                        None => Err(Error::NotFound(format!("account {id}"))),
                    })
                    .collect()
            }
            BulkSelection::Matching(query) => {
                let mut items = Vec::new();
                self.each_matching(admin, &query, |account| {
                    items.push((account.partner_id, account.name.as_str().to_owned()));
                    items.len() as i64 <= MAX_BULK_ACCOUNTS
                })
                .await?;
                if items.len() as i64 > MAX_BULK_ACCOUNTS {
                    return Err(Error::invalid(
                        "selection",
                        format!(
                            "More than {} accounts match; narrow the filter or the \
                             search and run the action in parts.",
                            crate::domain::bulk::thousands(MAX_BULK_ACCOUNTS)
                        ),
                    ));
                }
                Ok(items)
            }
        }
    }

    /// Runs the job in the background until it is finished.
    fn spawn_bulk_job(&self, id: i64) {
        let core = self.clone();
        tokio::spawn(async move {
            if let Err(e) = core.run_bulk_job(id).await {
                tracing::error!(job = id, error = ?e, "bulk job stopped; it resumes when the server starts again");
            }
        });
    }

    /// Works through the job batch by batch until nothing is left. Safe to call
    /// for a job another worker runs too: each batch reads the job's cursor under
    /// the organization's lock, so no account is taken twice.
    #[tracing::instrument(skip(self))]
    pub async fn run_bulk_job(&self, id: i64) -> Result<()> {
        let mut failures = 0;
        loop {
            match self.bulk_batch(id).await {
                Ok(true) => return Ok(()),
                Ok(false) => failures = 0,
                Err(e) if failures + 1 < BATCH_ATTEMPTS => {
                    failures += 1;
                    tracing::warn!(job = id, error = ?e, "bulk batch failed; retrying");
                    tokio::time::sleep(Duration::from_millis(200 << failures)).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Sets workers on every job a previous run of the server left unfinished.
    pub async fn resume_bulk_jobs(&self) -> Result<usize> {
        let mut conn = self.db().pool().acquire().await?;
        let ids = store::unfinished(&mut conn).await?;
        for id in &ids {
            self.spawn_bulk_job(*id);
        }
        Ok(ids.len())
    }

    /// One batch of the job, in one transaction; `true` once the job is finished.
    async fn bulk_batch(&self, id: i64) -> Result<bool> {
        let mut tx = self.db().begin_write().await?;
        let Some(job) = store::find(&mut tx, id).await? else {
            return Ok(true);
        };
        if job.finished {
            return Ok(true);
        }
        organizations::lock(&mut tx, job.organization_id).await?;
        // Read again under the lock: another worker may have moved the cursor.
        let job = match store::find(&mut tx, id).await? {
            Some(job) if !job.finished => job,
            _ => return Ok(true),
        };
        let ids = store::next_items(&mut tx, id, job.processed_through, BULK_BATCH).await?;
        let standings: HashMap<PartnerId, _> = store::standings(&mut tx, &ids)
            .await?
            .into_iter()
            .filter(|(_, org, _)| *org == job.organization_id)
            .map(|(id, _, standing)| (id, standing))
            .collect();
        let mut moves = StatusMoves::new(job.organization_id);
        let starter = started_by(&job);
        let (mut done, mut skipped) = (0, 0);
        let now = Timestamp::now();
        let detail = format!("Bulk job {id}");
        for partner_id in &ids {
            let outcome = match standings.get(partner_id) {
                None => BulkOutcome::Skipped(SKIP_GONE.to_owned()),
                Some(standing) => match job.action.check(*standing) {
                    Err(refusal) => {
                        BulkOutcome::Skipped(skip_reason(job.action, refusal, standing.status))
                    }
                    Ok(to) => {
                        // Under the organization's lock nobody else moves it.
                        if !moves
                            .apply(&mut tx, *partner_id, standing.status, to)
                            .await?
                        {
                            return Err(changed_under_lock(*partner_id));
                        }
                        crate::audit::record_done(
                            &mut tx,
                            &starter,
                            job.action.audit_action(),
                            *partner_id,
                            &detail,
                        )
                        .await?;
                        BulkOutcome::Done
                    }
                },
            };
            match outcome {
                BulkOutcome::Done => done += 1,
                BulkOutcome::Skipped(_) => skipped += 1,
            }
            store::set_outcome(&mut tx, id, *partner_id, &outcome).await?;
        }
        moves.settle(&mut tx).await?;
        let finished = (ids.len() as i64) < BULK_BATCH;
        let through = ids.last().map_or(job.processed_through, |id| id.get());
        store::advance(
            &mut tx,
            id,
            (done, skipped),
            through,
            finished.then_some(now),
        )
        .await?;
        crate::fail_point::check(&mut tx, "bulk.batch").await?;
        tx.commit().await?;
        if finished {
            tracing::info!(job = id, total = job.total, "bulk job finished");
        }
        Ok(finished)
    }

    /// The organization's newest bulk job its panel shows: progress while it runs,
    /// results once it is done; `None` once dismissed.
    #[tracing::instrument(skip_all)]
    pub async fn current_bulk_job(&self, admin: &OrgAdmin) -> Result<Option<BulkJobView>> {
        let mut conn = self.db().pool().acquire().await?;
        let Some(job) = store::latest_shown(&mut conn, admin.organization_id).await? else {
            return Ok(None);
        };
        let results = if job.finished {
            store::results(&mut conn, job.id, BULK_RESULTS_SHOWN)
                .await?
                .into_iter()
                .map(|(partner_id, name, outcome)| BulkResult {
                    partner_id: partner_id.get(),
                    name,
                    outcome,
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok(Some(view(&job, results)))
    }

    /// Closes a finished job's panel. A job still running cannot be dismissed.
    #[tracing::instrument(skip(self, admin))]
    pub async fn dismiss_bulk_job(&self, admin: &OrgAdmin, id: i64) -> Result<()> {
        let mut conn = self.db().pool().acquire().await?;
        if store::dismiss(&mut conn, admin.organization_id, id, Timestamp::now()).await? {
            Ok(())
        } else {
            Err(Error::NotFound(format!("finished bulk job {id}")))
        }
    }
}

/// Who the entries of a job's changes name: whoever started it, from where.
fn started_by(job: &Job) -> AuditContext {
    let mut context = AuditContext::new(
        job.actor.clone(),
        job.actor_user_id,
        Some(job.organization_id),
        job.address.clone(),
    );
    context.acting_as.clone_from(&job.acting_as);
    context
}

fn view(job: &Job, results: Vec<BulkResult>) -> BulkJobView {
    BulkJobView {
        id: job.id,
        action: job.action,
        total: job.total,
        processed: job.processed,
        done: job.done,
        skipped: job.skipped,
        finished: job.finished,
        results,
    }
}
