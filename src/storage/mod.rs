//! Storage: one connection pool over SQLite or PostgreSQL, chosen at run time by the
//! database URL. All SQL is written once, in the dialect both databases share
//! (`$n` parameters, `RETURNING`, row values, partial indexes); only the migrations
//! are per database, because DDL is where the two differ.

pub(crate) mod accounts;
pub(crate) mod activation;
pub(crate) mod api_tokens;
pub(crate) mod audit;
pub(crate) mod bulk;
pub(crate) mod content;
pub(crate) mod idempotency;
pub(crate) mod organizations;
pub(crate) mod sessions;
mod sql;
pub(crate) mod templates;
pub(crate) mod throttle;
pub(crate) mod upgrade_requests;
pub(crate) mod users;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};

use crate::error::{Error, Result};

/// Which database a connection is on (the SQLite file, or the PostgreSQL database):
/// what test fail points are armed for.
#[cfg(any(test, feature = "testing"))]
#[tracing::instrument(level = "debug", skip_all)]
pub(crate) async fn database_name(conn: &mut Conn) -> Result<String> {
    let sql = if conn.backend_name().eq_ignore_ascii_case("postgresql") {
        "SELECT CAST(current_database() AS TEXT)"
    } else {
        "SELECT file FROM pragma_database_list WHERE name = 'main'"
    };
    Ok(sqlx::query_scalar(sql).fetch_one(conn).await?)
}

/// A connection, for the rule modules to hand on to storage calls.
pub(crate) type Conn = sqlx::AnyConnection;
/// A transaction, for the rule modules to hand on to storage calls and commit.
pub(crate) type Tx = sqlx::Transaction<'static, sqlx::Any>;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// How long a request waits for a database connection before giving up.
pub const ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// The database URL used when none is given: a file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://umbrella.db";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Result<Self> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            Err(Error::invalid(
                "database_url",
                "The database URL must start with sqlite: or postgres:, \
                 e.g. sqlite://umbrella.db or postgres://user@host/db.",
            ))
        }
    }
}

/// A handle on the database: a pool of connections and which backend is behind it.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// What PostgreSQL's trigram indexes hold, for the accounts search.
    trigram_samples: std::sync::Arc<accounts::TrigramSamples>,
}

impl Db {
    /// Connects (creating an SQLite file if it is missing) and applies the migrations.
    #[tracing::instrument(skip(url))]
    pub async fn connect(url: &str) -> Result<Self> {
        install_default_drivers();
        let backend = Backend::from_url(url)?;
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") => {
                let separator = if url.contains('?') { '&' } else { '?' };
                format!("{url}{separator}mode=rwc")
            }
            _ => url.to_owned(),
        };
        let pool = AnyPoolOptions::new()
            // A request waits this long for a connection, then answers 503
            // "database unavailable" instead of hanging while the database is away.
            .acquire_timeout(ACQUIRE_TIMEOUT)
            // A ping before each use finds a PostgreSQL connection the server has
            // dropped; a SQLite connection is a file this process holds open, and
            // its ping only costs a round trip to the connection's thread.
            .test_before_acquire(backend == Backend::Postgres)
            .max_connections(match backend {
                // SQLite serialises writers anyway; a few readers are enough.
                Backend::Sqlite => 4,
                Backend::Postgres => 16,
            })
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    match backend {
                        // WAL lets readers proceed while one writer writes; the busy
                        // timeout makes concurrent writers wait instead of failing.
                        Backend::Sqlite => {
                            conn.execute(
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                            )
                            .await?;
                        }
                        // (No session settings: the accounts list forces custom plans
                        // in its own transaction, see `Umbrella::list_accounts`; forcing
                        // them for the whole session made every foreign key check
                        // re-plan, and a template copy more than twice as slow.)
                        Backend::Postgres => {}
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        let db = Self {
            pool,
            backend,
            trigram_samples: Default::default(),
        };
        db.migrate().await?;
        Ok(db)
    }

    async fn migrate(&self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        Ok(())
    }

    /// Whether this handle can serve: a round trip to the database within
    /// `within`, and every migration this build knows applied. The error says why not.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn check_ready(&self, within: std::time::Duration) -> Result<(), String> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        let expected = migrator.iter().map(|m| m.version).max().unwrap_or(0);
        let applied = tokio::time::timeout(within, async {
            let mut conn = self.pool.acquire().await?;
            sqlx::query_scalar::<_, i64>(
                "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version DESC LIMIT 1",
            )
            .fetch_optional(&mut *conn)
            .await
        })
        .await
        .map_err(|_| {
            format!(
                "the database did not answer within {} ms",
                within.as_millis()
            )
        })?
        .map_err(|e| format!("database unavailable: {e}"))?
        .unwrap_or(0);
        if applied < expected {
            return Err(format!(
                "the database's schema is at migration {applied}; this build needs {expected}"
            ));
        }
        Ok(())
    }

    /// Writes a consistent copy of an SQLite database to `to`, a file that must
    /// not exist yet. `VACUUM INTO` reads one snapshot (WAL readers do not block
    /// writers), so servers keep serving meanwhile. PostgreSQL has its own tool.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn backup_to(&self, to: &std::path::Path) -> Result<()> {
        if self.backend == Backend::Postgres {
            return Err(Error::invalid(
                "to",
                "This database is PostgreSQL: back it up with its own tool, e.g. \
                 pg_dump --format=custom --file=umbrella.dump \"$DATABASE_URL\" \
                 (and restore with pg_restore).",
            ));
        }
        if to.exists() {
            return Err(Error::invalid(
                "to",
                format!("{} exists already; choose a new file.", to.display()),
            ));
        }
        let Some(path) = to.to_str() else {
            return Err(Error::invalid("to", "The file name must be valid UTF-8."));
        };
        sqlx::query("VACUUM INTO $1")
            .bind(path)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A transaction that will write. On SQLite it takes the write lock at the start
    /// (`BEGIN IMMEDIATE`): a deferred transaction that reads first cannot always
    /// become a writer later (another writer committed meanwhile), and SQLite answers
    /// that with "database is locked" at once instead of waiting its busy timeout.
    /// PostgreSQL locks rows as they are touched, so a plain `BEGIN` is right there.
    #[tracing::instrument(level = "debug", skip_all)]
    pub(crate) async fn begin_write(&self) -> Result<Tx> {
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(tx)
    }

    /// A transaction that only reads, from one snapshot: SQLite's deferred `BEGIN`
    /// (no write lock, so writers go on), PostgreSQL's repeatable read (without
    /// it, each statement would see the commits made since the last).
    pub(crate) async fn begin_read(&self) -> Result<Tx> {
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin().await?,
            Backend::Postgres => {
                self.pool
                    .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    .await?
            }
        };
        Ok(tx)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub(crate) fn trigram_samples(&self) -> &accounts::TrigramSamples {
        &self.trigram_samples
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Whether an error violates a given unique index. PostgreSQL names the index;
/// SQLite names the columns instead, so callers pass a hint for each.
pub(crate) fn is_unique_violation(error: &sqlx::Error, hints: &[&str]) -> bool {
    match error {
        sqlx::Error::Database(db) => {
            db.is_unique_violation()
                && hints
                    .iter()
                    .any(|hint| db.constraint() == Some(*hint) || db.message().contains(hint))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backend_follows_the_url() {
        assert_eq!(Backend::from_url("sqlite://x.db").unwrap(), Backend::Sqlite);
        assert_eq!(
            Backend::from_url("postgres://u@h/d").unwrap(),
            Backend::Postgres
        );
        assert!(Backend::from_url("mysql://u@h/d").is_err());
    }
}
