//! Domain types. Each is parsed once, at the edge, by a constructor that can fail;
//! past that point a value of the type is valid by construction.

mod account;
mod fields;
mod ids;
pub mod text;
mod user;

pub use account::{Account, AccountForm, NewAccount, Status};
pub use fields::{AccountName, EmailAddress, PersonName, PhoneNumber, ReferenceId, WebsiteUrl};
pub use ids::{OrganizationId, PartnerId, UserId};
pub use user::{Password, Role};
