//! Core tests: every rule, on a fresh SQLite file and a fresh PostgreSQL database.

mod accounts;
mod auth;
mod demo;
mod operator;
mod support;
