use secrecy::{ExposeSecret, SecretString};

/// A console user's role. Only Publisher Administrators of a parent account may use
/// the Multi Account tab.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    PublisherAdministrator,
    /// Any other role of the account, by name.
    Other(String),
}

impl Role {
    pub const PUBLISHER_ADMINISTRATOR: &'static str = "Publisher Administrator";

    pub fn from_db(value: &str) -> Self {
        if value == Self::PUBLISHER_ADMINISTRATOR {
            Role::PublisherAdministrator
        } else {
            Role::Other(value.to_owned())
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Role::PublisherAdministrator => Self::PUBLISHER_ADMINISTRATOR,
            Role::Other(name) => name,
        }
    }
}

/// Whether a console user may sign in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum UserStatus {
    Active,
    /// Deactivated by an administrator: cannot sign in until reactivated.
    Blocked,
}

impl UserStatus {
    pub fn as_db(self) -> &'static str {
        match self {
            UserStatus::Active => "active",
            UserStatus::Blocked => "blocked",
        }
    }

    pub fn from_db(value: &str) -> Option<Self> {
        [UserStatus::Active, UserStatus::Blocked]
            .into_iter()
            .find(|s| s.as_db() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            UserStatus::Active => "Active",
            UserStatus::Blocked => "Blocked",
        }
    }
}

/// A console user of an account, as its console lists them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserView {
    pub id: super::UserId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: String,
    pub status: UserStatus,
    pub publisher_user_id: Option<String>,
    pub is_owner: bool,
}

impl UserView {
    /// "Ann Marie Admin": the names as one, for lists.
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_owned()
    }
}

/// A password as typed, kept secret: never printed, never logged.
pub struct Password(SecretString);

impl Password {
    pub const MIN: usize = 10;
    pub const MAX: usize = 1024;

    /// Checks a new password. Existing passwords are checked against their hash instead.
    pub fn parse_new(raw: String) -> Result<Self, String> {
        let length = raw.chars().count();
        if length < Self::MIN {
            return Err(format!(
                "Password must be at least {} characters.",
                Self::MIN
            ));
        }
        if length > Self::MAX {
            return Err(format!(
                "Password must be at most {} characters.",
                Self::MAX
            ));
        }
        Ok(Self(SecretString::from(raw)))
    }

    /// A password offered at sign-in: not checked for strength, only bounded so that
    /// nobody can make the server hash a megabyte.
    pub fn offered(raw: String) -> Self {
        let bounded: String = raw.chars().take(Self::MAX + 1).collect();
        Self(SecretString::from(bounded))
    }

    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_passwords_have_a_minimum_length() {
        assert!(Password::parse_new("short".into()).is_err());
        assert!(Password::parse_new("long enough pass".into()).is_ok());
    }

    #[test]
    fn passwords_never_show_in_debug_output() {
        let password = Password::offered("hunter2-secret".into());
        assert!(!format!("{password:?}").contains("hunter2"));
    }

    #[test]
    fn the_administrator_role_is_recognised_by_name() {
        assert_eq!(
            Role::from_db("Publisher Administrator"),
            Role::PublisherAdministrator
        );
        assert_eq!(Role::from_db("Viewer").as_str(), "Viewer");
    }
}
