//! Builders shared by the core tests.

use umbrella::Umbrella;
use umbrella::audit::AuditContext;
use umbrella::auth::{Actor, OrgAdmin};
use umbrella::domain::{AccountForm, PartnerId, Password};
use umbrella::operator::OrganizationForm;

pub const PASSWORD: &str = "a long enough password";

pub fn organization(name: &str, email: &str, account_quota: i64) -> OrganizationForm {
    OrganizationForm {
        name: name.to_owned(),
        admin_name: "Pat Parent".to_owned(),
        admin_email: email.to_owned(),
        admin_phone: "+1 555 0100".to_owned(),
        account_quota,
        user_quota: 3,
    }
}

pub fn account_form(name: &str, email: &str) -> AccountForm {
    AccountForm {
        admin_name: "Chris Child".to_owned(),
        name: name.to_owned(),
        admin_email: email.to_owned(),
        admin_phone: "555-0199".to_owned(),
        website_url: "https://example.com".to_owned(),
        reference_id: String::new(),
        template: None,
    }
}

pub fn password() -> Password {
    Password::parse_new(PASSWORD.to_owned()).unwrap()
}

/// Creates an organization and returns its parent's ID and its signed-in administrator.
pub async fn org_with_admin(
    umbrella: &Umbrella,
    name: &str,
    email: &str,
    account_quota: i64,
) -> (PartnerId, Actor, OrgAdmin) {
    let parent = umbrella
        .create_organization(
            &AuditContext::unrecorded(),
            &organization(name, email, account_quota),
            password(),
        )
        .await
        .unwrap();
    let actor = umbrella::testing::actor_signed_in(umbrella, email, PASSWORD).await;
    let admin = actor.org_admin().unwrap();
    (parent, actor, admin)
}

/// Creates a child account (no template) through the administrator; its Partner ID.
pub async fn new_child(
    umbrella: &Umbrella,
    admin: &OrgAdmin,
    name: &str,
    email: &str,
) -> PartnerId {
    umbrella
        .create_account(
            &AuditContext::unrecorded(),
            admin,
            &account_form(name, email),
        )
        .await
        .unwrap()
        .account
        .partner_id
}
