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
    pub delivery: crate::server_fns::ActivationDelivery,
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
    use crate::server::{actor, core, fail, who};
    use umbrella::users::UserForm;
    let actor = actor().await?;
    let form = UserForm {
        email,
        first_name,
        last_name,
        publisher_user_id,
        role,
    };
    let created = core()?
        .add_user(&who(&actor), &actor, &form)
        .await
        .map_err(fail)?;
    let path = format!("/activate?token={}", created.activation.as_str());
    let user = view(created.user);
    let delivery =
        super::deliver_activation(&user.email, "your organization's Umbrella console", &path).await;
    Ok(CreatedUserView { user, delivery })
}

/// `action` is "deactivate", "reactivate" or "remove".
#[server(prefix = "/api", endpoint = "change_user")]
pub async fn change_user(id: i64, action: String) -> Result<(), AppError> {
    use crate::server::{actor, core, fail, who};
    use umbrella::Error;
    use umbrella::domain::UserId;
    let actor = actor().await?;
    let core = core()?;
    let user = UserId::new(id);
    let who = who(&actor);
    match action.as_str() {
        "remove" => core.remove_user(&who, &actor, user).await,
        "deactivate" | "reactivate" => core
            .set_user_active(&who, &actor, user, action == "reactivate")
            .await
            .map(|_| ()),
        _ => Err(Error::invalid(
            "action",
            "Unknown action: use deactivate, reactivate or remove.",
        )),
    }
    .map_err(fail)
}

#[server(prefix = "/api", endpoint = "set_user_role")]
pub async fn set_user_role(id: i64, role: String) -> Result<(), AppError> {
    use crate::server::{actor, core, fail, who};
    use umbrella::domain::UserId;
    let actor = actor().await?;
    core()?
        .set_user_role(&who(&actor), &actor, UserId::new(id), &role)
        .await
        .map(|_| ())
        .map_err(fail)
}
