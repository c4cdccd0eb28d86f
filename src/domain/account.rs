#[cfg(feature = "server")]
use super::fields::optional;
use super::{
    AccountName, EmailAddress, OrganizationId, PartnerId, PersonName, PhoneNumber, ReferenceId,
    WebsiteUrl,
};
use crate::clock::Timestamp;
#[cfg(feature = "server")]
use crate::error::{FieldError, FieldErrors};

/// Where an account stands; [`super::AccountAction`] says how it moves between them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Status {
    Active,
    Blocked,
    Removed,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Active, Status::Blocked, Status::Removed];

    /// The value stored in the database (and checked by its schema).
    pub fn as_db(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Blocked => "blocked",
            Status::Removed => "removed",
        }
    }

    pub fn from_db(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_db() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Active => "Active",
            Status::Blocked => "Blocked",
            Status::Removed => "Removed",
        }
    }

    /// Reads the status filter of the accounts list, as it appears in a URL:
    /// absent means the default view (Active and Blocked), `all` means every status,
    /// otherwise one status by name.
    pub fn parse_filter(raw: Option<&str>) -> Result<Vec<Status>, String> {
        match raw.map(str::trim) {
            None | Some("") => Ok(vec![Status::Active, Status::Blocked]),
            Some("all") => Ok(Status::ALL.to_vec()),
            Some(name) => Status::from_db(name).map(|s| vec![s]).ok_or_else(|| {
                format!("Unknown status {name:?}: use active, blocked, removed or all.")
            }),
        }
    }

    /// The status filter's choices, as [`Status::parse_filter`] reads them: (URL
    /// value, label). The empty value is the default view.
    pub const FILTERS: [(&'static str, &'static str); 5] = [
        ("", "Active and Blocked"),
        ("active", "Active"),
        ("blocked", "Blocked"),
        ("removed", "Removed"),
        ("all", "All Statuses"),
    ];

    /// Accounts in these statuses take a place of the account quota.
    pub fn is_in_use(self) -> bool {
        matches!(self, Status::Active | Status::Blocked)
    }
}

/// Where the organization stands against its account quota.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct QuotaStatus {
    pub in_use: i64,
    pub quota: i64,
}

impl QuotaStatus {
    pub fn remaining(&self) -> i64 {
        (self.quota - self.in_use).max(0)
    }
}

/// How many of the organization's accounts are in each status (the parent and
/// templates included).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StatusCounts {
    pub active: i64,
    pub blocked: i64,
    pub removed: i64,
}

impl StatusCounts {
    pub fn of(&self, status: Status) -> i64 {
        match status {
            Status::Active => self.active,
            Status::Blocked => self.blocked,
            Status::Removed => self.removed,
        }
    }
}

/// An account as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub partner_id: PartnerId,
    pub organization_id: OrganizationId,
    pub parent_id: Option<PartnerId>,
    pub name: AccountName,
    pub status: Status,
    pub admin_name: PersonName,
    pub admin_email: EmailAddress,
    pub admin_phone: PhoneNumber,
    pub reference_id: Option<ReferenceId>,
    pub website_url: Option<WebsiteUrl>,
    pub is_template: bool,
    pub created_at: Timestamp,
}

impl Account {
    pub fn is_parent(&self) -> bool {
        self.parent_id.is_none()
    }

    /// What the account rules look at.
    pub fn standing(&self) -> super::AccountStanding {
        super::AccountStanding {
            status: self.status,
            is_parent: self.is_parent(),
            is_template: self.is_template,
        }
    }
}

/// What a refused template choice says, at every door.
pub const TEMPLATE_CHOICE: &str = "Choose a template from the list.";

/// The text people typed into the Add Account form (or an API call sent), before
/// any checks, and the template they chose, already a Partner ID: it is picked from
/// a list, not typed, so each door reads it as one ([`AccountForm::template_choice`]
/// for the console's text, the API's JSON number as it is).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct AccountForm {
    pub admin_name: String,
    pub name: String,
    pub admin_email: String,
    pub admin_phone: String,
    pub website_url: String,
    pub reference_id: String,
    /// The template whose content to copy; whether it may be used is checked on
    /// creation.
    #[serde(default)]
    pub template: Option<PartnerId>,
}

#[cfg(feature = "server")]
impl AccountForm {
    /// The template the console's form chose: its Partner ID as text, empty for none.
    pub fn template_choice(raw: &str) -> Result<Option<PartnerId>, FieldError> {
        optional(raw, PartnerId::parse).map_err(|_| FieldError::new("template", TEMPLATE_CHOICE))
    }
}

/// A new account's details, every field checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAccount {
    pub admin_name: PersonName,
    pub name: AccountName,
    pub admin_email: EmailAddress,
    pub admin_phone: PhoneNumber,
    pub website_url: Option<WebsiteUrl>,
    pub reference_id: Option<ReferenceId>,
    /// The template to copy content from; whether it may be used is checked on creation.
    pub template: Option<PartnerId>,
}

#[cfg(feature = "server")]
impl NewAccount {
    /// Checks every field and reports all problems at once, each under its field's name.
    pub fn parse(form: &AccountForm) -> Result<Self, Vec<FieldError>> {
        let mut errors = FieldErrors::default();
        let admin_name = errors.check(
            "admin_name",
            PersonName::parse(&form.admin_name, "Administrator"),
        );
        let name = errors.check("name", AccountName::parse(&form.name));
        let admin_email = errors.check("admin_email", EmailAddress::parse(&form.admin_email));
        let admin_phone = errors.check("admin_phone", PhoneNumber::parse(&form.admin_phone));
        let website_url = errors.check(
            "website_url",
            optional(&form.website_url, WebsiteUrl::parse),
        );
        let reference_id = errors.check(
            "reference_id",
            optional(&form.reference_id, ReferenceId::parse),
        );
        match (
            admin_name,
            name,
            admin_email,
            admin_phone,
            website_url,
            reference_id,
        ) {
            (
                Some(admin_name),
                Some(name),
                Some(admin_email),
                Some(admin_phone),
                Some(website_url),
                Some(reference_id),
            ) => Ok(Self {
                admin_name,
                name,
                admin_email,
                admin_phone,
                website_url,
                reference_id,
                template: form.template,
            }),
            _ => Err(errors.into_vec()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> AccountForm {
        AccountForm {
            admin_name: "Ann Admin".into(),
            name: "Arts".into(),
            admin_email: "ann@example.com".into(),
            admin_phone: "+1 555 0100".into(),
            website_url: String::new(),
            reference_id: " ".into(),
            template: None,
        }
    }

    #[cfg(feature = "server")]
    #[test]
    fn the_consoles_template_choice_reads_as_a_partner_id() {
        assert_eq!(AccountForm::template_choice(" "), Ok(None));
        assert_eq!(
            AccountForm::template_choice("6475"),
            Ok(Some(PartnerId::new(6475)))
        );
        for forged in ["x", "0", "-3"] {
            assert_eq!(
                AccountForm::template_choice(forged),
                Err(FieldError::new("template", TEMPLATE_CHOICE)),
                "{forged}"
            );
        }
    }

    #[cfg(feature = "server")]
    #[test]
    fn a_good_form_parses() {
        let account = NewAccount::parse(&form()).unwrap();
        assert_eq!(account.name.as_str(), "Arts");
        assert_eq!(account.website_url, None);
        assert_eq!(account.reference_id, None);
    }

    #[cfg(feature = "server")]
    #[test]
    fn every_bad_field_is_reported_under_its_name() {
        let bad = AccountForm {
            admin_name: String::new(),
            admin_email: "nope".into(),
            website_url: "example.com".into(),
            ..form()
        };
        let fields: Vec<_> = NewAccount::parse(&bad)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["admin_name", "admin_email", "website_url"]);
    }

    #[test]
    fn the_status_filter_defaults_to_active_and_blocked() {
        assert_eq!(
            Status::parse_filter(None).unwrap(),
            [Status::Active, Status::Blocked]
        );
        assert_eq!(Status::parse_filter(Some("all")).unwrap().len(), 3);
        assert_eq!(
            Status::parse_filter(Some("removed")).unwrap(),
            [Status::Removed]
        );
        assert!(Status::parse_filter(Some("deleted")).is_err());
    }

    #[test]
    fn statuses_round_trip_through_the_database_value() {
        for status in Status::ALL {
            assert_eq!(Status::from_db(status.as_db()), Some(status));
        }
        assert_eq!(Status::from_db("deleted"), None);
    }
}
