//! `/api/v1/templates`: what an account can be created from, and what each copies.

use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use super::ApiState;
use super::caller::Caller;
use super::content::ContentCountsJson;
use super::problem::{ApiResult, Problem};

/// A template: its Partner ID (the `template` of a create) and what a copy takes.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "partner_id": 2, "name": "Default Template", "is_default": true,
    "copies": {"entries": 0, "categories": 5, "playlists": 0, "roles": 3,
               "transcoding_profiles": 1, "custom_data_schemas": 0, "players": 1,
               "access_control_profiles": 1, "feature_permissions": 2}
}))]
pub struct TemplateJson {
    pub partner_id: i64,
    pub name: String,
    /// The platform's Default Template, offered to every organization.
    pub is_default: bool,
    /// What a copy of the template takes.
    pub copies: ContentCountsJson,
}

/// The templates an account can be created from
///
/// The platform's Default Template and the organization's own, as Add Account offers them.
#[utoipa::path(
    get,
    path = "/api/v1/templates",
    tag = "templates",
    responses(
        (status = 200, description = "The templates", body = Vec<TemplateJson>),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Over the token's rate", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn list(
    State(state): State<ApiState>,
    caller: Caller,
) -> ApiResult<axum::Json<Vec<TemplateJson>>> {
    let choices = state
        .umbrella
        .template_choices(caller.caller.reader())
        .await?;
    Ok(axum::Json(
        choices
            .into_iter()
            .map(|t| TemplateJson {
                partner_id: t.partner_id.get(),
                name: t.name,
                is_default: t.is_default,
                copies: ContentCountsJson::from(t.counts),
            })
            .collect(),
    ))
}
