//! Umbrella's core: the domain, the rules that guard it and the storage behind it.
//!
//! No rule here knows about HTTP or Leptos. Every rule is enforced here, so the
//! web console, the HTTP API and the operator commands cannot disagree. The one
//! module that speaks HTTP, [`web`] (feature `web`), is the plumbing those doors
//! share — statuses, cookies, the client's address, the caller's session — so that
//! none of them depends on another for it.
//!
//! Without the `server` feature only [`domain`], [`clock`] and [`error`] build: the
//! share of the core that the browser's WASM uses.

pub mod clock;
pub mod domain;
pub mod error;

#[cfg(feature = "server")]
pub mod accounts;
#[cfg(feature = "server")]
pub mod api_tokens;
#[cfg(feature = "server")]
pub mod audit;
#[cfg(feature = "server")]
pub mod audit_log;
#[cfg(feature = "server")]
pub mod auth;
#[cfg(feature = "server")]
pub mod bulk;
#[cfg(feature = "server")]
pub mod content;
#[cfg(feature = "server")]
pub mod demo;
#[cfg(feature = "server")]
mod fail_point;
#[cfg(feature = "server")]
pub mod idempotency;
#[cfg(feature = "server")]
pub mod operator;
#[cfg(feature = "server")]
mod storage;
#[cfg(feature = "server")]
pub mod templates;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
#[cfg(feature = "server")]
pub mod upgrades;
#[cfg(feature = "server")]
pub mod users;
pub mod web;
#[cfg(any(test, feature = "testing"))]
pub use fail_point::arm as arm_fail_point;

pub use error::{Error, FieldError};
#[cfg(feature = "server")]
pub use storage::{ACQUIRE_TIMEOUT, Backend, DEFAULT_DATABASE_URL, Db};

#[cfg(feature = "server")]
mod handle;
#[cfg(feature = "server")]
pub use handle::Umbrella;
