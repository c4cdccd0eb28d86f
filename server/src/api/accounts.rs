//! `/api/v1/accounts`: the Multi Account tab's list, search and actions.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use umbrella::domain::{
    Account, AccountAction, AccountForm, AccountQuery, Cursor, CursorKey, Direction, PartnerId,
    Search, SearchMode, Sort, SortKey, Status,
};

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

/// Which statuses to list.
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum StatusFilter {
    Active,
    Blocked,
    Removed,
    All,
}

/// The order: a column, ascending, or descending with `-`.
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
pub enum SortOrder {
    #[serde(rename = "created")]
    Created,
    #[serde(rename = "-created")]
    CreatedDesc,
    #[serde(rename = "name")]
    Name,
    #[serde(rename = "-name")]
    NameDesc,
    #[serde(rename = "partner")]
    Partner,
    #[serde(rename = "-partner")]
    PartnerDesc,
}

impl SortOrder {
    fn as_param(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::CreatedDesc => "-created",
            Self::Name => "name",
            Self::NameDesc => "-name",
            Self::Partner => "partner",
            Self::PartnerDesc => "-partner",
        }
    }
}

/// A page size the tab offers: 25, 50, 100 or 200.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(try_from = "u16")]
pub struct PageSize(i64);

impl TryFrom<u16> for PageSize {
    type Error = String;

    fn try_from(size: u16) -> Result<Self, String> {
        let size = i64::from(size);
        if AccountQuery::PAGE_SIZES.contains(&size) {
            Ok(Self(size))
        } else {
            Err(format!(
                "Choose a page size of {:?}.",
                AccountQuery::PAGE_SIZES
            ))
        }
    }
}

impl utoipa::PartialSchema for PageSize {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Integer)
            .enum_values(Some(AccountQuery::PAGE_SIZES))
            .into()
    }
}

impl ToSchema for PageSize {}

/// The largest Partner ID the API takes: far beyond any, well within every integer
/// type a client might hold it in.
const MAX_PARTNER_ID: i64 = 999_999_999_999;

/// The list's filters, search, order and page, as the Multi Account tab has them.
/// One search at a time: `partner_id`, else `name`, else `q`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Which statuses; Active and Blocked when absent.
    #[param(inline)]
    pub status: Option<StatusFilter>,
    /// Find the account with this Partner ID.
    #[param(minimum = 1, maximum = 999_999_999_999_f64, example = 6475)]
    pub partner_id: Option<i64>,
    /// Find accounts whose name contains this (case does not matter).
    #[param(max_length = 200, example = "arts")]
    pub name: Option<String>,
    /// Find accounts whose name, website, administrator's name or email contains this.
    #[param(max_length = 200, example = "faculty")]
    pub q: Option<String>,
    /// The order; newest first when absent.
    #[param(inline)]
    pub sort: Option<SortOrder>,
    /// Accounts per page; 50 when absent.
    #[param(inline)]
    pub size: Option<PageSize>,
    /// The `next` of the previous page. It carries that page's order, which it keeps.
    #[param(
        pattern = r"^-?(created\.c-?[0-9]{1,15}|partner\.p|name\.n([0-9a-f]{2}){0,400})_[1-9][0-9]{0,11}$"
    )]
    pub after: Option<String>,
}

impl ListParams {
    fn into_query(self) -> Result<AccountQuery, Problem> {
        let invalid =
            |field: &str, message: &str| Problem::from(umbrella::Error::invalid(field, message));
        let mut query = AccountQuery::default_view();
        query.statuses = match self.status {
            None => vec![Status::Active, Status::Blocked],
            Some(StatusFilter::Active) => vec![Status::Active],
            Some(StatusFilter::Blocked) => vec![Status::Blocked],
            Some(StatusFilter::Removed) => vec![Status::Removed],
            Some(StatusFilter::All) => Status::ALL.to_vec(),
        };
        query.search = match (self.partner_id, self.name, self.q) {
            (Some(id), _, _) => Some(Search::PartnerId(partner_id_param(id)?)),
            (None, Some(name), _) => Search::parse(SearchMode::AccountName, &name)
                .map_err(|message| invalid("name", &message))?,
            (None, None, Some(q)) => {
                Search::parse(SearchMode::FreeText, &q).map_err(|message| invalid("q", &message))?
            }
            (None, None, None) => None,
        };
        let sort = self.sort.unwrap_or(SortOrder::CreatedDesc);
        query.sort = Sort::parse(sort.as_param()).map_err(|message| invalid("sort", &message))?;
        query.limit = self
            .size
            .map_or(AccountQuery::DEFAULT_PAGE_SIZE, |size| size.0);
        if let Some(after) = self.after {
            let (sort, cursor) = parse_after(&after)
                .ok_or_else(|| invalid("after", "This is not a next-page cursor."))?;
            query.sort = sort;
            query.after = Some(cursor);
        }
        Ok(query)
    }
}

/// `next` as the API gives it: the order, a dot, then the core's cursor.
fn next_token(sort: Sort, cursor: &Cursor) -> String {
    let key = match sort.key {
        SortKey::Created => "created",
        SortKey::Name => "name",
        SortKey::PartnerId => "partner",
    };
    let direction = if sort.direction == Direction::Desc {
        "-"
    } else {
        ""
    };
    format!("{direction}{key}.{}", cursor.to_token())
}

/// Reads a [`next_token`]; a name in it that is not UTF-8 (only a client that made
/// it up would send one) still marks a place in the order.
fn parse_after(token: &str) -> Option<(Sort, Cursor)> {
    let (order, cursor) = token.split_once('.')?;
    let sort = Sort::parse(order).ok()?;
    let (head, partner) = cursor.rsplit_once('_')?;
    let partner_id = PartnerId::new(partner.parse().ok()?);
    let key = match (sort.key, head.split_at_checked(1)?) {
        (SortKey::Created, ("c", millis)) => CursorKey::Created(
            umbrella::clock::Timestamp::from_millis(millis.parse().ok()?),
        ),
        (SortKey::PartnerId, ("p", "")) => CursorKey::PartnerId,
        (SortKey::Name, ("n", name)) => {
            CursorKey::Name(String::from_utf8_lossy(&hex::decode(name).ok()?).into_owned())
        }
        _ => return None,
    };
    Some((sort, Cursor { key, partner_id }))
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
    let query = params.into_query()?;
    let page = state
        .umbrella
        .list_accounts(caller.caller.reader(), &query)
        .await?;
    Ok(axum::Json(AccountPageJson {
        accounts: page.accounts.iter().map(AccountJson::from).collect(),
        next: page.next.map(|cursor| next_token(query.sort, &cursor)),
    }))
}

/// Get one account
#[utoipa::path(
    get,
    path = "/api/v1/accounts/{partner_id}",
    tag = "accounts",
    params(("partner_id" = i64, Path, description = "The account's Partner ID", example = 6475, minimum = 1, maximum = 999_999_999_999_f64)),
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
    /// 1 to 100 characters, no control or invisible formatting characters.
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// The owner's name: 1 to 100 characters.
    #[schema(min_length = 1, max_length = 100)]
    pub admin_name: String,
    /// The owner's email, unique among the organization's accounts.
    #[schema(min_length = 3, max_length = 254, format = "email")]
    pub admin_email: String,
    /// Digits with `+ - ( ) .` and spaces, at least 4 digits.
    #[schema(min_length = 4, max_length = 30, pattern = r"^[0-9+() .-]+$")]
    pub admin_phone: String,
    /// An absolute http or https URL.
    #[serde(default)]
    #[schema(max_length = 2048, format = "uri")]
    pub website_url: Option<String>,
    /// Your own reference for the account: up to 100 characters.
    #[serde(default)]
    #[schema(max_length = 100)]
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
    /// `null` in a replay of an `Idempotency-Key` (`Idempotent-Replayed: true`): the
    /// link is stored nowhere but as a hash, so a replay cannot show it again; a new
    /// one is sent from the console (the account's "Resend activation link").
    pub activation_url: Option<String>,
}

/// Create an account
///
/// Takes a quota place; the owner user is created with a one-time activation link.
/// With an `Idempotency-Key`, a retry (same key, same body) answers what the first
/// request answered, less the activation link (never stored), and creates nothing more.
#[utoipa::path(
    post,
    path = "/api/v1/accounts",
    tag = "accounts",
    request_body = NewAccountJson,
    params(("Idempotency-Key" = Option<String>, Header, description = "Up to 100 printable ASCII characters of the client's choosing; the answer is kept 24 hours", pattern = r"^[ -~]{1,100}$")),
    responses(
        (status = 201, description = "Created", body = CreatedAccountJson),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not declared as application/json", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The quota is reached, the administrator email is in use, or the Idempotency-Key was used for another body or is still running", body = Problem, content_type = "application/problem+json"),
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
            template: body
                .template
                .map(|id| {
                    PartnerId::positive(id).ok_or_else(|| {
                        umbrella::Error::invalid("template", umbrella::domain::TEMPLATE_CHOICE)
                    })
                })
                .transpose()?,
        };
        let context = caller.caller.audit_context(caller.address.clone());
        let created = state
            .umbrella
            .create_account(&context, admin, &form)
            .await?;
        Ok::<_, Problem>(CreatedAccountJson {
            account: AccountJson::from(&created.account),
            activation_url: Some(format!(
                "{}/activate?token={}",
                state.public_origin,
                created.activation.as_str()
            )),
        })
    };
    match key {
        None => match run.await {
            Ok(created) => (StatusCode::CREATED, axum::Json(created)).into_response(),
            Err(problem) => problem.into_response(),
        },
        Some(key) => {
            let without_link = |created: &mut CreatedAccountJson| created.activation_url = None;
            idempotency::once(&state, &caller.caller, &key, &body, without_link, run).await
        }
    }
}

/// Block, unblock or remove an account
#[utoipa::path(
    post,
    path = "/api/v1/accounts/{partner_id}/{action}",
    tag = "accounts",
    params(
        ("partner_id" = i64, Path, description = "The account's Partner ID", example = 6475, minimum = 1, maximum = 999_999_999_999_f64),
        ("action" = inline(ActionParam), Path, description = "What to do"),
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
        .change_account_status(&context, admin, id, action)
        .await?;
    Ok(axum::Json(AccountJson::from(&account)))
}

/// The actions of a row's menu, as the path names them.
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ActionParam {
    Block,
    Unblock,
    Remove,
}

/// A `partner_id` query parameter: within the documented range, or a 422 naming it.
pub(super) fn partner_id_param(id: i64) -> Result<PartnerId, Problem> {
    if (1..=MAX_PARTNER_ID).contains(&id) {
        Ok(PartnerId::new(id))
    } else {
        Err(umbrella::Error::invalid("partner_id", "A Partner ID is a whole number from 1.").into())
    }
}

/// A Partner ID from a path; anything else names no account.
pub(super) fn partner_id_or_404(raw: &str) -> Result<PartnerId, Problem> {
    PartnerId::parse(raw).map_err(|_| {
        Problem::new(
            StatusCode::NOT_FOUND,
            format!("No account {raw} was found."),
        )
    })
}
