//! Core tests: every rule, on a fresh SQLite file and a fresh PostgreSQL database.
// The whole crate is tests: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod accounts;
mod activation;
mod api_tokens;
mod audit;
mod audit_transaction;
mod auth;
mod bounded_content;
mod bulk;
mod cms_login;
mod content;
mod copy_property;
mod demo;
mod import_fairness;
mod operator;
mod postgres_required;
mod search;
mod sessions;
mod support;
mod templates;
mod throttle;
mod upgrades;
mod users;
