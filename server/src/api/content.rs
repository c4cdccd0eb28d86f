//! `/api/v1/accounts/{partner_id}/content`: an account's whole content as a bundle,
//! the same JSON the account console exports and imports.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use umbrella::domain::content::{Bundle, ContentCounts};

use super::ApiState;
use super::accounts::partner_id_or_404;
use super::caller::Caller;
use super::problem::{ApiResult, Problem};

/// How many items of each kind: what an account holds after an import, or what a
/// copy of a template takes.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "entries": 3, "categories": 5, "playlists": 1, "roles": 3, "transcoding_profiles": 1,
    "custom_data_schemas": 0, "players": 1, "access_control_profiles": 1, "feature_permissions": 2
}))]
pub struct ContentCountsJson {
    pub entries: i64,
    pub categories: i64,
    pub playlists: i64,
    pub roles: i64,
    pub transcoding_profiles: i64,
    pub custom_data_schemas: i64,
    pub players: i64,
    pub access_control_profiles: i64,
    pub feature_permissions: i64,
}

/// Export an account's content
///
/// Entries, categories, playlists, roles, transcoding profiles, custom data schemas,
/// players, access control profiles and feature permissions, as one bundle: what
/// `PUT` takes back, here or in another account.
#[utoipa::path(
    get,
    path = "/api/v1/accounts/{partner_id}/content",
    tag = "content",
    params(("partner_id" = i64, Path, description = "The account's Partner ID", example = 6475, minimum = 1, maximum = 999_999_999_999_f64)),
    responses(
        (status = 200, description = "The bundle", body = Object, content_type = "application/json", example = json!({
        "format": "umbrella-content/1",
        "categories": [{"key": "c1", "name": "Lectures", "parent": null}],
        "entries": [{"key": "e1", "name": "Welcome", "description": "", "media_type": "video",
                     "tags": ["intro"], "reference_id": null, "categories": ["c1"]}],
        "playlists": [{"name": "Start here", "description": "", "entries": ["e1"]}],
        "feature_permissions": ["captions"]
    })),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account in this organization", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The account is blocked or removed: its content cannot be viewed", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Over the token's rate", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn export(
    State(state): State<ApiState>,
    caller: Caller,
    Path(partner_id): Path<String>,
) -> ApiResult<Response> {
    let id = partner_id_or_404(&partner_id)?;
    let bundle = state
        .umbrella
        .organization_account_content(caller.caller.reader(), id)
        .await?;
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        bundle.to_json(),
    )
        .into_response())
}

/// Replace an account's content
///
/// The bundle is checked whole first (references between its items, the limits of
/// each kind); a bad one changes nothing and the problem names the bad items. Up to
/// 16 MiB.
#[utoipa::path(
    put,
    path = "/api/v1/accounts/{partner_id}/content",
    tag = "content",
    params(("partner_id" = i64, Path, description = "The account's Partner ID", example = 6475, minimum = 1, maximum = 999_999_999_999_f64)),
    request_body(content = Object, content_type = "application/json", description = "A bundle, as `GET` gives it", example = json!({
        "format": "umbrella-content/1",
        "categories": [{"key": "c1", "name": "Lectures", "parent": null}],
        "entries": [{"key": "e1", "name": "Welcome", "description": "", "media_type": "video",
                     "tags": ["intro"], "reference_id": null, "categories": ["c1"]}],
        "playlists": [{"name": "Start here", "description": "", "entries": ["e1"]}],
        "feature_permissions": ["captions"]
    })),
    responses(
        (status = 200, description = "Imported: what the account now holds", body = ContentCountsJson),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account in this organization", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The account is removed: its content is frozen", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Over 16 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not declared as application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a valid bundle; the bad items are named", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Over the token's rate", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn import(
    State(state): State<ApiState>,
    caller: Caller,
    Path(partner_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<axum::Json<ContentCountsJson>> {
    let id = partner_id_or_404(&partner_id)?;
    let admin = caller.caller.writer()?;
    if !is_json(&headers) {
        return Err(Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Send the bundle as \"Content-Type: application/json\".",
        ));
    }
    let context = caller.caller.audit_context(caller.address.clone());
    let core = &state.umbrella;
    let bundle = match std::str::from_utf8(&body) {
        Ok(text) => Bundle::from_json(text),
        Err(_) => Err(umbrella::Error::invalid(
            "bundle",
            "This is not a content bundle: it is not UTF-8.",
        )),
    };
    // Let go of the body (megabytes) before the rows are written.
    drop(body);
    let counts = core
        .import_organization_account_content(&context, admin, id, bundle)
        .await?;
    Ok(axum::Json(ContentCountsJson::from(counts)))
}

impl From<ContentCounts> for ContentCountsJson {
    fn from(counts: ContentCounts) -> Self {
        Self {
            entries: counts.entries,
            categories: counts.categories,
            playlists: counts.playlists,
            roles: counts.roles,
            transcoding_profiles: counts.transcoding_profiles,
            custom_data_schemas: counts.custom_data_schemas,
            players: counts.players,
            access_control_profiles: counts.access_control_profiles,
            feature_permissions: counts.feature_permissions,
        }
    }
}

/// `application/json`, with or without parameters (`; charset=utf-8`).
fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"))
}
