use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// An account's status, as the table shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StatusView {
    Active,
    Blocked,
    Removed,
}

impl StatusView {
    pub fn label(self) -> &'static str {
        match self {
            StatusView::Active => "Active",
            StatusView::Blocked => "Blocked",
            StatusView::Removed => "Removed",
        }
    }
}

/// One row of the Multi Account table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRow {
    pub partner_id: i64,
    pub name: String,
    pub is_parent: bool,
    pub is_template: bool,
    pub status: StatusView,
    pub admin_name: String,
    pub admin_email: String,
    pub admin_phone: String,
    pub reference_id: Option<String>,
    pub website_url: Option<String>,
    pub created: String,
}

/// A page of the Multi Account table and the quota line above it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountsPage {
    pub rows: Vec<AccountRow>,
    pub in_use: i64,
    pub remaining: i64,
    /// The token of the next page, if there is one.
    pub next: Option<String>,
}

/// A page of the caller's organization's accounts. `status` and `after` are the
/// URL's filter and page token; both are checked by the core.
#[server(prefix = "/api", endpoint = "list_accounts")]
pub async fn list_accounts(
    status: Option<String>,
    after: Option<String>,
) -> Result<AccountsPage, AppError> {
    use crate::server::{actor, core, fail};
    use umbrella::Error;
    use umbrella::accounts::{AccountCursor, AccountQuery};
    use umbrella::domain::Status;

    let admin = actor().await?.org_admin().map_err(fail)?;
    let statuses =
        Status::parse_filter(status.as_deref()).map_err(|m| fail(Error::invalid("status", m)))?;
    let after = after
        .filter(|token| !token.is_empty())
        .map(|token| AccountCursor::parse(&token))
        .transpose()
        .map_err(|m| fail(Error::invalid("after", m)))?;
    let core = core()?;
    let page = core
        .list_accounts(
            &admin,
            &AccountQuery {
                statuses,
                after,
                ..AccountQuery::default_view()
            },
        )
        .await
        .map_err(fail)?;
    let quota = core.account_quota(&admin).await.map_err(fail)?;
    Ok(AccountsPage {
        rows: page.accounts.into_iter().map(row).collect(),
        in_use: quota.in_use,
        remaining: quota.remaining(),
        next: page.next.map(|cursor| cursor.to_token()),
    })
}

#[cfg(feature = "ssr")]
fn row(account: umbrella::domain::Account) -> AccountRow {
    use umbrella::domain::Status;

    AccountRow {
        partner_id: account.partner_id.get(),
        is_parent: account.is_parent(),
        is_template: account.is_template,
        status: match account.status {
            Status::Active => StatusView::Active,
            Status::Blocked => StatusView::Blocked,
            Status::Removed => StatusView::Removed,
        },
        created: account.created_at.display(),
        name: account.name.into_inner(),
        admin_name: account.admin_name.into_inner(),
        admin_email: account.admin_email.into_inner(),
        admin_phone: account.admin_phone.into_inner(),
        reference_id: account.reference_id.map(|r| r.into_inner()),
        website_url: account.website_url.map(|w| w.into_inner()),
    }
}
