//! Demo data for `umbrella demo` and `umbrella serve --demo`: one organization with a
//! parent and four children of mixed statuses, seeded only into an empty database.

use crate::Umbrella;
use crate::audit::AuditContext;
use crate::domain::AccountAction;
use crate::domain::{AccountForm, PartnerId, Password};
use crate::error::{Error, Result};
use crate::operator::OrganizationForm;

pub const DEMO_ADMIN_EMAIL: &str = "admin@demo-university.example";
/// Printed for the person trying the demo; it protects nothing of value.
pub const DEMO_ADMIN_PASSWORD: &str = "umbrella-demo";

/// What the demo seeded, to be printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoSeed {
    pub parent: PartnerId,
    pub email: &'static str,
    pub password: &'static str,
}

struct Child {
    name: &'static str,
    admin: &'static str,
    email: &'static str,
    phone: &'static str,
    website: &'static str,
    reference: &'static str,
    then: Option<AccountAction>,
}

const CHILDREN: [Child; 4] = [
    Child {
        name: "Old Campus Radio",
        admin: "Olga Owens",
        email: "olga@radio.demo-university.example",
        phone: "+1 555 0104",
        website: "",
        reference: "LEGACY-7",
        then: Some(AccountAction::Remove),
    },
    Child {
        name: "School of Medicine",
        admin: "Mina Patel",
        email: "mina@med.demo-university.example",
        phone: "(555) 010-3000",
        website: "https://med.demo-university.example",
        reference: "",
        then: Some(AccountAction::Block),
    },
    Child {
        name: "Faculty of Science",
        admin: "Sam Lee",
        email: "sam@science.demo-university.example",
        phone: "555.010.2000",
        website: "https://science.demo-university.example",
        reference: "SCI-01",
        then: None,
    },
    Child {
        name: "Faculty of Arts",
        admin: "Ana Garcia",
        email: "ana@arts.demo-university.example",
        phone: "+1 555 0101",
        website: "https://arts.demo-university.example",
        reference: "",
        then: None,
    },
];

impl Umbrella {
    /// Seeds the demo organization, or returns `None` when the database already has
    /// an organization (the demo never mixes with real data).
    #[tracing::instrument(skip_all)]
    pub async fn seed_demo(&self) -> Result<Option<DemoSeed>> {
        if self.organization_count().await? > 0 {
            return Ok(None);
        }
        let password = Password::parse_new(DEMO_ADMIN_PASSWORD.to_owned())
            .map_err(|e| Error::Internal(e.to_string()))?;
        let parent = self
            .create_organization(
                &AuditContext::setup(),
                &OrganizationForm {
                    name: "Demo University".to_owned(),
                    admin_name: "Dana Demo".to_owned(),
                    admin_email: DEMO_ADMIN_EMAIL.to_owned(),
                    admin_phone: "+1 555 0100".to_owned(),
                    account_quota: 10,
                    user_quota: 3,
                },
                password,
            )
            .await?;
        let signed_in = self
            .sign_in(
                DEMO_ADMIN_EMAIL,
                Password::offered(DEMO_ADMIN_PASSWORD.to_owned()),
                "local",
            )
            .await?;
        let admin = signed_in.actor.org_admin()?;
        // The demo's accounts start from the platform's Default Template, as most will.
        let template = self
            .template_choices(&admin)
            .await?
            .into_iter()
            .find(|t| t.is_default)
            .map(|t| t.partner_id);
        for child in CHILDREN {
            let account = self
                .create_account(
                    &AuditContext::setup(),
                    &admin,
                    &AccountForm {
                        admin_name: child.admin.to_owned(),
                        name: child.name.to_owned(),
                        admin_email: child.email.to_owned(),
                        admin_phone: child.phone.to_owned(),
                        website_url: child.website.to_owned(),
                        reference_id: child.reference.to_owned(),
                        template,
                    },
                )
                .await?
                .account;
            if let Some(action) = child.then {
                self.change_account_status(
                    &AuditContext::setup(),
                    &admin,
                    account.partner_id,
                    action,
                )
                .await?;
            }
        }
        self.sign_out(&signed_in.token).await?;
        Ok(Some(DemoSeed {
            parent,
            email: DEMO_ADMIN_EMAIL,
            password: DEMO_ADMIN_PASSWORD,
        }))
    }
}
