//! argon2id password hashing, off the async runtime (it is deliberately slow) and
//! bounded: each computation takes ~19 MiB and a core for tens of milliseconds, so
//! at most one per core runs at once, a bounded number wait, and the rest are told
//! the server is busy instead of piling up.

use std::panic::AssertUnwindSafe;
use std::sync::mpsc::{SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, LazyLock, Mutex};

use std::cell::RefCell;

use argon2::password_hash::{Output, ParamsString, PasswordHash, Salt, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use rand::rngs::OsRng;
use tokio::sync::oneshot;

use crate::domain::Password;
use crate::error::{Error, Result};

/// How many hash computations may wait for a core before callers are turned away.
pub(crate) const MAX_WAITING_HASHES: usize = 64;

/// Checked against when the email is unknown, so that the time taken does not tell
/// an attacker which emails have accounts.
static DUMMY_HASH: LazyLock<Option<String>> =
    LazyLock::new(|| new_hash(b"no such user, no such password").ok());

/// The process-wide bound on password hashing (CPU and memory are the process's).
static GATE: LazyLock<HashGate> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    HashGate::new(cores, MAX_WAITING_HASHES)
});

type Job = Box<dyn FnOnce() + Send>;

/// A fixed set of hashing threads fed by a bounded queue: `running` threads compute,
/// `waiting` jobs may queue, and a job that finds the queue full is refused.
///
/// Dedicated threads rather than the runtime's blocking pool: the pool starts a new
/// thread whenever none is idle at that instant, and every thread that ever ran
/// argon2 keeps its ~19 MiB in its own allocator arena, so memory would grow with
/// the number of threads the pool happened to start, not with `running`.
pub(crate) struct HashGate {
    queue: SyncSender<Job>,
}

impl HashGate {
    pub(crate) fn new(running: usize, waiting: usize) -> Self {
        let (queue, jobs) = sync_channel::<Job>(waiting);
        let jobs = Arc::new(Mutex::new(jobs));
        for n in 0..running.max(1) {
            let jobs = jobs.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("password-hash-{n}"))
                .spawn(move || {
                    loop {
                        let job = match jobs.lock() {
                            Ok(receiver) => receiver.recv(),
                            Err(poisoned) => poisoned.into_inner().recv(),
                        };
                        match job {
                            // A panicking job loses its answer (the caller sees an
                            // internal error), never the thread.
                            Ok(job) => {
                                let _ = std::panic::catch_unwind(AssertUnwindSafe(job));
                            }
                            Err(_) => return,
                        }
                    }
                });
            if let Err(e) = spawned {
                tracing::error!(error = %e, "could not start a password hashing thread");
            }
        }
        Self { queue }
    }

    /// Runs `work` on a hashing thread once one is free, or answers
    /// [`Error::Busy`] at once when the queue is full. Work whose caller has gone
    /// away by the time a thread takes it is skipped.
    pub(crate) async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T> {
        let (answer, answered) = oneshot::channel();
        let job: Job = Box::new(move || {
            if !answer.is_closed() {
                let _ = answer.send(work());
            }
        });
        match self.queue.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                tracing::warn!("password hashing is at its bound; a request was turned away");
                return Err(Error::Busy);
            }
            Err(TrySendError::Disconnected(_)) => {
                return Err(Error::Internal("no password hashing thread".to_owned()));
            }
        }
        answered
            .await
            .map_err(|_| Error::Internal("password hashing failed".to_owned()))
    }
}

thread_local! {
    /// This hashing thread's argon2 working memory (~19 MiB), reused by every
    /// computation on it: allocating it afresh each time left each thread's
    /// allocator holding several copies (a server peaked at ~250 MiB).
    static BLOCKS: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// argon2 of `password` and `salt` into `out`, in this thread's reused memory.
fn compute(argon: &Argon2, password: &[u8], salt: &[u8], out: &mut [u8]) -> bool {
    BLOCKS.with_borrow_mut(|blocks| {
        blocks.resize(argon.params().block_count(), Block::default());
        argon
            .hash_password_into_with_memory(password, salt, out, &mut blocks[..])
            .is_ok()
    })
}

/// A new PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) for `password`, with the
/// crate's default parameters, as `Argon2::default().hash_password` would write it.
fn new_hash(password: &[u8]) -> Result<String> {
    let failed =
        |e: &dyn std::fmt::Display| Error::Internal(format!("password hashing failed: {e}"));
    let argon = Argon2::default();
    let salt = SaltString::generate(&mut OsRng);
    let mut raw_salt = [0u8; Salt::MAX_LENGTH];
    let raw_salt = salt.decode_b64(&mut raw_salt).map_err(|e| failed(&e))?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    if !compute(&argon, password, raw_salt, &mut out) {
        return Err(failed(&"argon2 refused its input"));
    }
    let phc = PasswordHash {
        algorithm: Algorithm::default().ident(),
        version: Some(Version::default().into()),
        params: ParamsString::try_from(argon.params()).map_err(|e| failed(&e))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| failed(&e))?),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches the PHC string `stored`, with its own parameters.
fn matches(stored: &str, password: &[u8]) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Some(expected), Some(salt)) = (parsed.hash, parsed.salt) else {
        return false;
    };
    let (Ok(algorithm), Ok(params)) = (
        Algorithm::try_from(parsed.algorithm),
        Params::try_from(&parsed),
    ) else {
        return false;
    };
    let Ok(version) = parsed
        .version
        .map_or(Ok(Version::default()), Version::try_from)
    else {
        return false;
    };
    let mut raw_salt = [0u8; Salt::MAX_LENGTH];
    let Ok(raw_salt) = salt.decode_b64(&mut raw_salt) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    compute(
        &Argon2::new(algorithm, version, params),
        password,
        raw_salt,
        &mut out,
    ) && Output::new(&out).is_ok_and(|computed| computed == expected)
}

pub(crate) async fn hash(password: &Password) -> Result<String> {
    let plain = password.expose().to_owned();
    GATE.run(move || new_hash(plain.as_bytes())).await?
}

/// Whether `password` matches the stored PHC string; `None` checks the dummy hash
/// and always answers `false`.
pub(crate) async fn verify(stored: Option<String>, password: &Password) -> Result<bool> {
    let plain = password.expose().to_owned();
    let is_real = stored.is_some();
    GATE.run(move || {
        // The dummy is made on a hashing thread too, the first time it is needed.
        let Some(stored) = stored.or_else(|| DUMMY_HASH.clone()) else {
            return false;
        };
        matches(&stored, plain.as_bytes()) && is_real
    })
    .await
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn hashes_agree_with_the_argon2_crates_own() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::default()
            .hash_password(b"correct horse battery", &salt)
            .unwrap()
            .to_string();
        assert!(matches(&theirs, b"correct horse battery"));
        assert!(!matches(&theirs, b"correct horse battery!"));
        let ours = new_hash(b"correct horse battery").unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"correct horse battery", &parsed)
                .is_ok()
        );
        assert!(
            ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{ours}"
        );
        assert!(!matches("not a phc string", b"x"));
    }

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

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_gate_runs_a_bounded_number_and_turns_the_rest_away() {
        let gate = Arc::new(HashGate::new(2, 3));
        let now_running = Arc::new(AtomicUsize::new(0));
        let most_running = Arc::new(AtomicUsize::new(0));
        // One after the other, so that the first two are surely taken by the threads.
        let mut calls = Vec::new();
        for _ in 0..8 {
            let (gate, now_running, most_running) =
                (gate.clone(), now_running.clone(), most_running.clone());
            calls.push(tokio::spawn(async move {
                gate.run(move || {
                    let n = now_running.fetch_add(1, Ordering::SeqCst) + 1;
                    most_running.fetch_max(n, Ordering::SeqCst);
                    std::thread::sleep(Duration::from_millis(300));
                    now_running.fetch_sub(1, Ordering::SeqCst);
                })
                .await
            }));
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let mut done = 0;
        let mut busy = 0;
        for call in calls {
            match call.await.unwrap() {
                Ok(()) => done += 1,
                Err(Error::Busy) => busy += 1,
                Err(e) => panic!("unexpected {e:?}"),
            }
        }
        assert_eq!((done, busy), (5, 3), "2 running + 3 waiting admitted");
        assert_eq!(most_running.load(Ordering::SeqCst), 2);
        // Every place is free again afterwards.
        for _ in 0..5 {
            assert!(gate.run(|| ()).await.is_ok());
        }
    }
}
