//! Named points where a test can make the core fail, to prove that a failure in the
//! middle of a transaction leaves nothing behind. Outside the `testing` feature
//! every check is a no-op that the compiler removes.

use crate::error::Result;

#[cfg(any(test, feature = "testing"))]
static ARMED: std::sync::Mutex<Option<&'static str>> = std::sync::Mutex::new(None);

/// Makes the next [`check`] of `point` fail (tests only).
#[cfg(any(test, feature = "testing"))]
pub fn arm(point: &'static str) {
    if let Ok(mut armed) = ARMED.lock() {
        *armed = Some(point);
    }
}

#[cfg(any(test, feature = "testing"))]
pub(crate) fn check(point: &'static str) -> Result<()> {
    let fire = ARMED
        .lock()
        .map(|mut armed| {
            if *armed == Some(point) {
                *armed = None;
                true
            } else {
                false
            }
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
pub(crate) fn check(_point: &'static str) -> Result<()> {
    Ok(())
}
