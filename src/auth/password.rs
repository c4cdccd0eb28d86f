//! argon2id password hashing, off the async runtime (it is deliberately slow).

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::rngs::OsRng;

use crate::domain::Password;
use crate::error::{Error, Result};

/// Checked against when the email is unknown, so that the time taken does not tell
/// an attacker which emails have accounts.
static DUMMY_HASH: LazyLock<Option<String>> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(b"no such user, no such password", &salt)
        .ok()
        .map(|hash| hash.to_string())
});

pub(crate) async fn hash(password: &Password) -> Result<String> {
    let plain = password.expose().to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(plain.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|e| Error::Internal(format!("password hashing failed: {e}")))
    })
    .await
    .map_err(|e| Error::Internal(format!("password hashing task failed: {e}")))?
}

/// Whether `password` matches the stored PHC string; `None` checks the dummy hash
/// and always answers `false`.
pub(crate) async fn verify(stored: Option<String>, password: &Password) -> Result<bool> {
    let plain = password.expose().to_owned();
    let is_real = stored.is_some();
    let Some(stored) = stored.or_else(|| DUMMY_HASH.clone()) else {
        return Ok(false);
    };
    tokio::task::spawn_blocking(move || {
        let matches = PasswordHash::new(&stored)
            .map(|parsed| {
                Argon2::default()
                    .verify_password(plain.as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false);
        matches && is_real
    })
    .await
    .map_err(|e| Error::Internal(format!("password check task failed: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let password = Password::parse_new("correct horse battery".into()).unwrap();
        let stored = hash(&password).await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify(Some(stored.clone()), &password).await.unwrap());
        let wrong = Password::offered("wrong horse battery".into());
        assert!(!verify(Some(stored), &wrong).await.unwrap());
        assert!(!verify(None, &password).await.unwrap());
    }
}
