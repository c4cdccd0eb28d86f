use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            pub fn new(value: i64) -> Self {
                Self(value)
            }

            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// The identifier of an account, shown to people as "Partner ID".
    PartnerId
);
impl PartnerId {
    /// A Partner ID as a person or a URL writes it.
    pub fn parse(raw: &str) -> Result<Self, String> {
        raw.trim()
            .parse::<i64>()
            .ok()
            .and_then(Self::positive)
            .ok_or_else(|| "A Partner ID is a whole number, such as 6475.".to_owned())
    }

    /// A Partner ID from a number (JSON's): only positive ones name an account.
    pub fn positive(id: i64) -> Option<Self> {
        (id > 0).then_some(Self(id))
    }
}

id_type!(
    /// The identifier of an organization (a parent account and its children).
    OrganizationId
);
id_type!(
    /// The identifier of a console user.
    UserId
);

id_type!(
    /// The identifier of an API token (not its secret).
    ApiTokenId
);

id_type!(
    /// The identifier of one of an account's entries.
    EntryId
);
id_type!(
    /// The identifier of one of an account's categories.
    CategoryId
);
id_type!(
    /// The identifier of one of an account's playlists.
    PlaylistId
);
