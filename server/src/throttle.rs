//! Attempts at a secret (sign-in, activation, CMS Login) per client address, in
//! memory: cheap, immediate, and enough for what it guards (one server's CPU);
//! the per-email count that must hold across servers lives in the database (core).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use umbrella::web::{ClientAddress, split_cms_path};

/// At most this many addresses are tracked: a flood of addresses must not grow
/// memory without bound. Past it, addresses whose minute has passed are forgotten,
/// and if all are current the oldest window makes room: a newcomer is never refused
/// for the table being full (an IPv6 attacker holds addresses enough to fill it).
const MAX_TRACKED: usize = 100_000;
const WINDOW: Duration = Duration::from_secs(60);

/// Counts attempts per address in one-minute windows.
#[derive(Debug)]
pub struct AddressLimiter {
    per_minute: u32,
    capacity: usize,
    windows: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl AddressLimiter {
    pub fn new(per_minute: u32) -> Arc<Self> {
        Self::with_capacity(per_minute, MAX_TRACKED)
    }

    /// A limiter that tracks at most `capacity` addresses (tests use a small one).
    pub fn with_capacity(per_minute: u32, capacity: usize) -> Arc<Self> {
        Arc::new(Self {
            per_minute,
            capacity: capacity.max(1),
            windows: Mutex::new(HashMap::new()),
        })
    }

    /// The seconds until `address` may try again, if it is over its attempts now
    /// (counts nothing).
    pub fn refused_for(&self, address: IpAddr, now: Instant) -> Option<u64> {
        let windows = self
            .windows
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (start, count) = windows.get(&bucket(address))?;
        let elapsed = now.duration_since(*start);
        (elapsed < WINDOW && *count >= self.per_minute)
            .then(|| WINDOW.saturating_sub(elapsed).as_secs().max(1))
    }

    /// Counts an attempt from `address`; `Err` holds the seconds until it may try again.
    pub fn attempt(&self, address: IpAddr, now: Instant) -> Result<(), u64> {
        let key = bucket(address);
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if windows.len() >= self.capacity && !windows.contains_key(&key) {
            windows.retain(|_, (start, _)| now.duration_since(*start) < WINDOW);
            if windows.len() >= self.capacity {
                // Evicting the oldest tenth at once keeps a flood from paying a
                // scan of the whole table for every new address.
                let mut starts: Vec<Instant> = windows.values().map(|(start, _)| *start).collect();
                let evict = (self.capacity / 10).max(1).min(starts.len());
                let (_, cutoff, _) = starts.select_nth_unstable(evict - 1);
                let cutoff = *cutoff;
                let mut left = evict;
                windows.retain(|_, (start, _)| {
                    if left > 0 && *start <= cutoff {
                        left -= 1;
                        false
                    } else {
                        true
                    }
                });
            }
        }
        let (start, count) = windows.entry(key).or_insert((now, 0));
        if now.duration_since(*start) >= WINDOW {
            (*start, *count) = (now, 0);
        }
        if *count >= self.per_minute {
            let left = WINDOW.saturating_sub(now.duration_since(*start));
            return Err(left.as_secs().max(1));
        }
        *count += 1;
        Ok(())
    }
}

/// IPv6 clients are counted per /64: one subscriber holds a whole /64.
fn bucket(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => {
            let mut segments = v6.segments();
            segments[4..].fill(0);
            IpAddr::from(segments)
        }
    }
}

/// Whether a request is an attempt at a secret.
fn is_attempt(method: &Method, path: &str) -> bool {
    if *method != Method::POST {
        return false;
    }
    match split_cms_path(path) {
        Some((_, rest)) => matches!(rest, "/login" | "/api/sign_in" | "/api/activate"),
        None => matches!(path, "/api/sign_in" | "/api/activate"),
    }
}

/// Answers 429 with `Retry-After` to an address past its attempts for the minute.
pub async fn limit_attempts(
    State(limiter): State<Arc<AddressLimiter>>,
    request: Request<Body>,
    next: Next,
) -> Response {
    if is_attempt(request.method(), request.uri().path())
        && let Some(ClientAddress(address)) = request.extensions().get::<ClientAddress>().copied()
        && let Err(seconds) = limiter.attempt(address, Instant::now())
    {
        tracing::warn!(%address, path = %request.uri().path(), "too many attempts from one address");
        let minutes = seconds.div_ceil(60);
        let mut response = crate::security::refusal(
            request.method(),
            request.uri().path(),
            request.headers(),
            StatusCode::TOO_MANY_REQUESTS,
            &format!(
                "Too many attempts. Try again in {minutes} minute{}.",
                if minutes == 1 { "" } else { "s" }
            ),
        );
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        return response;
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_gets_its_attempts_per_minute() {
        let limiter = AddressLimiter::new(3);
        let start = Instant::now();
        let a: IpAddr = "198.51.100.1".parse().unwrap();
        let b: IpAddr = "198.51.100.2".parse().unwrap();
        for _ in 0..3 {
            assert_eq!(limiter.attempt(a, start), Ok(()));
        }
        let wait = limiter
            .attempt(a, start + Duration::from_secs(20))
            .unwrap_err();
        assert_eq!(wait, 40);
        assert_eq!(
            limiter.attempt(b, start),
            Ok(()),
            "other addresses are not affected"
        );
        assert_eq!(limiter.attempt(a, start + WINDOW), Ok(()), "a new minute");
    }

    #[test]
    fn a_full_table_never_refuses_a_newcomer() {
        let limiter = AddressLimiter::with_capacity(2, 10);
        let start = Instant::now();
        for i in 0..10u16 {
            let address = IpAddr::from([0x2001, 0xdb8, i, 0, 0, 0, 0, 1]);
            assert_eq!(limiter.attempt(address, start), Ok(()));
        }
        // Every tracked window is current, and an attacker's flood goes on.
        for i in 10..1_000u16 {
            let address = IpAddr::from([0x2001, 0xdb8, i, 0, 0, 0, 0, 1]);
            let now = start + Duration::from_millis(u64::from(i));
            assert_eq!(limiter.attempt(address, now), Ok(()), "attacker {i}");
        }
        let newcomer: IpAddr = "198.51.100.7".parse().unwrap();
        let later = start + Duration::from_secs(1);
        assert_eq!(limiter.attempt(newcomer, later), Ok(()), "a newcomer");
        assert_eq!(limiter.attempt(newcomer, later), Ok(()));
        assert!(
            limiter.attempt(newcomer, later).is_err(),
            "and is still limited to its own attempts"
        );
        let tracked = limiter.windows.lock().unwrap().len();
        assert!(tracked <= 10, "the table stays bounded: {tracked}");
    }

    #[test]
    fn an_ipv6_subscriber_is_one_address() {
        let limiter = AddressLimiter::new(1);
        let now = Instant::now();
        assert_eq!(
            limiter.attempt("2001:db8:1:2::1".parse().unwrap(), now),
            Ok(())
        );
        assert!(
            limiter
                .attempt("2001:db8:1:2:ffff::9".parse().unwrap(), now)
                .is_err()
        );
        assert_eq!(
            limiter.attempt("2001:db8:1:3::1".parse().unwrap(), now),
            Ok(())
        );
    }

    #[test]
    fn attempts_are_the_secret_paths_only() {
        assert!(is_attempt(&Method::POST, "/api/sign_in"));
        assert!(is_attempt(&Method::POST, "/api/activate"));
        assert!(is_attempt(&Method::POST, "/cms/12/login"));
        assert!(is_attempt(&Method::POST, "/cms/12/api/sign_in"));
        assert!(!is_attempt(&Method::GET, "/login"));
        assert!(!is_attempt(&Method::POST, "/login"));
        assert!(!is_attempt(&Method::POST, "/api/create_account"));
    }
}
