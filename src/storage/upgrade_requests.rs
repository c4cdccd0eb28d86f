//! SQL for upgrade requests.

use sqlx::AnyConnection;

use crate::clock::Timestamp;
use crate::domain::upgrade::{NewUpgradeRequest, UpgradeKind};
use crate::domain::{OrganizationId, PartnerId};
use crate::error::{Error, Result};

/// A request as stored, with its organization's parent account (what the operator
/// names an organization by).
#[derive(Clone, Debug)]
pub(crate) struct Request {
    pub parent: PartnerId,
    pub organization_name: String,
    pub kind: UpgradeKind,
    pub how_many: i64,
    pub message: String,
    pub requested_by: String,
    pub requested_at: Timestamp,
}

type Row = (i64, String, String, i64, String, String, i64);

fn request(row: Row) -> Result<Request> {
    let (parent, organization_name, kind, how_many, message, requested_by, at) = row;
    Ok(Request {
        parent: PartnerId::new(parent),
        organization_name,
        kind: UpgradeKind::from_db(&kind)
            .ok_or_else(|| Error::Internal(format!("unknown upgrade kind {kind:?}")))?,
        how_many,
        message,
        requested_by,
        requested_at: Timestamp::from_millis(at),
    })
}

const PENDING: &str = "SELECT a.partner_id, a.name, r.kind, r.how_many, r.message, \
     r.requested_by, r.requested_at FROM upgrade_requests r \
     JOIN accounts a ON a.organization_id = r.organization_id AND a.parent_id IS NULL \
     WHERE r.closed_at IS NULL";

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn insert(
    conn: &mut AnyConnection,
    organization: OrganizationId,
    kind: UpgradeKind,
    request: &NewUpgradeRequest,
    requested_by: &str,
    at: Timestamp,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO upgrade_requests (organization_id, kind, how_many, message, \
         requested_by, requested_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(organization.get())
    .bind(kind.as_db())
    .bind(request.how_many)
    .bind(&request.message)
    .bind(requested_by)
    .bind(at.millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// The organization's pending request of this kind, if any.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn pending(
    conn: &mut AnyConnection,
    organization: OrganizationId,
    kind: UpgradeKind,
) -> Result<Option<Request>> {
    let row: Option<Row> = sqlx::query_as(&format!(
        "{PENDING} AND r.organization_id = $1 AND r.kind = $2"
    ))
    .bind(organization.get())
    .bind(kind.as_db())
    .fetch_optional(conn)
    .await?;
    row.map(request).transpose()
}

/// Every pending request, oldest first: the operator's list.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn all_pending(conn: &mut AnyConnection) -> Result<Vec<Request>> {
    let rows: Vec<Row> = sqlx::query_as(&format!("{PENDING} ORDER BY r.requested_at, r.id"))
        .fetch_all(conn)
        .await?;
    rows.into_iter().map(request).collect()
}

/// Closes the organization's pending request of this kind; whether there was one.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn close(
    conn: &mut AnyConnection,
    organization: OrganizationId,
    kind: UpgradeKind,
    at: Timestamp,
) -> Result<bool> {
    let result = sqlx::query(
        "UPDATE upgrade_requests SET closed_at = $1 WHERE organization_id = $2 AND kind = $3 \
         AND closed_at IS NULL",
    )
    .bind(at.millis())
    .bind(organization.get())
    .bind(kind.as_db())
    .execute(conn)
    .await?;
    Ok(result.rows_affected() > 0)
}
