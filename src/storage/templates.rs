//! SQL for template accounts and the platform's default template.

use sqlx::AnyConnection;

use crate::domain::{OrganizationId, PartnerId};
use crate::error::Result;

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn set_template(conn: &mut AnyConnection, id: PartnerId, on: bool) -> Result<()> {
    sqlx::query("UPDATE accounts SET is_template = $1 WHERE partner_id = $2")
        .bind(on)
        .bind(id.get())
        .execute(conn)
        .await?;
    Ok(())
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn default_template(conn: &mut AnyConnection) -> Result<Option<PartnerId>> {
    let id: Option<Option<i64>> =
        sqlx::query_scalar("SELECT default_template_id FROM platform_settings WHERE id = 1")
            .fetch_optional(conn)
            .await?;
    Ok(id.flatten().map(PartnerId::new))
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn set_default_template(conn: &mut AnyConnection, id: PartnerId) -> Result<()> {
    // An upsert both databases understand.
    sqlx::query(
        "INSERT INTO platform_settings (id, default_template_id) VALUES (1, $1) \
         ON CONFLICT (id) DO UPDATE SET default_template_id = excluded.default_template_id",
    )
    .bind(id.get())
    .execute(conn)
    .await?;
    Ok(())
}

/// The organization's active templates, by name.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn active_templates(
    conn: &mut AnyConnection,
    organization: OrganizationId,
) -> Result<Vec<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT partner_id, name FROM accounts \
         WHERE organization_id = $1 AND is_template AND status = 'active' ORDER BY name, partner_id",
    )
    .bind(organization.get())
    .fetch_all(conn)
    .await?)
}
