//! Pieces shared by the pages.

pub mod accounts_table;
pub mod console_layout;
pub mod quota_line;
pub mod status_filter;
