use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::list_params::ListParams;

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

/// How many accounts the organization has in each status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCountsView {
    pub active: i64,
    pub blocked: i64,
    pub removed: i64,
}

/// A page of the Multi Account table, the quota line and the counts above it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountsPage {
    pub rows: Vec<AccountRow>,
    pub in_use: i64,
    pub remaining: i64,
    pub counts: StatusCountsView,
    /// The token of the next page, if there is one.
    pub next: Option<String>,
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
    use umbrella::accounts::{AccountQuery, QueryParams};

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
    let quota = core.account_quota(&admin).await.map_err(fail)?;
    let counts = core.status_counts(&admin).await.map_err(fail)?;
    Ok(AccountsPage {
        rows: page.accounts.into_iter().map(row).collect(),
        in_use: quota.in_use,
        remaining: quota.remaining(),
        counts: StatusCountsView {
            active: counts.active,
            blocked: counts.blocked,
            removed: counts.removed,
        },
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

/// Blocks, unblocks or removes one account of the caller's organization and
/// returns its row as it now is. `action` is `block`, `unblock` or `remove`.
#[server(prefix = "/api", endpoint = "change_account_status")]
pub async fn change_account_status(
    partner_id: String,
    action: String,
) -> Result<AccountRow, AppError> {
    use crate::server::{actor, audited, core, fail};
    use umbrella::Error;
    use umbrella::accounts::AccountAction;
    use umbrella::domain::PartnerId;

    let actor = actor().await?;
    let code = match action.as_str() {
        "block" => "account.block",
        "unblock" => "account.unblock",
        _ => "account.remove",
    };
    let action = match action.as_str() {
        "block" => AccountAction::Block,
        "unblock" => AccountAction::Unblock,
        "remove" => AccountAction::Remove,
        _ => {
            return Err(fail(Error::invalid(
                "action",
                "Unknown action: use block, unblock or remove.",
            )));
        }
    };
    let partner_id =
        PartnerId::parse(&partner_id).map_err(|m| fail(Error::invalid("partner_id", m)))?;
    let core = core()?;
    let account = audited(&actor, code, Some(partner_id), async {
        let admin = actor.org_admin()?;
        core.change_account_status(&admin, partner_id, action).await
    })
    .await?;
    Ok(row(account))
}

/// A new account's row and the path of its owner's one-time activation link.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedAccountView {
    pub row: AccountRow,
    /// `/activate?token=…`: shown to the administrator once, never stored in clear.
    pub activation_path: String,
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
    use crate::server::{actor, client_address, core, fail};
    use umbrella::audit::AuditContext;
    use umbrella::domain::AccountForm;

    let actor = actor().await?;
    let form = AccountForm {
        admin_name,
        name,
        admin_email,
        admin_phone,
        website_url,
        reference_id,
        template: template.unwrap_or_default(),
    };
    let core = core()?;
    let context = AuditContext::for_actor(&actor, client_address());
    let created = core
        .audited(&context, "account.create", None, async {
            let admin = actor.org_admin()?;
            core.create_account(&admin, &form).await
        })
        .await
        .map_err(fail)?;
    Ok(CreatedAccountView {
        activation_path: format!("/activate?token={}", created.activation.as_str()),
        row: row(created.account),
    })
}

/// A template the Add Account dialog offers, with how many items of each kind it copies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateChoiceView {
    pub partner_id: i64,
    pub name: String,
    pub counts: Vec<crate::api::content::KindCount>,
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
            counts: crate::api::content::convert::counts(&choice.counts),
        })
        .collect())
}
