//! Server functions: each translates its input, makes one call into the core and
//! translates the answer. The types here are what travels to the browser.

pub mod accounts;
pub mod audit;
pub mod bulk;
pub mod content;
pub mod session;
pub mod tokens;
pub mod upgrades;
pub mod users;
