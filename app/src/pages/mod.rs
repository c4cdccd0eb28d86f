//! One module per screen.

pub mod activate;
pub mod api_tokens;
pub mod audit;
pub mod console;
pub mod home;
pub mod login;
pub mod multi_account;
pub mod not_found;
pub mod users;
