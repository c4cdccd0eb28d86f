//! `/api/v1/users`: the Users tab — the parent account's console users.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use umbrella::domain::{UserId, UserStatus, UserView};
use umbrella::users::UserForm;

use super::ApiState;
use super::caller::Caller;
use super::extract::Json;
use super::problem::{ApiResult, Problem};

/// A user of the parent account.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": 7, "email": "lee@huge.example", "first_name": "Lee", "last_name": "Park",
    "role": "Publisher Administrator", "status": "active", "publisher_user_id": "LP-7",
    "is_owner": false
}))]
pub struct UserJson {
    pub id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: String,
    /// `active`, or `deactivated` (cannot sign in until reactivated).
    pub status: String,
    pub publisher_user_id: Option<String>,
    /// The parent account's owner, its administrator of record: never removed.
    pub is_owner: bool,
}

impl From<UserView> for UserJson {
    fn from(user: UserView) -> Self {
        Self {
            id: user.id.get(),
            status: match user.status {
                UserStatus::Active => "active",
                UserStatus::Blocked => "deactivated",
            }
            .to_owned(),
            email: user.email,
            first_name: user.first_name,
            last_name: user.last_name,
            role: user.role,
            publisher_user_id: user.publisher_user_id,
            is_owner: user.is_owner,
        }
    }
}

/// The users, the quota line and the roles a user may be given.
#[derive(Debug, Serialize, ToSchema)]
pub struct UsersJson {
    pub users: Vec<UserJson>,
    pub in_use: i64,
    pub quota: i64,
    pub available: i64,
    /// The roles `role` may name.
    pub roles: Vec<String>,
}

/// List the parent account's users
#[utoipa::path(
    get,
    path = "/api/v1/users",
    tag = "users",
    responses(
        (status = 200, description = "The users and the user quota", body = UsersJson),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Over the token's rate", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn list(
    State(state): State<ApiState>,
    caller: Caller,
) -> ApiResult<axum::Json<UsersJson>> {
    let admin = caller.caller.reader();
    let (users, quota) = state.umbrella.parent_users(admin).await?;
    let roles = state.umbrella.user_roles(admin).await?;
    Ok(axum::Json(UsersJson {
        users: users.into_iter().map(UserJson::from).collect(),
        in_use: quota.in_use,
        quota: quota.quota,
        available: quota.available(),
        roles,
    }))
}

/// A new user: the Add User dialog's fields.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[schema(example = json!({
    "email": "lee@huge.example", "first_name": "Lee", "last_name": "Park",
    "role": "Publisher Administrator", "publisher_user_id": "LP-7"
}))]
pub struct NewUserJson {
    /// Unique among the parent account's users.
    #[schema(min_length = 3, max_length = 254, format = "email")]
    pub email: String,
    #[schema(min_length = 1, max_length = 100)]
    pub first_name: String,
    #[schema(min_length = 1, max_length = 100)]
    pub last_name: String,
    /// One of the roles `GET /users` lists.
    #[schema(min_length = 1, max_length = 100)]
    pub role: String,
    /// Your own reference for the user: up to 100 characters.
    #[serde(default)]
    #[schema(max_length = 100)]
    pub publisher_user_id: Option<String>,
}

/// The user added, and their one-time activation link.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedUserJson {
    pub user: UserJson,
    /// Send it to the user: it sets their password, once, within 7 days.
    pub activation_url: String,
}

/// Add a user
///
/// Takes a place of the user quota; the user chooses a password through a one-time link.
#[utoipa::path(
    post,
    path = "/api/v1/users",
    tag = "users",
    request_body = NewUserJson,
    responses(
        (status = 201, description = "Added", body = CreatedUserJson),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not declared as application/json", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The user quota is reached, or the email is in use", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad fields, named under `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Over the token's rate", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn create(
    State(state): State<ApiState>,
    caller: Caller,
    Json(body): Json<NewUserJson>,
) -> ApiResult<Response> {
    let admin = caller.caller.writer()?;
    let form = UserForm {
        email: body.email,
        first_name: body.first_name,
        last_name: body.last_name,
        publisher_user_id: body.publisher_user_id.unwrap_or_default(),
        role: body.role,
    };
    let context = caller.caller.audit_context(caller.address.clone());
    let created = state.umbrella.add_user(&context, admin, &form).await?;
    let body = CreatedUserJson {
        activation_url: format!(
            "{}/activate?token={}",
            state.public_origin,
            created.activation.as_str()
        ),
        user: UserJson::from(created.user),
    };
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}

/// The actions of a user's row menu, as the path names them.
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum UserAction {
    Deactivate,
    Reactivate,
    Remove,
}

/// Deactivate, reactivate or remove a user
///
/// The parent keeps at least one active Publisher Administrator, and its owner is
/// never removed.
#[utoipa::path(
    post,
    path = "/api/v1/users/{user_id}/{action}",
    tag = "users",
    params(
        ("user_id" = i64, Path, description = "The user's ID", example = 7, minimum = 1, maximum = 999_999_999_999_f64),
        ("action" = inline(UserAction), Path, description = "What to do"),
    ),
    responses(
        (status = 200, description = "The user after the change (deactivate, reactivate)", body = UserJson),
        (status = 204, description = "Removed"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user of the parent account, or no such action", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A rule refuses: the owner, or the last active Publisher Administrator", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Over the token's rate", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn change(
    State(state): State<ApiState>,
    caller: Caller,
    Path((user_id, action)): Path<(String, String)>,
) -> ApiResult<Response> {
    let user = user_id_or_404(&user_id)?;
    let action = match action.as_str() {
        "deactivate" => UserAction::Deactivate,
        "reactivate" => UserAction::Reactivate,
        "remove" => UserAction::Remove,
        other => {
            return Err(Problem::new(
                StatusCode::NOT_FOUND,
                format!("No action \"{other}\": use deactivate, reactivate or remove."),
            ));
        }
    };
    let admin = caller.caller.writer()?;
    let context = caller.caller.audit_context(caller.address.clone());
    let core = &state.umbrella;
    let changed = match action {
        UserAction::Remove => core.remove_user(&context, admin, user).await.map(|()| None),
        UserAction::Deactivate | UserAction::Reactivate => core
            .set_user_active(
                &context,
                admin,
                user,
                matches!(action, UserAction::Reactivate),
            )
            .await
            .map(Some),
    }?;
    Ok(match changed {
        Some(view) => axum::Json(UserJson::from(view)).into_response(),
        None => StatusCode::NO_CONTENT.into_response(),
    })
}

/// A role for a user.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[schema(example = json!({"role": "Content Manager"}))]
pub struct RoleJson {
    /// One of the roles `GET /users` lists.
    #[schema(min_length = 1, max_length = 100)]
    pub role: String,
}

/// Change a user's role
#[utoipa::path(
    put,
    path = "/api/v1/users/{user_id}/role",
    tag = "users",
    params(("user_id" = i64, Path, description = "The user's ID", example = 7, minimum = 1, maximum = 999_999_999_999_f64)),
    request_body = RoleJson,
    responses(
        (status = 200, description = "The user with the new role", body = UserJson),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not declared as application/json", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No live token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "A read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user of the parent account", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The last active Publisher Administrator keeps the role", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not one of the account's roles", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Over the token's rate", body = Problem, content_type = "application/problem+json"),
    ),
    security(("token" = []))
)]
pub async fn set_role(
    State(state): State<ApiState>,
    caller: Caller,
    Path(user_id): Path<String>,
    Json(body): Json<RoleJson>,
) -> ApiResult<axum::Json<UserJson>> {
    let user = user_id_or_404(&user_id)?;
    let admin = caller.caller.writer()?;
    let context = caller.caller.audit_context(caller.address.clone());
    let core = &state.umbrella;
    let view = core
        .set_user_role(&context, admin, user, &body.role)
        .await?;
    Ok(axum::Json(UserJson::from(view)))
}

/// A user ID from a path; anything else names no user.
fn user_id_or_404(raw: &str) -> Result<UserId, Problem> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id >= 1)
        .map(UserId::new)
        .ok_or_else(|| Problem::new(StatusCode::NOT_FOUND, format!("No user {raw} was found.")))
}
