//! SQL for console users.

use std::sync::LazyLock;

use sqlx::AnyConnection;

use super::sql::flag;

use crate::clock::Timestamp;
use crate::domain::{EmailAddress, PartnerId, Role, Status, UserId, UserStatus, UserView};
use crate::error::{Error, Result};

pub(crate) struct NewUser<'a> {
    pub account: PartnerId,
    pub email: &'a EmailAddress,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub role: &'a Role,
    pub password_hash: Option<&'a str>,
    pub is_owner: bool,
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn insert(
    conn: &mut AnyConnection,
    user: NewUser<'_>,
    created_at: Timestamp,
) -> Result<UserId, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (account_id, email, email_key, first_name, last_name, role, \
         password_hash, is_owner, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(user.account.get())
    .bind(user.email.as_str())
    .bind(user.email.key())
    .bind(user.first_name)
    .bind(user.last_name)
    .bind(user.role.as_str())
    .bind(user.password_hash)
    .bind(user.is_owner)
    .bind(created_at.millis())
    .fetch_one(conn)
    .await?;
    Ok(UserId::new(id))
}

/// What sign-in needs to know about each user with a given email.
#[derive(sqlx::FromRow)]
pub(crate) struct Credentials {
    pub user_id: i64,
    pub password_hash: Option<String>,
    #[sqlx(try_from = "String")]
    pub user_status: UserStatus,
    #[sqlx(try_from = "String")]
    pub account_status: Status,
}

/// Every user with this email, in any account; parent accounts first, so that an
/// administrator who also owns a child account lands on the Multi Account tab.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn credentials_by_email(
    conn: &mut AnyConnection,
    email_key: &str,
) -> Result<Vec<Credentials>> {
    Ok(sqlx::query_as(
        "SELECT u.id AS user_id, u.password_hash, u.status AS user_status, \
         a.status AS account_status \
         FROM users u JOIN accounts a ON a.partner_id = u.account_id \
         WHERE u.email_key = $1 \
         ORDER BY CASE WHEN a.parent_id IS NULL THEN 0 ELSE 1 END, a.partner_id, u.id",
    )
    .bind(email_key)
    .fetch_all(conn)
    .await?)
}

/// Sets the password of an account's owner, for tests that sign in without
/// following an activation link.
#[cfg(any(test, feature = "testing"))]
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn set_owner_password_hash(
    conn: &mut AnyConnection,
    account: PartnerId,
    password_hash: &str,
) -> Result<bool> {
    let result =
        sqlx::query("UPDATE users SET password_hash = $1 WHERE account_id = $2 AND is_owner")
            .bind(password_hash)
            .bind(account.get())
            .execute(conn)
            .await?;
    Ok(result.rows_affected() == 1)
}

/// A user row as read; flags and statuses become types here, once.
#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    email: String,
    first_name: String,
    last_name: String,
    role: String,
    status: String,
    publisher_user_id: Option<String>,
    is_owner: i64,
}

impl TryFrom<UserRow> for UserView {
    type Error = Error;

    fn try_from(row: UserRow) -> Result<Self> {
        Ok(UserView {
            id: UserId::new(row.id),
            status: UserStatus::from_db(&row.status)
                .ok_or_else(|| Error::Internal(format!("unknown user status {:?}", row.status)))?,
            email: row.email,
            first_name: row.first_name,
            last_name: row.last_name,
            role: row.role,
            publisher_user_id: row.publisher_user_id,
            is_owner: row.is_owner != 0,
        })
    }
}

static USER_COLUMNS: LazyLock<String> = LazyLock::new(|| {
    format!(
        "id, email, first_name, last_name, role, status, publisher_user_id, {}",
        flag("is_owner")
    )
});

/// An account's users, for its console.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn list(conn: &mut AnyConnection, account: PartnerId) -> Result<Vec<UserView>> {
    let rows: Vec<UserRow> = sqlx::query_as(&format!(
        "SELECT {} FROM users WHERE account_id = $1 ORDER BY email_key, id",
        *USER_COLUMNS
    ))
    .bind(account.get())
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(UserView::try_from).collect()
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn count(conn: &mut AnyConnection, account: PartnerId) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE account_id = $1")
            .bind(account.get())
            .fetch_one(conn)
            .await?,
    )
}

/// One user of one account, or none (another account's user is none).
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn find_in(
    conn: &mut AnyConnection,
    account: PartnerId,
    user: UserId,
) -> Result<Option<UserView>> {
    let row: Option<UserRow> = sqlx::query_as(&format!(
        "SELECT {} FROM users WHERE account_id = $1 AND id = $2",
        *USER_COLUMNS
    ))
    .bind(account.get())
    .bind(user.get())
    .fetch_optional(conn)
    .await?;
    row.map(UserView::try_from).transpose()
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn set_password_hash(
    conn: &mut AnyConnection,
    user: UserId,
    password_hash: &str,
) -> Result<()> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(user.get())
        .execute(conn)
        .await?;
    Ok(())
}

/// The account's owner, if they may be signed in as (CMS Login).
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn active_owner(
    conn: &mut AnyConnection,
    account: PartnerId,
) -> Result<Option<UserId>> {
    let owner: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM users WHERE account_id = $1 AND is_owner AND status = $2",
    )
    .bind(account.get())
    .bind(UserStatus::Active.as_db())
    .fetch_optional(conn)
    .await?;
    Ok(owner.map(UserId::new))
}

/// The account's own CMS role names, by name.
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn cms_roles(conn: &mut AnyConnection, account: PartnerId) -> Result<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT name FROM cms_roles WHERE account_id = $1 ORDER BY name")
            .bind(account.get())
            .fetch_all(conn)
            .await?,
    )
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn set_publisher_user_id(
    conn: &mut AnyConnection,
    user: UserId,
    id: Option<&str>,
) -> Result<()> {
    sqlx::query("UPDATE users SET publisher_user_id = $1 WHERE id = $2")
        .bind(id)
        .bind(user.get())
        .execute(conn)
        .await?;
    Ok(())
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn set_status(
    conn: &mut AnyConnection,
    user: UserId,
    status: UserStatus,
) -> Result<()> {
    sqlx::query("UPDATE users SET status = $1 WHERE id = $2")
        .bind(status.as_db())
        .bind(user.get())
        .execute(conn)
        .await?;
    Ok(())
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn set_role(conn: &mut AnyConnection, user: UserId, role: &str) -> Result<()> {
    sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
        .bind(role)
        .bind(user.get())
        .execute(conn)
        .await?;
    Ok(())
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn delete(conn: &mut AnyConnection, user: UserId) -> Result<()> {
    sqlx::query("DELETE FROM users WHERE id = $1")
        .bind(user.get())
        .execute(conn)
        .await?;
    Ok(())
}

#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn active_administrators(
    conn: &mut AnyConnection,
    account: PartnerId,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM users WHERE account_id = $1 AND role = $2 AND status = $3",
    )
    .bind(account.get())
    .bind(Role::PUBLISHER_ADMINISTRATOR)
    .bind(UserStatus::Active.as_db())
    .fetch_one(conn)
    .await?)
}
