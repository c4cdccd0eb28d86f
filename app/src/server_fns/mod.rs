//! Server functions: each translates its input, makes one call into the core and
//! translates the answer. The types here are what travels to the browser.

pub mod accounts;
pub mod audit;
pub mod bulk;
pub mod content;
pub mod session;
pub mod tokens;
pub mod upgrades;
pub mod users;

/// How a new or renewed one-time activation link reaches its person: by email when
/// the server has a mail relay, otherwise through the administrator, who is shown
/// the link once.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ActivationDelivery {
    /// `/activate?token=…` for the administrator to hand over; `None` once emailed.
    pub activation_path: Option<String>,
    /// Where the email went.
    pub emailed_to: Option<String>,
    /// Why the email could not be sent (the link is shown instead).
    pub email_error: Option<String>,
}

/// Sends the activation link at `path` to `to` if the server has a mail relay;
/// otherwise, or if the relay refuses, the link is for the administrator to hand over.
#[cfg(feature = "ssr")]
pub(crate) async fn deliver_activation(to: &str, what: &str, path: &str) -> ActivationDelivery {
    use crate::mail::Mailer;
    let shown = |email_error: Option<String>| ActivationDelivery {
        activation_path: Some(path.to_owned()),
        emailed_to: None,
        email_error,
    };
    let Some(mailer) = leptos::prelude::use_context::<std::sync::Arc<Mailer>>() else {
        return shown(None);
    };
    match mailer.send_activation(to, what, path).await {
        Ok(()) => ActivationDelivery {
            activation_path: None,
            emailed_to: Some(to.to_owned()),
            email_error: None,
        },
        Err(reason) => {
            tracing::warn!(%reason, "an activation email could not be sent");
            shown(Some(reason))
        }
    }
}

/// Sends a new one-time activation link to the owner of account `partner_id`, or
/// to the parent account's user `user_id` (one of the two); their earlier links
/// stop working. For someone who has not chosen a password yet.
#[leptos::server(prefix = "/api", endpoint = "resend_activation")]
pub async fn resend_activation(
    partner_id: Option<String>,
    user_id: Option<String>,
) -> Result<ActivationDelivery, crate::error::AppError> {
    use crate::server::{actor, core, fail, who};
    use umbrella::Error;
    use umbrella::auth::LinkFor;
    use umbrella::domain::{PartnerId, UserId};

    let actor = actor().await?;
    let target = match (partner_id.as_deref(), user_id.as_deref()) {
        (Some(account), None) => LinkFor::AccountOwner(
            PartnerId::parse(account).map_err(|m| fail(Error::invalid("partner_id", m)))?,
        ),
        (None, Some(user)) => LinkFor::ParentUser(UserId::new(
            user.trim()
                .parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .ok_or_else(|| fail(Error::invalid("user_id", "A user ID is a whole number.")))?,
        )),
        _ => {
            return Err(fail(Error::invalid(
                "partner_id",
                "Name one account (partner_id) or one user (user_id).",
            )));
        }
    };
    let link = core()?
        .reissue_activation(&who(&actor), &actor, target)
        .await
        .map_err(fail)?;
    let path = format!("/activate?token={}", link.token.as_str());
    let what = match target {
        LinkFor::AccountOwner(_) => format!("the account {}", link.account_name),
        LinkFor::ParentUser(_) => "your organization's Umbrella console".to_owned(),
    };
    Ok(deliver_activation(&link.email, &what, &path).await)
}
