//! The one Umbrella binary: command line, HTTP server, embedded site and operator
//! commands. Nothing here decides a business rule; that is the core's job.
// The app's deep view types, monomorphised here too (tests build without type erasure).
#![recursion_limit = "256"]

pub mod accounts_csv;
pub mod api;
pub mod assets;
pub mod cli;
pub mod cms;
pub mod commands;
pub mod forms;
pub mod limits;
pub mod listener;
pub mod security;
pub mod slots;
pub mod throttle;
pub mod web;
