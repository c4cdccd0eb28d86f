//! The Users tab's server functions: Publisher Administrators of the parent account
//! manage its users; the core checks every rule again.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParentUserView {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
    pub active: bool,
    pub publisher_user_id: Option<String>,
    pub is_owner: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsersPage {
    pub users: Vec<ParentUserView>,
    pub in_use: i64,
    pub available: i64,
    /// The roles a user may be given.
    pub roles: Vec<String>,
    /// The caller's own user ID (they cannot deactivate or remove themselves).
    pub me: i64,
    /// The organization's pending request for more users, if any.
    pub upgrade: Option<umbrella::domain::upgrade::UpgradeRequestView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedUserView {
    pub user: ParentUserView,
    /// Emailed, or the link to hand over (shown once).
    #[serde(flatten)]
    pub delivery: crate::api::ActivationDelivery,
}

#[cfg(feature = "ssr")]
fn view(user: umbrella::domain::UserView) -> ParentUserView {
    ParentUserView {
        id: user.id.get(),
        name: user.full_name(),
        active: user.status == umbrella::domain::UserStatus::Active,
        email: user.email,
        role: user.role,
        publisher_user_id: user.publisher_user_id,
        is_owner: user.is_owner,
    }
}

#[server(prefix = "/api", endpoint = "list_users")]
pub async fn list_users() -> Result<UsersPage, AppError> {
    use crate::server::{actor, core, fail};
    let admin = actor().await?.org_admin().map_err(fail)?;
    let core = core()?;
    let (users, quota) = core.parent_users(&admin).await.map_err(fail)?;
    let roles = core.user_roles(&admin).await.map_err(fail)?;
    let upgrade = core
        .pending_upgrade(&admin, umbrella::domain::upgrade::UpgradeKind::Users)
        .await
        .map_err(fail)?;
    Ok(UsersPage {
        upgrade,
        users: users.into_iter().map(view).collect(),
        in_use: quota.in_use,
        available: quota.available(),
        roles,
        // Always a person here: the admin comes from a session, not a token.
        me: admin.user_id().map_or(0, |id| id.get()),
    })
}

#[server(prefix = "/api", endpoint = "add_user")]
pub async fn add_user(
    email: String,
    first_name: String,
    last_name: String,
    publisher_user_id: String,
    role: String,
) -> Result<CreatedUserView, AppError> {
    use crate::server::{actor, audited, core};
    use umbrella::domain::audit::AuditAction;
    use umbrella::users::UserForm;
    let actor = actor().await?;
    let form = UserForm {
        email,
        first_name,
        last_name,
        publisher_user_id,
        role,
    };
    let core = core()?;
    let created = audited(
        &actor,
        AuditAction::UserAdd,
        Some(actor.account_id),
        async |change| {
            let admin = actor.org_admin()?;
            core.add_user(change, &admin, &form).await
        },
    )
    .await?;
    let path = format!("/activate?token={}", created.activation.as_str());
    let user = view(created.user);
    let delivery =
        crate::mail::deliver_activation(&user.email, "your organization's Umbrella console", &path)
            .await;
    Ok(CreatedUserView { user, delivery })
}

/// `action` is "deactivate", "reactivate" or "remove".
#[server(prefix = "/api", endpoint = "change_user")]
pub async fn change_user(id: i64, action: String) -> Result<(), AppError> {
    use crate::server::{actor, audited, core, fail};
    use umbrella::Error;
    use umbrella::domain::UserId;
    use umbrella::domain::audit::AuditAction;
    let actor = actor().await?;
    let core = core()?;
    let user = UserId::new(id);
    let code = match action.as_str() {
        "deactivate" => AuditAction::UserDeactivate,
        "reactivate" => AuditAction::UserReactivate,
        "remove" => AuditAction::UserRemove,
        _ => {
            return Err(fail(Error::invalid(
                "action",
                "Unknown action: use deactivate, reactivate or remove.",
            )));
        }
    };
    audited(&actor, code, Some(actor.account_id), async |change| {
        let admin = actor.org_admin()?;
        match action.as_str() {
            "remove" => core.remove_user(change, &admin, user).await,
            other => core
                .set_user_active(change, &admin, user, other == "reactivate")
                .await
                .map(|_| ()),
        }
    })
    .await
}

#[server(prefix = "/api", endpoint = "set_user_role")]
pub async fn set_user_role(id: i64, role: String) -> Result<(), AppError> {
    use crate::server::{actor, audited, core};
    use umbrella::domain::UserId;
    use umbrella::domain::audit::AuditAction;
    let actor = actor().await?;
    let core = core()?;
    audited(
        &actor,
        AuditAction::UserRole,
        Some(actor.account_id),
        async |change| {
            let admin = actor.org_admin()?;
            core.set_user_role(change, &admin, UserId::new(id), &role)
                .await
                .map(|_| ())
        },
    )
    .await
}
