use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use umbrella::domain::{AccountStanding, Status, StatusCounts};

use crate::error::AppError;
use crate::list_params::ListParams;

/// One row of the Multi Account table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRow {
    pub partner_id: i64,
    pub name: String,
    pub is_parent: bool,
    pub is_template: bool,
    pub status: Status,
    pub admin_name: String,
    pub admin_email: String,
    pub admin_phone: String,
    pub reference_id: Option<String>,
    pub website_url: Option<String>,
    pub created: String,
}

/// A page of the Multi Account table, the quota line and the counts above it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountsPage {
    pub rows: Vec<AccountRow>,
    pub in_use: i64,
    pub remaining: i64,
    pub counts: StatusCounts,
    /// The token of the next page, if there is one.
    pub next: Option<String>,
    /// The organization's pending request for more accounts, if any.
    pub upgrade: Option<umbrella::domain::upgrade::UpgradeRequestView>,
}

impl AccountRow {
    /// What the account rules look at: the menu offers what they allow.
    pub fn standing(&self) -> AccountStanding {
        AccountStanding {
            status: self.status,
            is_parent: self.is_parent,
            is_template: self.is_template,
        }
    }
}

/// Loads the page a URL's parameters describe.
pub async fn load_accounts(params: ListParams) -> Result<AccountsPage, AppError> {
    let arg = |value: &str| ListParams::optional(value);
    list_accounts(
        arg(&params.status),
        arg(&params.mode),
        arg(&params.q),
        arg(&params.sort),
        arg(&params.size),
        arg(&params.after),
    )
    .await
}

/// A page of the caller's organization's accounts. The arguments are the URL's
/// parameters as text; the core checks each and names any it cannot accept.
#[server(prefix = "/api", endpoint = "list_accounts")]
pub async fn list_accounts(
    status: Option<String>,
    mode: Option<String>,
    q: Option<String>,
    sort: Option<String>,
    size: Option<String>,
    after: Option<String>,
) -> Result<AccountsPage, AppError> {
    use crate::server::{actor, core, fail};
    use umbrella::Error;
    use umbrella::domain::{AccountQuery, QueryParams};

    let admin = actor().await?.org_admin().map_err(fail)?;
    let params = QueryParams {
        status,
        mode,
        q,
        sort,
        size,
        after,
    };
    let query = AccountQuery::parse(&params).map_err(|e| fail(Error::Invalid(e)))?;
    let core = core()?;
    let page = core.list_accounts(&admin, &query).await.map_err(fail)?;
    let overview = core.accounts_overview(&admin).await.map_err(fail)?;
    Ok(AccountsPage {
        upgrade: overview.upgrade,
        rows: page.accounts.into_iter().map(row).collect(),
        in_use: overview.quota.in_use,
        remaining: overview.quota.remaining(),
        counts: overview.counts,
        next: page.next.map(|cursor| cursor.to_token()),
    })
}

#[cfg(feature = "ssr")]
fn row(account: umbrella::domain::Account) -> AccountRow {
    AccountRow {
        partner_id: account.partner_id.get(),
        is_parent: account.is_parent(),
        is_template: account.is_template,
        status: account.status,
        created: account.created_at.display(),
        name: account.name.into_inner(),
        admin_name: account.admin_name.into_inner(),
        admin_email: account.admin_email.into_inner(),
        admin_phone: account.admin_phone.into_inner(),
        reference_id: account.reference_id.map(|r| r.into_inner()),
        website_url: account.website_url.map(|w| w.into_inner()),
    }
}

/// Blocks, unblocks or removes one account of the caller's organization and
/// returns its row as it now is. `action` is `block`, `unblock` or `remove`.
#[server(prefix = "/api", endpoint = "change_account_status")]
pub async fn change_account_status(
    partner_id: String,
    action: String,
) -> Result<AccountRow, AppError> {
    use crate::server::{actor, core, fail, who};
    use umbrella::Error;
    use umbrella::domain::{AccountAction, PartnerId};

    let actor = actor().await?;
    let action = AccountAction::parse(&action).map_err(|m| fail(Error::invalid("action", m)))?;
    let partner_id =
        PartnerId::parse(&partner_id).map_err(|m| fail(Error::invalid("partner_id", m)))?;
    let account = core()?
        .change_account_status(&who(&actor), &actor, partner_id, action)
        .await
        .map_err(fail)?;
    Ok(row(account))
}

/// A new account's row and the path of its owner's one-time activation link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedAccountView {
    pub row: AccountRow,
    /// Emailed to the owner, or the link (`/activate?token=…`) shown to the
    /// administrator once; never stored in clear.
    #[serde(flatten)]
    pub delivery: crate::server_fns::ActivationDelivery,
}

/// Creates an account in the caller's organization. Every field is checked by the
/// core; errors come back under the field names of the form.
#[server(prefix = "/api", endpoint = "create_account")]
pub async fn create_account(
    admin_name: String,
    name: String,
    admin_email: String,
    admin_phone: String,
    website_url: String,
    reference_id: String,
    template: Option<String>,
) -> Result<CreatedAccountView, AppError> {
    use crate::server::{actor, core, fail, who};
    use umbrella::domain::AccountForm;

    let actor = actor().await?;
    let template = AccountForm::template_choice(&template.unwrap_or_default())
        .map_err(|problem| fail(umbrella::Error::Invalid(vec![problem])))?;
    let form = AccountForm {
        admin_name,
        name,
        admin_email,
        admin_phone,
        website_url,
        reference_id,
        template,
    };
    let created = core()?
        .create_account(&who(&actor), &actor, &form)
        .await
        .map_err(fail)?;
    let path = format!("/activate?token={}", created.activation.as_str());
    let row = row(created.account);
    let what = format!("the account {}", row.name);
    let delivery = super::deliver_activation(&row.admin_email, &what, &path).await;
    Ok(CreatedAccountView { row, delivery })
}

/// A template the Add Account dialog offers, with how many items of each kind it copies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateChoiceView {
    pub partner_id: i64,
    pub name: String,
    pub counts: umbrella::domain::content::ContentCounts,
}

/// The templates the caller's organization may copy from: the platform's Default
/// Template, then its own.
#[server(prefix = "/api", endpoint = "template_choices")]
pub async fn template_choices() -> Result<Vec<TemplateChoiceView>, AppError> {
    use crate::server::{actor, core, fail};

    let admin = actor().await?.org_admin().map_err(fail)?;
    let choices = core()?.template_choices(&admin).await.map_err(fail)?;
    Ok(choices
        .into_iter()
        .map(|choice| TemplateChoiceView {
            partner_id: choice.partner_id.get(),
            name: choice.name,
            counts: choice.counts,
        })
        .collect())
}
