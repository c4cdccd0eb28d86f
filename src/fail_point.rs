//! Named points where a test can make the core fail, to prove that a failure in the
//! middle of a transaction leaves nothing behind. A point is armed for one
//! database, so tests that share a process (plain `cargo test`) cannot trip each
//! other's. Outside the `testing` feature every check is a no-op that the compiler
//! removes.

use crate::error::Result;
use crate::storage::Conn;

#[cfg(any(test, feature = "testing"))]
static ARMED: std::sync::Mutex<Vec<(String, &'static str)>> = std::sync::Mutex::new(Vec::new());

/// Makes the next [`check`] of `point` on this database fail (tests only).
#[cfg(any(test, feature = "testing"))]
pub async fn arm(umbrella: &crate::Umbrella, point: &'static str) -> Result<()> {
    let mut conn = umbrella.db().pool().acquire().await?;
    let database = crate::storage::database_name(&mut conn).await?;
    if let Ok(mut armed) = ARMED.lock() {
        armed.push((database, point));
    }
    Ok(())
}

#[cfg(any(test, feature = "testing"))]
pub(crate) async fn check(conn: &mut Conn, point: &'static str) -> Result<()> {
    let nothing_armed = ARMED.lock().map(|armed| armed.is_empty()).unwrap_or(true);
    if nothing_armed {
        return Ok(());
    }
    let database = crate::storage::database_name(conn).await?;
    let fire = ARMED
        .lock()
        .map(|mut armed| {
            let found = armed
                .iter()
                .position(|(db, armed_point)| *db == database && *armed_point == point);
            found.map(|i| armed.remove(i)).is_some()
        })
        .unwrap_or(false);
    if fire {
        Err(crate::Error::Internal(format!(
            "failure injected at {point}"
        )))
    } else {
        Ok(())
    }
}

#[cfg(not(any(test, feature = "testing")))]
#[inline(always)]
pub(crate) async fn check(_conn: &mut Conn, _point: &'static str) -> Result<()> {
    Ok(())
}
