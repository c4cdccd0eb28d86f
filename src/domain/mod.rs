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

pub use account::{Account, AccountForm, NewAccount, QuotaStatus, Status, StatusCounts};
pub use actions::{AccountAction, AccountStanding, ActionRefusal};
pub use api_token::{ApiAccess, ApiTokenForm, ApiTokenView, NewApiToken};
pub use fields::{AccountName, EmailAddress, PersonName, PhoneNumber, ReferenceId, WebsiteUrl};
pub use ids::{ApiTokenId, CategoryId, EntryId, OrganizationId, PartnerId, PlaylistId, UserId};
pub use organization::OrganizationSummary;
pub use query::{
    AccountQuery, Cursor, CursorKey, Direction, QueryParams, Search, SearchMode, Sort, SortKey,
};
pub use user::{Password, Role, UserStatus, UserView};
