//! What an organization administrator may do to an account, decided once for the
//! server (which enforces it) and the browser (whose row menu offers exactly this).

use super::Status;

/// Block, unblock or remove one of the organization's accounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum AccountAction {
    Block,
    Unblock,
    Remove,
}

/// Why an action does not apply to an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionRefusal {
    /// The organization's parent account is never blocked or removed.
    ParentAccount,
    /// Templates stay usable for as long as they are templates.
    TemplateAccount,
    /// The account's status does not allow the action (e.g. unblocking an active one).
    WrongStatus,
}

impl ActionRefusal {
    /// What an administrator is told when `action` is refused for one account
    /// (`account` names it, `status` is the one it has).
    pub fn explain(
        self,
        action: AccountAction,
        account: impl std::fmt::Display,
        status: Status,
    ) -> String {
        match self {
            ActionRefusal::ParentAccount => {
                "The parent account cannot be blocked or removed.".to_owned()
            }
            ActionRefusal::TemplateAccount => {
                "Template accounts cannot be blocked or removed.".to_owned()
            }
            ActionRefusal::WrongStatus => format!(
                "Account {account} is {} and cannot be {}.",
                status.label().to_lowercase(),
                action.verb()
            ),
        }
    }
}

/// Why an account is left as it was, in the words of the result panel.
pub fn skip_reason(action: AccountAction, refusal: ActionRefusal, status: Status) -> String {
    match refusal {
        ActionRefusal::ParentAccount => "The parent account cannot be changed.".to_owned(),
        ActionRefusal::TemplateAccount => "Template accounts cannot be changed.".to_owned(),
        ActionRefusal::WrongStatus => match (action, status) {
            (AccountAction::Block, Status::Blocked) => "Already blocked.".to_owned(),
            (AccountAction::Unblock, Status::Active) => "Already active.".to_owned(),
            (_, Status::Removed) => "Already removed.".to_owned(),
            (_, status) => format!(
                "It is {} and cannot be {}.",
                status.label().to_lowercase(),
                action.verb()
            ),
        },
    }
}

/// What the rules need to know about an account to decide its actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AccountStanding {
    pub status: Status,
    pub is_parent: bool,
    pub is_template: bool,
}

impl AccountAction {
    pub const ALL: [AccountAction; 3] = [
        AccountAction::Block,
        AccountAction::Unblock,
        AccountAction::Remove,
    ];

    /// The status an account must have for the action, and the status it gets.
    pub fn transition(self, from: Status) -> Option<Status> {
        match (self, from) {
            (AccountAction::Block, Status::Active) => Some(Status::Blocked),
            (AccountAction::Unblock, Status::Blocked) => Some(Status::Active),
            (AccountAction::Remove, Status::Active | Status::Blocked) => Some(Status::Removed),
            _ => None,
        }
    }

    /// Whether the action applies to this account, and the status it would get.
    pub fn check(self, account: AccountStanding) -> Result<Status, ActionRefusal> {
        if account.is_parent {
            return Err(ActionRefusal::ParentAccount);
        }
        if account.is_template {
            return Err(ActionRefusal::TemplateAccount);
        }
        self.transition(account.status)
            .ok_or(ActionRefusal::WrongStatus)
    }

    /// Every action that applies to the account, in menu order.
    pub fn offered(account: AccountStanding) -> impl Iterator<Item = AccountAction> {
        Self::ALL
            .into_iter()
            .filter(move |action| action.check(account).is_ok())
    }

    /// The action as a form or URL names it: `block`, `unblock`, `remove`.
    pub fn as_param(self) -> &'static str {
        match self {
            AccountAction::Block => "block",
            AccountAction::Unblock => "unblock",
            AccountAction::Remove => "remove",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|action| action.as_param() == raw)
            .ok_or_else(|| "Unknown action: use block, unblock or remove.".to_owned())
    }

    /// The menu's label.
    pub fn label(self) -> &'static str {
        match self {
            AccountAction::Block => "Block",
            AccountAction::Unblock => "Unblock",
            AccountAction::Remove => "Remove",
        }
    }

    /// What the action does to an account, in the past tense.
    pub fn verb(self) -> &'static str {
        match self {
            AccountAction::Block => "blocked",
            AccountAction::Unblock => "unblocked",
            AccountAction::Remove => "removed",
        }
    }

    /// What the administrator is asked before the action is taken, if anything.
    pub fn confirmation(self) -> Option<&'static str> {
        match self {
            AccountAction::Block => Some(
                "Its users will not be able to sign in or view its content until it is unblocked.",
            ),
            AccountAction::Unblock => None,
            AccountAction::Remove => Some(
                "A removed account cannot be used or restored from this console; only your \
                 Umbrella representative can delete it.",
            ),
        }
    }
}

impl AccountStanding {
    /// Whether CMS Login may start for the account: any active account but the
    /// parent (whose console is the administrator's own), templates included — it
    /// is how their content is edited.
    pub fn allows_cms_login(self) -> bool {
        !self.is_parent && self.status == Status::Active
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn child(status: Status) -> AccountStanding {
        AccountStanding {
            status,
            is_parent: false,
            is_template: false,
        }
    }

    #[test]
    fn each_action_applies_only_from_its_statuses() {
        use AccountAction::*;
        use Status::*;
        assert_eq!(Block.transition(Active), Some(Blocked));
        assert_eq!(Block.transition(Blocked), None);
        assert_eq!(Unblock.transition(Blocked), Some(Active));
        assert_eq!(Unblock.transition(Active), None);
        assert_eq!(Remove.transition(Active), Some(Removed));
        assert_eq!(Remove.transition(Blocked), Some(Removed));
        for action in [Block, Unblock, Remove] {
            assert_eq!(action.transition(Removed), None);
        }
    }

    #[test]
    fn the_menu_offers_what_the_transition_allows() {
        use AccountAction::*;
        let offered = |standing| AccountAction::offered(standing).collect::<Vec<_>>();
        assert_eq!(offered(child(Status::Active)), [Block, Remove]);
        assert_eq!(offered(child(Status::Blocked)), [Unblock, Remove]);
        assert_eq!(offered(child(Status::Removed)), []);
        for status in Status::ALL {
            let parent = AccountStanding {
                is_parent: true,
                ..child(status)
            };
            let template = AccountStanding {
                is_template: true,
                ..child(status)
            };
            assert_eq!(offered(parent), []);
            assert_eq!(offered(template), []);
            assert_eq!(Block.check(parent), Err(ActionRefusal::ParentAccount));
            assert_eq!(Block.check(template), Err(ActionRefusal::TemplateAccount));
        }
    }

    #[test]
    fn actions_round_trip_through_their_parameter() {
        for action in AccountAction::ALL {
            assert_eq!(AccountAction::parse(action.as_param()), Ok(action));
        }
        assert!(AccountAction::parse("delete").is_err());
    }

    #[test]
    fn cms_login_is_for_active_children() {
        assert!(child(Status::Active).allows_cms_login());
        assert!(!child(Status::Blocked).allows_cms_login());
        let parent = AccountStanding {
            is_parent: true,
            ..child(Status::Active)
        };
        assert!(!parent.allows_cms_login());
    }
}
