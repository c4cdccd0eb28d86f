//! The API tab's server functions: Publisher Administrators of the parent account
//! make and revoke the organization's API tokens; the core checks every rule again.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenRow {
    pub id: i64,
    pub name: String,
    /// "Read only" or "Read and write".
    pub access: String,
    pub created: String,
    pub created_by: String,
    pub last_used: String,
    pub expires: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedApiToken {
    pub token: ApiTokenRow,
    /// Shown once; only its hash is stored.
    pub secret: String,
}

#[cfg(feature = "ssr")]
fn row(token: umbrella::domain::ApiTokenView) -> ApiTokenRow {
    ApiTokenRow {
        id: token.id.get(),
        name: token.name,
        access: token.access.label().to_owned(),
        created: token.created_at.display(),
        created_by: token.created_by,
        last_used: token
            .last_used_at
            .map_or_else(|| "Never".to_owned(), |at| at.display()),
        expires: token
            .expires_at
            .map_or_else(|| "Never".to_owned(), |at| at.display()),
    }
}

#[server(prefix = "/api", endpoint = "list_api_tokens")]
pub async fn list_api_tokens() -> Result<Vec<ApiTokenRow>, AppError> {
    use crate::server::{actor, core, fail};
    let admin = actor().await?.org_admin().map_err(fail)?;
    let tokens = core()?.api_tokens(&admin).await.map_err(fail)?;
    Ok(tokens.into_iter().map(row).collect())
}

/// `access` is "read_only" or "read_write"; `expires_days` empty for never.
#[server(prefix = "/api", endpoint = "create_api_token")]
pub async fn create_api_token(
    name: String,
    access: String,
    expires_days: String,
) -> Result<CreatedApiToken, AppError> {
    use crate::server::{actor, core, fail, who};
    use umbrella::domain::ApiTokenForm;
    let actor = actor().await?;
    let form = ApiTokenForm {
        name,
        access,
        expires_days,
    };
    let created = core()?
        .create_api_token(&who(&actor), &actor, actor.email.as_str(), &form)
        .await
        .map_err(fail)?;
    Ok(CreatedApiToken {
        secret: created.secret.as_str().to_owned(),
        token: row(created.token),
    })
}

#[server(prefix = "/api", endpoint = "revoke_api_token")]
pub async fn revoke_api_token(id: i64) -> Result<(), AppError> {
    use crate::server::{actor, core, fail, who};
    use umbrella::domain::ApiTokenId;
    let actor = actor().await?;
    core()?
        .revoke_api_token(&who(&actor), &actor, ApiTokenId::new(id))
        .await
        .map_err(fail)
}
