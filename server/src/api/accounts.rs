//! `/api/v1/accounts`: the Multi Account tab's list, search and actions.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use umbrella::domain::audit::AuditAction;
use umbrella::domain::{Account, AccountAction, AccountForm, AccountQuery, PartnerId, QueryParams};

use super::caller::Caller;
use super::extract::{Json, Query};
use super::problem::{ApiResult, Problem};
use super::{ApiState, idempotency};

/// An account as the API shows it.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "partner_id": 6475, "name": "Faculty of Arts", "status": "active",
    "admin_name": "Ana Garcia", "admin_email": "ana@arts.example", "admin_phone": "+1 555 0100",
    "reference_id": "ARTS-1", "website_url": "https://arts.example", "is_template": false,
    "is_parent": false, "created_at": "2026-11-27T17:30:05.123Z"
}))]
pub struct AccountJson {
    pub partner_id: i64,
    pub name: String,
    /// `active`, `blocked` or `removed`.
    pub status: String,
    pub admin_name: String,
    pub admin_email: String,
    pub admin_phone: String,
    pub reference_id: Option<String>,
    pub website_url: Option<String>,
    /// A template other accounts can be created from.
    pub is_template: bool,
    /// The organization's own parent account.
    pub is_parent: bool,
    /// RFC 3339, UTC.
    pub created_at: String,
}

impl From<&Account> for AccountJson {
    fn from(a: &Account) -> Self {
        Self {
            partner_id: a.partner_id.get(),
            name: a.name.as_str().to_owned(),
            status: a.status.as_db().to_owned(),
            admin_name: a.admin_name.as_str().to_owned(),
            admin_email: a.admin_email.as_str().to_owned(),
            admin_phone: a.admin_phone.as_str().to_owned(),
            reference_id: a.reference_id.as_ref().map(|r| r.as_str().to_owned()),
            website_url: a.website_url.as_ref().map(|w| w.as_str().to_owned()),
            is_template: a.is_template,
            is_parent: a.is_parent(),
            created_at: a.created_at.rfc3339(),
        }
    }
}

/// One page of accounts, and the cursor of the next.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountPageJson {
    pub accounts: Vec<AccountJson>,
    /// Pass as `after` for the next page; absent on the last.
    pub next: Option<String>,
}

/// The list's filters, search, order and page, as the Multi Account tab has them.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Statuses, comma-separated: `active`, `blocked`, `removed` (default `active,blocked`).
    #[param(example = "active,blocked")]
    pub status: Option<String>,
    /// What `q` searches: `partner_id`, `name` or `text` (name, website, administrator's
    /// name and email; the default).
    #[param(example = "text")]
    pub mode: Option<String>,
    /// The search; case does not matter.
    #[param(example = "faculty")]
    pub q: Option<String>,
    /// `created`, `name` or `partner` (ascending), `-` first for descending; default `-created`.
    #[param(example = "-created")]
    pub sort: Option<String>,
    /// Page size: 25, 50 (default), 100 or 200.
    #[param(example = "50")]
    pub size: Option<String>,
    /// The `next` of the previous page.
    pub after: Option<String>,
}

/// List and search the organization's accounts
///
/// Keyset-paged: follow `next` until it is absent.
#[utoipa::path(
    get,
    path = "/api/v1/accounts",
    tag = "accounts",
    params(ListParams),
    responses(
        (status = 200, description = "A page of accounts", body = AccountPageJson),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad parameter, named under `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Over the token's rate", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn list(
    State(state): State<ApiState>,
    caller: Caller,
    Query(params): Query<ListParams>,
) -> ApiResult<axum::Json<AccountPageJson>> {
    let query = AccountQuery::parse(&QueryParams {
        status: params.status,
        mode: params.mode,
        q: params.q,
        sort: params.sort,
        size: params.size,
        after: params.after,
    })
    .map_err(|errors| Problem::from(umbrella::Error::Invalid(errors)))?;
    let page = state
        .umbrella
        .list_accounts(caller.caller.reader(), &query)
        .await?;
    Ok(axum::Json(AccountPageJson {
        accounts: page.accounts.iter().map(AccountJson::from).collect(),
        next: page.next.map(|cursor| cursor.to_token()),
    }))
}

/// Get one account
#[utoipa::path(
    get,
    path = "/api/v1/accounts/{partner_id}",
    tag = "accounts",
    params(("partner_id" = i64, Path, description = "The account's Partner ID", example = 6475)),
    responses(
        (status = 200, description = "The account", body = AccountJson),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account in this organization", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Over the token's rate", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn get_one(
    State(state): State<ApiState>,
    caller: Caller,
    Path(partner_id): Path<String>,
) -> ApiResult<axum::Json<AccountJson>> {
    let id = partner_id_or_404(&partner_id)?;
    let account = state.umbrella.account(caller.caller.reader(), id).await?;
    Ok(axum::Json(AccountJson::from(&account)))
}

/// A new account: the Add Account dialog's fields.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "name": "Faculty of Arts", "admin_name": "Ana Garcia", "admin_email": "ana@arts.example",
    "admin_phone": "+1 555 0100", "website_url": "https://arts.example", "reference_id": "ARTS-1"
}))]
pub struct NewAccountJson {
    pub name: String,
    pub admin_name: String,
    pub admin_email: String,
    pub admin_phone: String,
    #[serde(default)]
    pub website_url: Option<String>,
    #[serde(default)]
    pub reference_id: Option<String>,
    /// The Partner ID of a template whose content the account starts with.
    #[serde(default)]
    pub template: Option<i64>,
}

/// The account made, and its owner's one-time activation link.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct CreatedAccountJson {
    pub account: AccountJson,
    /// Send it to the account's owner: it sets their password, once, within 7 days.
    pub activation_url: String,
}

/// Create an account
///
/// Takes a quota place; the owner user is created with a one-time activation link.
/// With an `Idempotency-Key`, a retry (same key, same body) answers what the first
/// request answered and creates nothing more.
#[utoipa::path(
    post,
    path = "/api/v1/accounts",
    tag = "accounts",
    request_body = NewAccountJson,
    params(("Idempotency-Key" = Option<String>, Header, description = "Up to 100 characters of the client's choosing, kept 24 hours")),
    responses(
        (status = 201, description = "Created", body = CreatedAccountJson),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The quota is reached, or the administrator email is in use", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad fields, named under `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Over the token's rate", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn create(
    State(state): State<ApiState>,
    caller: Caller,
    headers: HeaderMap,
    Json(body): Json<NewAccountJson>,
) -> Response {
    let key = match idempotency::key(&headers) {
        Ok(key) => key,
        Err(problem) => return problem.into_response(),
    };
    let run = async {
        let admin = caller.caller.writer()?;
        let form = AccountForm {
            admin_name: body.admin_name.clone(),
            name: body.name.clone(),
            admin_email: body.admin_email.clone(),
            admin_phone: body.admin_phone.clone(),
            website_url: body.website_url.clone().unwrap_or_default(),
            reference_id: body.reference_id.clone().unwrap_or_default(),
            template: body.template.map(|t| t.to_string()).unwrap_or_default(),
        };
        let context = caller.caller.audit_context(caller.address.clone());
        let created = state
            .umbrella
            .audited(&context, AuditAction::AccountCreate, None, async |change| {
                state.umbrella.create_account(change, admin, &form).await
            })
            .await?;
        Ok::<_, Problem>(CreatedAccountJson {
            account: AccountJson::from(&created.account),
            activation_url: format!(
                "{}/activate?token={}",
                state.public_origin,
                created.activation.as_str()
            ),
        })
    };
    match key {
        None => match run.await {
            Ok(created) => (StatusCode::CREATED, axum::Json(created)).into_response(),
            Err(problem) => problem.into_response(),
        },
        Some(key) => idempotency::once(&state, &caller.caller, &key, &body, run).await,
    }
}

/// Block, unblock or remove an account
#[utoipa::path(
    post,
    path = "/api/v1/accounts/{partner_id}/{action}",
    tag = "accounts",
    params(
        ("partner_id" = i64, Path, description = "The account's Partner ID", example = 6475),
        ("action" = String, Path, description = "`block`, `unblock` or `remove`", example = "block"),
    ),
    responses(
        (status = 200, description = "The account after the change", body = AccountJson),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A read-only token, or a rule refuses (the parent account)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account in this organization, or no such action", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not in a status the action applies to", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Over the token's rate", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn change_status(
    State(state): State<ApiState>,
    caller: Caller,
    Path((partner_id, action)): Path<(String, String)>,
) -> ApiResult<axum::Json<AccountJson>> {
    let id = partner_id_or_404(&partner_id)?;
    let action = AccountAction::parse(&action).map_err(|_| {
        Problem::new(
            StatusCode::NOT_FOUND,
            format!("No action \"{action}\": use block, unblock or remove."),
        )
    })?;
    let admin = caller.caller.writer()?;
    let context = caller.caller.audit_context(caller.address.clone());
    let account = state
        .umbrella
        .audited(&context, action.audit_action(), Some(id), async |change| {
            state
                .umbrella
                .change_account_status(change, admin, id, action)
                .await
        })
        .await?;
    Ok(axum::Json(AccountJson::from(&account)))
}

/// A Partner ID from a path; anything else names no account.
fn partner_id_or_404(raw: &str) -> Result<PartnerId, Problem> {
    PartnerId::parse(raw).map_err(|_| {
        Problem::new(
            StatusCode::NOT_FOUND,
            format!("No account {raw} was found."),
        )
    })
}
