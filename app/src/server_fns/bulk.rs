//! The Multi Account tab's bulk actions: how many accounts a filter selects, start
//! a job, follow it, close its panel.

use leptos::prelude::*;

use umbrella::domain::bulk::BulkJobView;

use crate::error::AppError;

/// The filter of the list (status, search mode, search) as the core reads it; the
/// order and the page do not change which accounts match.
#[cfg(feature = "ssr")]
fn matching_query(
    status: Option<String>,
    mode: Option<String>,
    q: Option<String>,
) -> Result<umbrella::domain::AccountQuery, AppError> {
    use umbrella::domain::{AccountQuery, QueryParams};
    let params = QueryParams {
        status,
        mode,
        q,
        sort: None,
        size: None,
        after: None,
    };
    AccountQuery::parse(&params).map_err(|e| crate::server::fail(umbrella::Error::Invalid(e)))
}

/// How many accounts the list's filter matches ("Select all N matching").
#[server(prefix = "/api", endpoint = "bulk_selection_size")]
pub async fn bulk_selection_size(
    status: Option<String>,
    mode: Option<String>,
    q: Option<String>,
) -> Result<i64, AppError> {
    use crate::server::{actor, core, fail};

    let admin = actor().await?.org_admin().map_err(fail)?;
    let query = matching_query(status, mode, q)?;
    core()?
        .count_matching_accounts(&admin, &query)
        .await
        .map_err(fail)
}

/// Starts blocking, unblocking or removing the selected accounts: `partner_ids`
/// (comma-separated, a page at most), or with `all_matching` every account the
/// filter (`status`, `mode`, `q`) matches.
#[server(prefix = "/api", endpoint = "start_bulk_action")]
pub async fn start_bulk_action(
    action: String,
    partner_ids: Option<String>,
    all_matching: Option<String>,
    status: Option<String>,
    mode: Option<String>,
    q: Option<String>,
) -> Result<BulkJobView, AppError> {
    use crate::server::{actor, core, fail, who};
    use umbrella::Error;
    use umbrella::bulk::BulkSelection;
    use umbrella::domain::bulk::MAX_LISTED_ACCOUNTS;
    use umbrella::domain::{AccountAction, PartnerId};

    let actor = actor().await?;
    let action = AccountAction::parse(&action).map_err(|m| fail(Error::invalid("action", m)))?;
    let selection = if all_matching.as_deref() == Some("true") {
        BulkSelection::Matching(matching_query(status, mode, q)?)
    } else {
        let raw = partner_ids.unwrap_or_default();
        // One more than allowed is enough for the core to refuse the list.
        let ids = raw
            .split(',')
            .filter(|id| !id.trim().is_empty())
            .take(MAX_LISTED_ACCOUNTS + 1)
            .map(PartnerId::parse)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|m| fail(Error::invalid("partner_ids", m)))?;
        BulkSelection::Listed(ids)
    };
    core()?
        .start_bulk_action(&who(&actor), &actor, action, selection)
        .await
        .map_err(fail)
}

/// The organization's bulk job its panel shows, if any: progress, then results.
#[server(prefix = "/api", endpoint = "current_bulk_job")]
pub async fn current_bulk_job() -> Result<Option<BulkJobView>, AppError> {
    use crate::server::{actor, core, fail};

    let admin = actor().await?.org_admin().map_err(fail)?;
    core()?.current_bulk_job(&admin).await.map_err(fail)
}

/// Closes a finished job's panel (the audit log keeps what it did).
#[server(prefix = "/api", endpoint = "dismiss_bulk_job")]
pub async fn dismiss_bulk_job(id: String) -> Result<(), AppError> {
    use crate::server::{actor, core, fail};
    use umbrella::Error;

    let admin = actor().await?.org_admin().map_err(fail)?;
    let id = id
        .trim()
        .parse::<i64>()
        .map_err(|_| fail(Error::invalid("id", "A bulk job's ID is a whole number.")))?;
    core()?.dismiss_bulk_job(&admin, id).await.map_err(fail)
}
