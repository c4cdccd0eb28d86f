//! The HTTP edge shared by Umbrella's doors: the console's server functions (`app`),
//! the CSV export and the REST API (`server`). Nothing here decides a rule: it
//! says how a core error is answered, how the session travels in cookies, who the
//! client is and which signed-in person a request carries.
//!
//! [`paths`] builds everywhere (the browser's WASM reads CMS Login paths too); the
//! rest needs the `web` feature.

pub mod paths;

#[cfg(feature = "web")]
mod cookies;
#[cfg(feature = "web")]
mod request;
#[cfg(feature = "web")]
mod status;

#[cfg(feature = "web")]
pub use cookies::{
    CMS_COOKIE, CookiePolicy, SESSION_COOKIE, cms_cookie, cookie_value, request_cookies,
    session_cookie,
};
#[cfg(feature = "web")]
pub use request::{
    CSP_NONCE_BYTES, ClientAddress, CmsScope, CspNonce, authenticate, cms_scope, is_browser_post,
    is_server_function_path, peer_address, session_token, split_cms_path,
};
#[cfg(feature = "web")]
pub use status::{retry_after, status_of};
