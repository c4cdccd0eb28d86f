//! The Users tab of a parent account: its console users, within the user quota,
//! and never without an active Publisher Administrator.

use crate::Umbrella;
use crate::audit::AuditContext;
use crate::auth::{ActivationToken, AdminClaim, OrgAdmin, issue_activation};
use crate::clock::Timestamp;
use crate::domain::audit::AuditAction;
use crate::domain::{EmailAddress, PersonName, Role, UserId, UserStatus, UserView};
use crate::error::{Error, FieldErrors, Result};
use crate::storage::{Conn, is_unique_violation, organizations, users};

/// Where the parent account stands against its user quota.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UserQuota {
    pub in_use: i64,
    pub quota: i64,
}

impl UserQuota {
    pub fn available(&self) -> i64 {
        (self.quota - self.in_use).max(0)
    }
}

/// The raw text of the Add User form.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct UserForm {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub publisher_user_id: String,
    pub role: String,
}

/// A new user and the secret of their activation link, to be shown once.
#[derive(Debug)]
pub struct CreatedUser {
    pub user: UserView,
    pub activation: ActivationToken,
}

struct CheckedUser {
    email: EmailAddress,
    first_name: PersonName,
    last_name: PersonName,
    publisher_user_id: Option<String>,
    role: Role,
}

fn check(form: &UserForm, roles: &[String]) -> Result<CheckedUser> {
    let mut errors = FieldErrors::default();
    let email = errors.check(
        "email",
        EmailAddress::parse(&form.email)
            .map_err(|m| m.replace("Administrator Email", "Login email address")),
    );
    let first_name = errors.check(
        "first_name",
        PersonName::parse(&form.first_name, "First Name"),
    );
    let last_name = errors.check("last_name", PersonName::parse(&form.last_name, "Last Name"));
    let publisher_user_id = errors.check(
        "publisher_user_id",
        match form.publisher_user_id.trim() {
            "" => Ok(None),
            id if id.chars().count() > 100 => {
                Err("A Publisher User ID is at most 100 characters.".to_owned())
            }
            id => crate::domain::text::readable(id, "A Publisher User ID").map(Some),
        },
    );
    let role = errors.check(
        "role",
        roles
            .iter()
            .find(|r| **r == form.role)
            .map(|r| Role::from_db(r))
            .ok_or_else(|| "Choose one of the account's roles.".to_owned()),
    );
    match (email, first_name, last_name, publisher_user_id, role) {
        (Some(email), Some(first_name), Some(last_name), Some(publisher_user_id), Some(role)) => {
            Ok(CheckedUser {
                email,
                first_name,
                last_name,
                publisher_user_id,
                role,
            })
        }
        _ => Err(Error::Invalid(errors.into_vec())),
    }
}

/// The roles a user of the parent account may have: Publisher Administrator and
/// the account's own CMS roles.
async fn roles_of(conn: &mut Conn, admin: &OrgAdmin) -> Result<Vec<String>> {
    let mut roles = vec![Role::PUBLISHER_ADMINISTRATOR.to_owned()];
    let own = users::cms_roles(conn, admin.parent_id).await?;
    roles.extend(
        own.into_iter()
            .filter(|r| r != Role::PUBLISHER_ADMINISTRATOR),
    );
    Ok(roles)
}

impl Umbrella {
    #[tracing::instrument(skip_all)]
    pub async fn user_roles(&self, admin: &OrgAdmin) -> Result<Vec<String>> {
        let mut conn = self.db().pool().acquire().await?;
        roles_of(&mut conn, admin).await
    }

    #[tracing::instrument(skip_all)]
    pub async fn parent_users(&self, admin: &OrgAdmin) -> Result<(Vec<UserView>, UserQuota)> {
        let mut conn = self.db().pool().acquire().await?;
        let list = users::list(&mut conn, admin.parent_id).await?;
        let quota = organizations::find(&mut conn, admin.organization_id)
            .await?
            .ok_or_else(|| Error::NotFound("organization".to_owned()))?
            .user_quota;
        let in_use = list.len() as i64;
        Ok((list, UserQuota { in_use, quota }))
    }

    /// Adds a user to the parent account, who chooses a password through a one-time
    /// link. Within the user quota, also when many requests race (the organization's
    /// row lock serialises them).
    #[tracing::instrument(skip(self, form, who, admin))]
    pub async fn add_user(
        &self,
        who: &AuditContext,
        admin: &impl AdminClaim,
        form: &UserForm,
    ) -> Result<CreatedUser> {
        self.audited(who, AuditAction::UserAdd, Some(admin.home_account()), async |change| {
            let admin = &admin.org_admin()?;
            let mut tx = self.db().begin_write().await?;
            organizations::lock(&mut tx, admin.organization_id).await?;
            let roles = roles_of(&mut tx, admin).await?;
            let user = check(form, &roles)?;
            let quota = organizations::find(&mut tx, admin.organization_id)
                .await?
                .ok_or_else(|| Error::NotFound("organization".to_owned()))?
                .user_quota;
            if users::count(&mut tx, admin.parent_id).await? >= quota {
                return Err(Error::QuotaReached(format!(
                    "Your organization may have {quota} users and has them all. Remove a user you \
                     no longer need, or request an upgrade under the quota line."
                )));
            }
            let now = Timestamp::now();
            let id = users::insert(
                &mut tx,
                users::NewUser {
                    account: admin.parent_id,
                    email: &user.email,
                    first_name: user.first_name.as_str(),
                    last_name: user.last_name.as_str(),
                    role: &user.role,
                    password_hash: None,
                    is_owner: false,
                },
                now,
            )
            .await
            .map_err(|e| {
                if is_unique_violation(&e, &["users_account_id_email_key_key", "users.email_key"]) {
                    Error::Taken(vec![crate::FieldError::new(
                        "email",
                        "This account already has a user with this email.",
                    )])
                } else {
                    Error::from(e)
                }
            })?;
            users::set_publisher_user_id(&mut tx, id, user.publisher_user_id.as_deref()).await?;
            let activation = issue_activation(&mut tx, id, now).await?;
            let view = users::find_in(&mut tx, admin.parent_id, id)
                .await?
                .ok_or_else(|| Error::Internal("the new user vanished".to_owned()))?;
            change.commit(tx, None).await?;
            tracing::info!(user = %id, "user added");
            Ok(CreatedUser {
                user: view,
                activation,
            })
        })
        .await
    }

    /// Deactivates (`active == false`) or reactivates a user of the parent account.
    #[tracing::instrument(skip_all)]
    pub async fn set_user_active(
        &self,
        who: &AuditContext,
        admin: &impl AdminClaim,
        user: UserId,
        active: bool,
    ) -> Result<UserView> {
        self.audited(
            who,
            if active {
                AuditAction::UserReactivate
            } else {
                AuditAction::UserDeactivate
            },
            Some(admin.home_account()),
            async |change| {
                let admin = &admin.org_admin()?;
                let mut tx = self.db().begin_write().await?;
                organizations::lock(&mut tx, admin.organization_id).await?;
                let target = self.parent_user(&mut tx, admin, user).await?;
                if !active {
                    if Some(user) == admin.user_id {
                        return Err(Error::Conflict(
                            "You cannot deactivate yourself.".to_owned(),
                        ));
                    }
                    self.keep_an_administrator(&mut tx, admin, &target).await?;
                }
                let status = if active {
                    UserStatus::Active
                } else {
                    UserStatus::Blocked
                };
                users::set_status(&mut tx, user, status).await?;
                let view = users::find_in(&mut tx, admin.parent_id, user)
                    .await?
                    .ok_or_else(|| Error::Internal("the user vanished".to_owned()))?;
                change.commit(tx, None).await?;
                Ok(view)
            },
        )
        .await
    }

    /// Changes a user's role; the last active Publisher Administrator keeps theirs.
    #[tracing::instrument(skip_all)]
    pub async fn set_user_role(
        &self,
        who: &AuditContext,
        admin: &impl AdminClaim,
        user: UserId,
        role: &str,
    ) -> Result<UserView> {
        self.audited(
            who,
            AuditAction::UserRole,
            Some(admin.home_account()),
            async |change| {
                let admin = &admin.org_admin()?;
                let mut tx = self.db().begin_write().await?;
                organizations::lock(&mut tx, admin.organization_id).await?;
                let target = self.parent_user(&mut tx, admin, user).await?;
                let roles = roles_of(&mut tx, admin).await?;
                if !roles.iter().any(|r| r == role) {
                    return Err(Error::invalid("role", "Choose one of the account's roles."));
                }
                if role != Role::PUBLISHER_ADMINISTRATOR {
                    self.keep_an_administrator(&mut tx, admin, &target).await?;
                }
                users::set_role(&mut tx, user, role).await?;
                let view = users::find_in(&mut tx, admin.parent_id, user)
                    .await?
                    .ok_or_else(|| Error::Internal("the user vanished".to_owned()))?;
                change.commit(tx, None).await?;
                Ok(view)
            },
        )
        .await
    }

    /// Removes a user of the parent account (their sessions end with them).
    #[tracing::instrument(skip_all)]
    pub async fn remove_user(
        &self,
        who: &AuditContext,
        admin: &impl AdminClaim,
        user: UserId,
    ) -> Result<()> {
        self.audited(
            who,
            AuditAction::UserRemove,
            Some(admin.home_account()),
            async |change| {
                let admin = &admin.org_admin()?;
                let mut tx = self.db().begin_write().await?;
                organizations::lock(&mut tx, admin.organization_id).await?;
                let target = self.parent_user(&mut tx, admin, user).await?;
                if target.is_owner {
                    return Err(Error::Conflict(
                "The account's owner cannot be removed; they are its administrator of record."
                    .to_owned(),
            ));
                }
                if Some(user) == admin.user_id {
                    return Err(Error::Conflict("You cannot remove yourself.".to_owned()));
                }
                self.keep_an_administrator(&mut tx, admin, &target).await?;
                users::delete(&mut tx, user).await?;
                change.commit(tx, None).await?;
                Ok(())
            },
        )
        .await
    }

    /// A user of the administrator's parent account; anyone else is "not found".
    async fn parent_user(
        &self,
        conn: &mut Conn,
        admin: &OrgAdmin,
        user: UserId,
    ) -> Result<UserView> {
        users::find_in(conn, admin.parent_id, user)
            .await?
            .ok_or_else(|| Error::NotFound(format!("user {user}")))
    }

    /// Refuses a change that would leave the parent without an active Publisher
    /// Administrator (`target` stops being one).
    async fn keep_an_administrator(
        &self,
        conn: &mut Conn,
        admin: &OrgAdmin,
        target: &UserView,
    ) -> Result<()> {
        let is_active_admin =
            target.role == Role::PUBLISHER_ADMINISTRATOR && target.status == UserStatus::Active;
        if is_active_admin && users::active_administrators(conn, admin.parent_id).await? <= 1 {
            return Err(Error::Conflict(
                "This is the last active Publisher Administrator; make another user one first."
                    .to_owned(),
            ));
        }
        Ok(())
    }
}
