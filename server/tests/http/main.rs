//! HTTP tests of the real router: requests go through every layer, page and server
//! function, against a fresh database per test.

// The whole crate is tests: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod actions;
mod activation_email;
mod add_account;
mod api;
mod authorization;
mod bulk;
mod cms_login;
mod content;
mod csv_export;
mod fuzz;
mod isolation;
mod markup;
mod one_check;
mod pages;
mod plain_forms;
mod resilience;
mod security;
mod sign_in;
mod smtp_sink;
mod support;
mod upgrades;
mod users;
