//! Secret tokens (sessions, activation links): 256 random bits handed to a person
//! or a browser; only their SHA-256 is stored.

use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};

macro_rules! secret_token {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        /// 256 random bits; only the SHA-256 is stored. Never logged.
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            pub(crate) fn generate() -> Self {
                Self(random_hex())
            }

            /// A token as it came back (cookie, link). Anything malformed simply
            /// matches nothing stored; overlong input is cut so that hashing it
            /// stays cheap.
            pub fn from_client(value: &str) -> Self {
                Self(value.chars().take(128).collect())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub(crate) fn hash(&self) -> String {
                hex::encode(Sha256::digest(self.0.as_bytes()))
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

secret_token!(
    /// The secret a browser holds for its session (its cookie).
    SessionToken
);
secret_token!(
    /// The secret in a one-time activation link. A distinct type, so that a link's
    /// secret can never be taken for a session's, or the other way round.
    ActivationToken
);

secret_token!(
    /// The secret an API client sends as `Authorization: Bearer …`.
    ApiToken
);

fn random_hex() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_stored_only_as_a_hash() {
        let a = SessionToken::generate();
        let b = SessionToken::generate();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 64);
        assert_eq!(a.hash().len(), 64);
        assert_ne!(a.hash(), a.as_str());
        assert!(!format!("{a:?}").contains(a.as_str()));
    }
}
