use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Who is signed in, as the console shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedInUser {
    pub email: String,
    pub display_name: String,
    pub account_name: String,
    pub partner_id: i64,
    pub is_org_admin: bool,
    /// In a CMS Login session: the email of the administrator who started it.
    pub cms_started_by: Option<String>,
}

/// Signs in with email and password; on success sets the session cookie and sends
/// the browser to the console.
#[server(prefix = "/api", endpoint = "sign_in")]
pub async fn sign_in(email: String, password: String) -> Result<(), AppError> {
    use crate::server::{client_address, core, fail, set_session_cookie};
    use umbrella::domain::Password;

    let signed_in = core()?
        .sign_in(&email, Password::offered(password), &client_address())
        .await
        .map_err(fail)?;
    set_session_cookie(&signed_in);
    leptos_axum::redirect("/");
    Ok(())
}

/// Ends the session on the server and clears the cookie. In a CMS Login tab it
/// ends that session only.
#[server(prefix = "/api", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::server::{clear_session_cookie, cms_scope, core, fail, session_token};

    if cms_scope().is_some() {
        return end_cms_session().await;
    }
    if let Some(token) = session_token() {
        core()?.sign_out(&token).await.map_err(fail)?;
    }
    clear_session_cookie();
    leptos_axum::redirect("/login");
    Ok(())
}

/// The signed-in user, or `None`.
#[server(prefix = "/api", endpoint = "current_user")]
pub async fn current_user() -> Result<Option<SignedInUser>, AppError> {
    use crate::server::signed_in;

    Ok(signed_in().await?.map(|actor| SignedInUser {
        is_org_admin: actor.is_org_admin(),
        cms_started_by: actor.cms.map(|cms| cms.started_by_email.into_inner()),
        email: actor.email.into_inner(),
        display_name: actor.display_name,
        account_name: actor.account_name.into_inner(),
        partner_id: actor.account_id.get(),
    }))
}

/// Uses a one-time activation link: sets the password, signs in, goes to `/`.
#[server(prefix = "/api", endpoint = "activate")]
pub async fn activate(token: String, password: String, confirm: String) -> Result<(), AppError> {
    use crate::server::{client_address, core, fail, set_session_cookie};
    use umbrella::Error;
    use umbrella::auth::ActivationToken;
    use umbrella::domain::Password;

    if password != confirm {
        return Err(fail(Error::invalid(
            "confirm",
            "The two passwords are not the same.",
        )));
    }
    let password =
        Password::parse_new(password).map_err(|m| fail(Error::invalid("password", m)))?;
    let signed_in = core()?
        .activate(
            &ActivationToken::from_client(&token),
            password,
            &client_address(),
        )
        .await
        .map_err(fail)?;
    set_session_cookie(&signed_in);
    leptos_axum::redirect("/");
    Ok(())
}

/// Ends the CMS Login session of this tab (audited) and says so; the
/// administrator's own session is untouched.
#[server(prefix = "/api", endpoint = "end_cms_session")]
pub async fn end_cms_session() -> Result<(), AppError> {
    use crate::server::{actor, clear_cms_cookie, cms_scope, core, fail, session_token, who};
    use umbrella::Error;

    let Some(account) = cms_scope() else {
        return Err(fail(Error::Forbidden(
            "There is no CMS Login session here to end.".to_owned(),
        )));
    };
    let actor = actor().await?;
    let token = session_token().ok_or_else(|| fail(Error::Unauthenticated))?;
    core()?
        .end_cms_session(&who(&actor), account, &token)
        .await
        .map_err(fail)?;
    clear_cms_cookie(account);
    leptos_axum::redirect(&format!("/cms/{account}/ended"));
    Ok(())
}
