//! SQL for API tokens. Only the SHA-256 of a token is stored.

use sqlx::AnyConnection;

use crate::clock::Timestamp;
use crate::domain::{ApiAccess, ApiTokenId, ApiTokenView, NewApiToken, OrganizationId, PartnerId};
use crate::error::{Error, Result};

#[derive(sqlx::FromRow)]
struct TokenRow {
    id: i64,
    name: String,
    access: String,
    created_by: String,
    created_at: i64,
    last_used_at: Option<i64>,
    expires_at: Option<i64>,
}

impl TryFrom<TokenRow> for ApiTokenView {
    type Error = Error;

    fn try_from(row: TokenRow) -> Result<Self> {
        Ok(ApiTokenView {
            id: ApiTokenId::new(row.id),
            name: row.name,
            access: ApiAccess::from_db(&row.access)
                .ok_or_else(|| Error::Internal(format!("unknown token access {:?}", row.access)))?,
            created_by: row.created_by,
            created_at: Timestamp::from_millis(row.created_at),
            last_used_at: row.last_used_at.map(Timestamp::from_millis),
            expires_at: row.expires_at.map(Timestamp::from_millis),
        })
    }
}

const COLUMNS: &str = "id, name, access, created_by, created_at, last_used_at, expires_at";

/// Inserts a token; `None` when the organization already has a live one by that name.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn insert(
    conn: &mut AnyConnection,
    organization: OrganizationId,
    token: &NewApiToken,
    token_hash: &str,
    created_by: &str,
    created_at: Timestamp,
) -> Result<Option<ApiTokenView>> {
    let expires_at = token
        .expires_days
        .map(|days| created_at.plus_seconds(i64::from(days) * 86_400).millis());
    let row: Option<TokenRow> = sqlx::query_as(&format!(
        "INSERT INTO api_tokens (organization_id, name, token_hash, access, created_by, \
         created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (organization_id, name) WHERE revoked_at IS NULL DO NOTHING \
         RETURNING {COLUMNS}"
    ))
    .bind(organization.get())
    .bind(token.name.as_str())
    .bind(token_hash)
    .bind(token.access.as_db())
    .bind(created_by)
    .bind(created_at.millis())
    .bind(expires_at)
    .fetch_optional(conn)
    .await?;
    row.map(ApiTokenView::try_from).transpose()
}

/// The organization's live tokens (not revoked; expired ones still show, so that
/// people see why a client stopped working), newest first.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn list(
    conn: &mut AnyConnection,
    organization: OrganizationId,
) -> Result<Vec<ApiTokenView>> {
    let rows: Vec<TokenRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM api_tokens WHERE organization_id = $1 AND revoked_at IS NULL \
         ORDER BY created_at DESC, id DESC"
    ))
    .bind(organization.get())
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(ApiTokenView::try_from).collect()
}

/// How many of the organization's tokens work at `now`: neither revoked nor expired.
pub(crate) async fn live_count(
    conn: &mut AnyConnection,
    organization: OrganizationId,
    now: Timestamp,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM api_tokens WHERE organization_id = $1 AND revoked_at IS NULL \
         AND (expires_at IS NULL OR expires_at > $2)",
    )
    .bind(organization.get())
    .bind(now.millis())
    .fetch_one(conn)
    .await?)
}

/// Revokes a live token of the organization; its name, or `None` if there is none.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn revoke(
    conn: &mut AnyConnection,
    organization: OrganizationId,
    id: ApiTokenId,
    at: Timestamp,
) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "UPDATE api_tokens SET revoked_at = $1 \
         WHERE id = $2 AND organization_id = $3 AND revoked_at IS NULL RETURNING name",
    )
    .bind(at.millis())
    .bind(id.get())
    .bind(organization.get())
    .fetch_optional(conn)
    .await?)
}

/// The organization a token ID belongs to (operator commands address tokens by ID).
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn organization_of(
    conn: &mut AnyConnection,
    id: ApiTokenId,
) -> Result<Option<OrganizationId>> {
    let org: Option<i64> =
        sqlx::query_scalar("SELECT organization_id FROM api_tokens WHERE id = $1")
            .bind(id.get())
            .fetch_optional(conn)
            .await?;
    Ok(org.map(OrganizationId::new))
}

/// What a call needs to know about the token it carries, in one query.
#[derive(sqlx::FromRow)]
pub(crate) struct CallerRow {
    pub id: i64,
    pub name: String,
    pub access: String,
    pub organization_id: i64,
    pub parent_id: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub last_used_at: Option<i64>,
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn find_caller(
    conn: &mut AnyConnection,
    token_hash: &str,
) -> Result<Option<CallerRow>> {
    Ok(sqlx::query_as(
        "SELECT t.id, t.name, t.access, t.organization_id, a.partner_id AS parent_id, \
         t.expires_at, t.revoked_at, t.last_used_at \
         FROM api_tokens t JOIN accounts a \
           ON a.organization_id = t.organization_id AND a.parent_id IS NULL \
         WHERE t.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await?)
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn touch(conn: &mut AnyConnection, id: i64, at: Timestamp) -> Result<()> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(at.millis())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The parent account of an organization, from its Partner ID (operator commands
/// name the organization by its parent's Partner ID, as `set-quota` does).
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn organization_of_parent(
    conn: &mut AnyConnection,
    parent: PartnerId,
) -> Result<Option<OrganizationId>> {
    let org: Option<i64> = sqlx::query_scalar(
        "SELECT organization_id FROM accounts WHERE partner_id = $1 AND parent_id IS NULL",
    )
    .bind(parent.get())
    .fetch_optional(conn)
    .await?;
    Ok(org.map(OrganizationId::new))
}
