//! The text fields of accounts and users, each with its own rules.
//!
//! Every parser trims leading and trailing white space first, rejects control and
//! format characters and composes the rest (NFC), so what is stored is exactly
//! what people see.

use std::fmt;

/// Trims, rejects control and format characters, composes (NFC) and checks the
/// length in characters.
fn clean_text(raw: &str, label: &str, max: usize) -> Result<String, String> {
    super::text::name(raw, label, max)
}

macro_rules! text_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_inner(self) -> String {
                self.0
            }

            /// For values read back from the database, which only ever holds parsed values.
            #[cfg(feature = "server")]
            pub(crate) fn from_trusted(value: String) -> Self {
                Self(value)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

text_type!(
    /// An account's display name: 1 to 100 characters.
    AccountName
);
text_type!(
    /// A person's name (an account's administrator): 1 to 100 characters.
    PersonName
);
text_type!(
    /// An email address as typed (case kept); compare with [`EmailAddress::key`].
    EmailAddress
);
text_type!(
    /// A phone number: digits with `+ - ( ) .` and spaces.
    PhoneNumber
);
text_type!(
    /// An absolute http or https URL.
    WebsiteUrl
);
text_type!(
    /// The organization's own reference for an account: up to 100 characters.
    ReferenceId
);

impl AccountName {
    pub const MAX: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, String> {
        clean_text(raw, "Account Name", Self::MAX).map(Self)
    }
}

impl PersonName {
    pub const MAX: usize = 100;

    pub fn parse(raw: &str, label: &str) -> Result<Self, String> {
        clean_text(raw, label, Self::MAX).map(Self)
    }
}

impl EmailAddress {
    pub const MAX: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let value = clean_text(raw, "Administrator Email", Self::MAX)?;
        if !email_address::EmailAddress::is_valid(&value) || !value.contains('.') {
            return Err("Enter an email address such as name@example.com.".to_owned());
        }
        Ok(Self(value))
    }

    /// The form that identifies the address: email addresses are compared without case.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

impl PhoneNumber {
    pub const MAX: usize = 30;
    const MIN_DIGITS: usize = 4;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let value = clean_text(raw, "Administrator Phone", Self::MAX)?;
        if !value
            .chars()
            .all(|c| c.is_ascii_digit() || "+-(). ".contains(c))
        {
            return Err("A phone number may contain only digits, spaces and + - ( ) .".to_owned());
        }
        if value.chars().filter(char::is_ascii_digit).count() < Self::MIN_DIGITS {
            return Err(format!(
                "A phone number needs at least {} digits.",
                Self::MIN_DIGITS
            ));
        }
        Ok(Self(value))
    }
}

impl WebsiteUrl {
    pub const MAX: usize = 2048;

    /// Server only: the URL parser (`url`, `idna`) stays out of the browser's WASM.
    #[cfg(feature = "server")]
    pub fn parse(raw: &str) -> Result<Self, String> {
        let value = clean_text(raw, "Website URL", Self::MAX)?;
        let message =
            "Enter a full address starting with http:// or https://, such as https://example.com.";
        let url = url::Url::parse(&value).map_err(|_| message.to_owned())?;
        if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
            return Err(message.to_owned());
        }
        Ok(Self(value))
    }
}

impl ReferenceId {
    pub const MAX: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, String> {
        clean_text(raw, "Reference ID", Self::MAX).map(Self)
    }
}

/// Parses an optional field: empty (after trimming) means absent.
#[cfg(feature = "server")]
pub(crate) fn optional<T>(
    raw: &str,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Result<Option<T>, String> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        parse(raw).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(AccountName::parse("  Arts  ").unwrap().as_str(), "Arts");
        assert!(AccountName::parse("   ").is_err());
        assert!(AccountName::parse(&"x".repeat(101)).is_err());
        assert!(AccountName::parse(&"é".repeat(100)).is_ok());
        assert!(AccountName::parse("a\u{0}b").is_err());
    }

    #[test]
    fn emails_are_checked_and_keyed_without_case() {
        let email = EmailAddress::parse(" Ann@Example.COM ").unwrap();
        assert_eq!(email.as_str(), "Ann@Example.COM");
        assert_eq!(email.key(), "ann@example.com");
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.com",
            "ann@example",
            "a b@example.com",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn phones_allow_only_their_characters() {
        for good in [
            "9721234567",
            "907-1234567",
            "+972 (50) 123.4567",
            "11111+11",
        ] {
            assert!(PhoneNumber::parse(good).is_ok(), "{good:?} refused");
        }
        for bad in ["", "12", "call me", "123-456-789x", &"1".repeat(31)] {
            assert!(PhoneNumber::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn urls_must_be_http_or_https() {
        assert!(WebsiteUrl::parse("https://www.example.com/path").is_ok());
        assert!(WebsiteUrl::parse("http://example.com").is_ok());
        for bad in [
            "www.example.com",
            "ftp://example.com",
            "javascript:alert(1)",
            "https://",
        ] {
            assert!(WebsiteUrl::parse(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn optional_fields_may_be_blank() {
        assert_eq!(optional("  ", ReferenceId::parse).unwrap(), None);
        assert!(optional("R-1", ReferenceId::parse).unwrap().is_some());
    }
}
