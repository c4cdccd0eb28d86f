//! `/api/v1/organization`: the token's organization and its quota line.

use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use super::ApiState;
use super::caller::Caller;
use super::problem::{ApiResult, Problem};

/// The organization: its parent account and the figures of the quota line.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "parent_partner_id": 1, "name": "Huge University",
    "accounts": {"in_use": 12, "quota": 50, "remaining": 38},
    "statuses": {"active": 10, "blocked": 2, "removed": 1}
}))]
pub struct OrganizationJson {
    pub parent_partner_id: i64,
    pub name: String,
    /// Accounts in use (active and blocked ones, not the parent) against the quota.
    pub accounts: QuotaJson,
    /// Accounts per status, the parent included.
    pub statuses: StatusCountsJson,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct QuotaJson {
    pub in_use: i64,
    pub quota: i64,
    pub remaining: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StatusCountsJson {
    pub active: i64,
    pub blocked: i64,
    pub removed: i64,
}

/// The token's organization
#[utoipa::path(
    get,
    path = "/api/v1/organization",
    tag = "organization",
    responses(
        (status = 200, description = "The organization and its quota line", body = OrganizationJson),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Over the token's rate", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn get(
    State(state): State<ApiState>,
    caller: Caller,
) -> ApiResult<axum::Json<OrganizationJson>> {
    let admin = caller.caller.reader();
    let core = &state.umbrella;
    let parent = core.account(admin, admin.parent_id()).await?;
    let quota = core.account_quota(admin).await?;
    let counts = core.status_counts(admin).await?;
    Ok(axum::Json(OrganizationJson {
        parent_partner_id: parent.partner_id.get(),
        name: parent.name.as_str().to_owned(),
        accounts: QuotaJson {
            in_use: quota.in_use,
            quota: quota.quota,
            remaining: quota.remaining(),
        },
        statuses: StatusCountsJson {
            active: counts.active,
            blocked: counts.blocked,
            removed: counts.removed,
        },
    }))
}
