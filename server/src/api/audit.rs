//! `/api/v1/audit`: the Audit tab — the organization's audit log, newest first.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use umbrella::clock::Timestamp;
use umbrella::domain::audit::{AuditAction, AuditFilter, AuditFilterForm, action_label};

use super::ApiState;
use super::accounts::partner_id_param;
use super::caller::Caller;
use super::extract::Query;
use super::problem::{ApiResult, Problem};

/// One entry of the log, as it was written.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": 42, "at": "2026-11-27T17:30:05.123Z", "actor": "API token \"provisioning\"",
    "acting_as": null, "action": "account.block", "action_label": "Block account",
    "partner_id": 6475, "account_name": "Faculty of Arts", "address": "203.0.113.7", "outcome": "done", "detail": ""
}))]
pub struct AuditEntryJson {
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    /// Who: a user's email, `API token "<name>"`, or `operator`.
    pub actor: String,
    /// During a CMS Login, the account user acted as.
    pub acting_as: Option<String>,
    /// The action's code, as `action` filters by it.
    pub action: String,
    /// What the Audit tab calls it.
    pub action_label: String,
    pub partner_id: Option<i64>,
    /// The account's name, while it exists.
    pub account_name: Option<String>,
    /// The client's address.
    pub address: String,
    /// `done`, `refused` (a rule said no) or `failed`.
    pub outcome: String,
    /// Why it was refused, or what it did.
    pub detail: String,
}

/// A page of the log, and the cursor of the next (older) one.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditPageJson {
    pub entries: Vec<AuditEntryJson>,
    /// Pass as `before` for the next page; absent on the last.
    pub next: Option<String>,
}

/// The Audit tab's filters and page.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Entries about this account only.
    #[param(minimum = 1, maximum = 999_999_999_999_f64, example = 6475)]
    pub partner_id: Option<i64>,
    /// Entries of this action only.
    #[param(inline)]
    pub action: Option<ActionCode>,
    /// From the start of this day (UTC).
    #[param(format = Date, example = "2026-11-01")]
    pub from: Option<String>,
    /// To the end of this day (UTC); not before `from`.
    #[param(format = Date, example = "2026-11-30")]
    pub to: Option<String>,
    /// The `next` of the previous page.
    #[param(pattern = r"^-?[0-9]{1,15}\.[0-9]{1,15}$")]
    pub before: Option<String>,
}

/// An action's code, as entries give it.
#[derive(Clone, Debug, Deserialize)]
#[serde(try_from = "String")]
pub struct ActionCode(AuditAction);

impl TryFrom<String> for ActionCode {
    type Error = String;

    fn try_from(code: String) -> Result<Self, String> {
        AuditAction::from_code(&code)
            .map(Self)
            .ok_or_else(|| format!("\"{code}\" is not an action's code."))
    }
}

impl utoipa::PartialSchema for ActionCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(AuditAction::ALL.iter().map(|a| a.code())))
            .into()
    }
}

impl ToSchema for ActionCode {}

/// Read the audit log
///
/// Every change made by the console, the API or the operator in the organization,
/// newest first, 50 a page; follow `next` until it is absent.
#[utoipa::path(
    get,
    path = "/api/v1/audit",
    tag = "audit",
    params(AuditParams),
    responses(
        (status = 200, description = "A page of entries", body = AuditPageJson),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad parameter, named under `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Over the token's rate", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn list(
    State(state): State<ApiState>,
    caller: Caller,
    Query(params): Query<AuditParams>,
) -> ApiResult<axum::Json<AuditPageJson>> {
    // The tab's form reads an empty field as no filter; a parameter sent empty here
    // is a mistake to name.
    for (field, value) in [
        ("from", &params.from),
        ("to", &params.to),
        ("before", &params.before),
    ] {
        if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
            return Err(
                umbrella::Error::invalid(field, "Leave it out, or give it a value.").into(),
            );
        }
    }
    let partner_id = params.partner_id.map(partner_id_param).transpose()?;
    // The core reads the tab's form, so the API's checks and messages are its own.
    let filter = AuditFilter::parse(&AuditFilterForm {
        partner_id: partner_id.map(|id| id.to_string()).unwrap_or_default(),
        action: params
            .action
            .map(|a| a.0.code().to_owned())
            .unwrap_or_default(),
        from: params.from.unwrap_or_default(),
        to: params.to.unwrap_or_default(),
        before: params.before.unwrap_or_default(),
    })?;
    let page = state
        .umbrella
        .audit_log(caller.caller.reader(), &filter)
        .await?;
    Ok(axum::Json(AuditPageJson {
        entries: page
            .entries
            .into_iter()
            .map(|e| AuditEntryJson {
                id: e.id,
                at: Timestamp::from_millis(e.at).rfc3339(),
                action_label: action_label(&e.action).to_owned(),
                action: e.action,
                actor: e.actor,
                acting_as: e.acting_as,
                partner_id: e.partner_id,
                account_name: e.account_name,
                address: e.address,
                outcome: e.outcome.as_db().to_owned(),
                detail: e.detail,
            })
            .collect(),
        next: page.next_before.map(|cursor| cursor.to_token()),
    }))
}
