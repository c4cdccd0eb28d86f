//! Domain types. Each is parsed once, at the edge, by a constructor that can fail;
//! past that point a value of the type is valid by construction.
//!
//! Everything here also builds for the browser (`wasm32-unknown-unknown`, without
//! the `server` feature): the screens show these types and ask these rules.

mod account;
mod actions;
mod api_token;
pub mod audit;
pub mod bulk;
pub mod content;
mod fields;
mod ids;
mod organization;
mod query;
pub mod text;
pub mod upgrade;
mod user;

pub use account::{
    Account, AccountForm, NewAccount, QuotaStatus, Status, StatusCounts, TEMPLATE_CHOICE,
};
pub use actions::{AccountAction, AccountStanding, ActionRefusal};
pub use api_token::{ApiAccess, ApiTokenForm, ApiTokenView, NewApiToken};
pub use fields::{AccountName, EmailAddress, PersonName, PhoneNumber, ReferenceId, WebsiteUrl};
pub use ids::{ApiTokenId, CategoryId, EntryId, OrganizationId, PartnerId, PlaylistId, UserId};
pub use organization::OrganizationSummary;
pub use query::{
    AccountQuery, Cursor, CursorKey, Direction, QueryParams, Search, SearchMode, Sort, SortKey,
};
pub use user::{Password, Role, UserStatus, UserView};

/// A status the database holds that this build does not know (a row written by a
/// newer build, or by hand): storage refuses to read it as any known one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown status \"{0}\"")]
pub struct UnknownStatus(pub String);

impl TryFrom<String> for Status {
    type Error = UnknownStatus;

    fn try_from(value: String) -> Result<Self, UnknownStatus> {
        Status::from_db(&value).ok_or(UnknownStatus(value))
    }
}

impl TryFrom<String> for UserStatus {
    type Error = UnknownStatus;

    fn try_from(value: String) -> Result<Self, UnknownStatus> {
        UserStatus::from_db(&value).ok_or(UnknownStatus(value))
    }
}
