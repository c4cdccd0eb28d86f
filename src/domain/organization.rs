//! Organizations: a parent account, its children and the quotas the operator sets.

use super::PartnerId;

/// An organization as the operator sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrganizationSummary {
    pub parent_partner_id: i64,
    pub name: String,
    pub admin_email: String,
    pub accounts_in_use: i64,
    pub account_quota: i64,
    pub users_in_use: i64,
    pub user_quota: i64,
    pub category_copy_limit: i64,
    pub item_copy_limit: i64,
}

impl OrganizationSummary {
    pub fn parent(&self) -> PartnerId {
        PartnerId::new(self.parent_partner_id)
    }
}
