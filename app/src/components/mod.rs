//! Pieces shared by the pages.

pub mod accounts_table;
pub mod activation_notice;
pub mod add_account;
pub mod bulk_actions;
pub mod confirm_dialog;
pub mod console_layout;
pub mod content;
pub mod field_error;
pub mod hydrated;
pub mod modal;
pub mod page_size;
pub mod quota_line;
pub mod return_here;
pub mod row_actions;
pub mod search_bar;
pub mod status_filter;
pub mod text_field;
pub mod upgrade_request;
