//! API tokens: how a reseller's own systems call Umbrella's API for one organization.

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::domain::ApiTokenId;
use crate::error::{FieldError, FieldErrors};

/// What a token may do: read, or read and change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiAccess {
    ReadOnly,
    ReadWrite,
}

impl ApiAccess {
    pub fn as_db(self) -> &'static str {
        match self {
            Self::ReadOnly => "read",
            Self::ReadWrite => "write",
        }
    }

    pub fn from_db(value: &str) -> Option<Self> {
        match value {
            "read" => Some(Self::ReadOnly),
            "write" => Some(Self::ReadWrite),
            _ => None,
        }
    }

    /// What the API tab calls it.
    pub fn label(self) -> &'static str {
        match self {
            Self::ReadOnly => "Read only",
            Self::ReadWrite => "Read and write",
        }
    }

    pub fn may_write(self) -> bool {
        self == Self::ReadWrite
    }
}

/// The "Create token" form as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenForm {
    pub name: String,
    /// `read_only` or `read_write`.
    pub access: String,
    /// Days until it expires; empty for never.
    pub expires_days: String,
}

/// A token to create, its fields checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewApiToken {
    pub name: String,
    pub access: ApiAccess,
    pub expires_days: Option<u32>,
}

impl NewApiToken {
    pub const NAME_MAX: usize = 100;
    /// Ten years: a token that should never expire leaves the field empty.
    pub const EXPIRES_DAYS_MAX: u32 = 3_650;

    pub fn parse(form: &ApiTokenForm) -> Result<Self, Vec<FieldError>> {
        let mut errors = FieldErrors::default();
        let name = errors.check(
            "name",
            crate::domain::text::name(&form.name, "A token name", Self::NAME_MAX),
        );
        let access = errors.check(
            "access",
            match form.access.trim() {
                "read_only" => Ok(ApiAccess::ReadOnly),
                "read_write" => Ok(ApiAccess::ReadWrite),
                _ => Err("Choose \"Read only\" or \"Read and write\".".to_owned()),
            },
        );
        let expires_days = errors.check("expires_days", parse_days(&form.expires_days));
        match (name, access, expires_days) {
            (Some(name), Some(access), Some(expires_days)) if errors.is_empty() => Ok(Self {
                name,
                access,
                expires_days,
            }),
            _ => Err(errors.into_vec()),
        }
    }
}

fn parse_days(raw: &str) -> Result<Option<u32>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse::<u32>()
        .ok()
        .filter(|days| (1..=NewApiToken::EXPIRES_DAYS_MAX).contains(days))
        .map(Some)
        .ok_or_else(|| {
            format!(
                "Expiry is a number of days from 1 to {}, or empty for never.",
                NewApiToken::EXPIRES_DAYS_MAX
            )
        })
}

/// A token as the API tab lists it: never its secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiTokenView {
    pub id: ApiTokenId,
    pub name: String,
    pub access: ApiAccess,
    /// Who created it: an administrator's email, or "operator".
    pub created_by: String,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
    pub expires_at: Option<Timestamp>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(name: &str, access: &str, days: &str) -> ApiTokenForm {
        ApiTokenForm {
            name: name.to_owned(),
            access: access.to_owned(),
            expires_days: days.to_owned(),
        }
    }

    #[test]
    fn a_good_form_parses() {
        assert_eq!(
            NewApiToken::parse(&form(" Billing sync ", "read_write", "30")),
            Ok(NewApiToken {
                name: "Billing sync".to_owned(),
                access: ApiAccess::ReadWrite,
                expires_days: Some(30),
            })
        );
        assert_eq!(
            NewApiToken::parse(&form("Reports", "read_only", "")).map(|t| t.expires_days),
            Ok(None)
        );
    }

    #[test]
    fn every_bad_field_is_named() {
        let errors = NewApiToken::parse(&form(" ", "admin", "0")).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "access", "expires_days"]);
        assert!(NewApiToken::parse(&form("x", "read_only", "3651")).is_err());
        assert!(NewApiToken::parse(&form("x", "read_only", "ten")).is_err());
    }
}
