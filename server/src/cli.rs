//! The command line: every subcommand, with its help text.

use std::net::SocketAddr;

use clap::{Args, Parser, Subcommand};
use umbrella::DEFAULT_DATABASE_URL;

/// Umbrella: run many separate content accounts of one organization from one console.
#[derive(Debug, Parser)]
#[command(name = "umbrella", version, propagate_version = true)]
pub struct Cli {
    /// The database: sqlite://FILE (created if missing) or postgres://USER@HOST[:PORT]/DB.
    /// Migrations are applied on start.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    pub database_url: String,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web console (pages, server functions and the embedded site).
    Serve(Box<ServeArgs>),
    /// Seed the demo organization into an empty database and print its sign-in.
    Demo,
    /// The vendor's operations, made on the database directly.
    #[command(subcommand)]
    Operator(OperatorCommand),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address and port to listen on.
    #[arg(long, env = "UMBRELLA_LISTEN", default_value = "127.0.0.1:3000")]
    pub listen: SocketAddr,

    /// Seed the demo organization first (only into an empty database) and print its sign-in.
    #[arg(long)]
    pub demo: bool,

    /// Serve cookies for HTTPS only: Secure, the session cookie named with the
    /// __Host- prefix, and HSTS on every answer. Set this whenever browsers reach the
    /// console over HTTPS (directly or through a proxy).
    #[arg(long, env = "UMBRELLA_SECURE_COOKIES")]
    pub secure_cookies: bool,

    /// The URL browsers use to reach the console, e.g. https://umbrella.example.org
    /// (needed behind a reverse proxy): state-changing requests must come from its
    /// origin. Defaults to http://<listen>.
    #[arg(long, env = "UMBRELLA_PUBLIC_URL")]
    pub public_url: Option<url::Url>,

    /// The mail relay that sends new owners and users their activation links, e.g.
    /// smtp://127.0.0.1:25, smtp://mail.example.org:587?tls=required (STARTTLS) or
    /// smtps://user:password@mail.example.org (TLS). Without it the console shows
    /// each link to the administrator instead.
    #[arg(
        long,
        env = "UMBRELLA_SMTP_URL",
        requires = "mail_from",
        hide_env_values = true
    )]
    pub smtp_url: Option<String>,

    /// The sender of activation emails, e.g. "Umbrella <no-reply@example.org>".
    #[arg(long, env = "UMBRELLA_MAIL_FROM", requires = "smtp_url")]
    pub mail_from: Option<String>,

    /// A proxy (CIDR, e.g. 10.0.0.0/8 or 127.0.0.1/32) whose X-Forwarded-For and
    /// Forwarded headers are believed for the client's address (audit log, per-address
    /// throttle). Repeat for several; without it those headers are ignored.
    #[arg(
        long = "trusted-proxy",
        env = "UMBRELLA_TRUSTED_PROXIES",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<ipnet::IpNet>,

    /// Failed sign-ins allowed per email within --sign-in-window-minutes, shared by
    /// every server on the database; further attempts are refused (429) until the window passes.
    #[arg(long, env = "UMBRELLA_SIGN_IN_FAILURES", default_value_t = 5,
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub sign_in_failures: u32,

    /// The window over which failed sign-ins are counted.
    #[arg(long, env = "UMBRELLA_SIGN_IN_WINDOW_MINUTES", default_value_t = 15,
          value_parser = clap::value_parser!(i64).range(1..=24 * 60))]
    pub sign_in_window_minutes: i64,

    /// Sign-in, activation and CMS Login attempts allowed per client address and
    /// minute (in this server's memory).
    #[arg(long, env = "UMBRELLA_ATTEMPTS_PER_MINUTE", default_value_t = crate::web::DEFAULT_ATTEMPTS_PER_MINUTE,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub attempts_per_minute: u32,

    /// Requests a second each API token may make (per server).
    #[arg(long, env = "UMBRELLA_API_RATE", default_value_t = 20,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub api_rate: u32,

    /// How many requests above its rate an API token may make at once.
    #[arg(long, env = "UMBRELLA_API_BURST", default_value_t = 40,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub api_burst: u32,

    /// An administrator's session ends after this many minutes without a request.
    #[arg(long, env = "UMBRELLA_SESSION_IDLE_MINUTES", default_value_t = 60,
          value_parser = clap::value_parser!(i64).range(1..=7 * 24 * 60))]
    pub session_idle_minutes: i64,

    /// A session ends this many hours after sign-in, however active.
    #[arg(long, env = "UMBRELLA_SESSION_ABSOLUTE_HOURS", default_value_t = 12,
          value_parser = clap::value_parser!(i64).range(1..=30 * 24))]
    pub session_absolute_hours: i64,

    /// How many minutes a CMS Login session lasts.
    #[arg(long, env = "UMBRELLA_CMS_SESSION_MINUTES", default_value_t = umbrella::auth::CMS_SESSION_DEFAULT_MINUTES,
          value_parser = clap::value_parser!(i64).range(1..=24 * 60))]
    pub cms_session_minutes: i64,

    /// Seconds a client may take to send a request's headers; also how long an idle
    /// keep-alive connection is kept. A slow or stalled client is dropped after it.
    #[arg(long, env = "UMBRELLA_HEADER_TIMEOUT_SECONDS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=300))]
    pub header_timeout_seconds: u64,

    /// Seconds a request's handler may run before it is stopped (503).
    #[arg(long, env = "UMBRELLA_REQUEST_TIMEOUT_SECONDS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub request_timeout_seconds: u64,

    /// Seconds a content import may run before it is stopped (503).
    #[arg(long, env = "UMBRELLA_IMPORT_TIMEOUT_SECONDS", default_value_t = 120,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub import_timeout_seconds: u64,

    /// The largest request body, in MiB, of a server function or form (413 beyond).
    #[arg(long, env = "UMBRELLA_BODY_LIMIT_MIB", default_value_t = 2,
          value_parser = clap::value_parser!(u64).range(1..=64))]
    pub body_limit_mib: u64,

    /// The largest content import (a whole bundle), in MiB (413 beyond).
    #[arg(long, env = "UMBRELLA_IMPORT_LIMIT_MIB", default_value_t = crate::limits::IMPORT_BODY_MIB as u64,
          value_parser = clap::value_parser!(u64).range(1..=256))]
    pub import_limit_mib: u64,

    /// Connections served at once; further clients wait until one ends.
    #[arg(long, env = "UMBRELLA_MAX_CONNECTIONS", default_value_t = 1024,
          value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub max_connections: u64,

    /// Connections served at once from one client address (an IPv6 client per /64);
    /// further ones are closed at once. Trusted proxies are exempt (they carry many
    /// clients).
    #[arg(long, env = "UMBRELLA_MAX_CONNECTIONS_PER_CLIENT", default_value_t = 64,
          value_parser = clap::value_parser!(u64).range(1..=100_000))]
    pub max_connections_per_client: u64,

    /// Seconds an answer may go without the client taking any of it; then the
    /// connection is dropped (a reader that never reads holds nothing for long).
    #[arg(long, env = "UMBRELLA_WRITE_TIMEOUT_SECONDS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub write_timeout_seconds: u64,

    /// CSV exports one organization may run at once (the server runs at most four in
    /// all, whatever the organizations).
    #[arg(long, env = "UMBRELLA_EXPORTS_PER_ORGANIZATION", default_value_t = 1,
          value_parser = clap::value_parser!(u32).range(1..=64))]
    pub exports_per_organization: u32,

    /// Live API tokens an organization may hold at once.
    #[arg(long, env = "UMBRELLA_MAX_API_TOKENS", default_value_t = umbrella::api_tokens::DEFAULT_TOKEN_LIMIT,
          value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub max_api_tokens: u32,

    /// Requests a second all of one organization's API tokens may make together (per server).
    #[arg(long, env = "UMBRELLA_API_ORGANIZATION_RATE", default_value_t = 50,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub api_organization_rate: u32,

    /// How many requests above its rate an organization's tokens may make at once.
    #[arg(long, env = "UMBRELLA_API_ORGANIZATION_BURST", default_value_t = 100,
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub api_organization_burst: u32,

    /// On SIGTERM or SIGINT: seconds requests in flight may still run before the
    /// server exits anyway.
    #[arg(long, env = "UMBRELLA_SHUTDOWN_GRACE_SECONDS", default_value_t = 20,
          value_parser = clap::value_parser!(u64).range(0..=600))]
    pub shutdown_grace_seconds: u64,
}

#[derive(Debug, Subcommand)]
pub enum OperatorCommand {
    /// Create an organization: a parent account and its first Publisher Administrator.
    ///
    /// Reads the administrator's password (at least 10 characters) from standard input
    /// and prints the new parent account's Partner ID.
    CreateOrganization {
        /// The parent account's name (usually the organization's).
        #[arg(long)]
        name: String,
        /// The administrator's full name.
        #[arg(long)]
        admin_name: String,
        /// The administrator's email; it is their sign-in.
        #[arg(long)]
        admin_email: String,
        /// The administrator's phone number.
        #[arg(long)]
        admin_phone: String,
        /// How many accounts may be in use (active or blocked, not templates, not the parent).
        #[arg(long, default_value_t = umbrella::operator::DEFAULT_ACCOUNT_QUOTA, allow_negative_numbers = true)]
        account_quota: i64,
        /// How many console users the parent account may have.
        #[arg(long, default_value_t = umbrella::operator::DEFAULT_USER_QUOTA, allow_negative_numbers = true)]
        user_quota: i64,
    },
    /// Change an organization's quotas; a quota below current use is refused.
    SetQuota {
        /// The Partner ID of the organization's parent account.
        #[arg(long)]
        partner_id: i64,
        /// The new account quota.
        #[arg(long, allow_negative_numbers = true)]
        accounts: Option<i64>,
        /// The new user quota.
        #[arg(long, allow_negative_numbers = true)]
        users: Option<i64>,
    },
    /// List every organization with its usage and quotas.
    ListOrganizations,
    /// List the pending upgrade requests, oldest first (tab-separated). Setting an
    /// organization's quota with `set-quota` closes its request for that quota.
    UpgradeRequests,
    /// Mark an account as a template its organization can copy from (or, with
    /// --off, make it an ordinary account again, which takes a quota place).
    SetTemplate {
        #[arg(long)]
        partner_id: i64,
        /// Turn the template back into an ordinary account.
        #[arg(long)]
        off: bool,
    },
    /// Make a platform template the platform's default, offered to every organization
    /// as "Default Template". An organization's own account is refused: its
    /// administrators could change what every other organization's accounts start with.
    SetDefaultTemplate {
        /// The Partner ID of a platform template (see create-platform-template).
        #[arg(long)]
        partner_id: i64,
    },
    /// Make a template of the platform's own, which no organization can change,
    /// empty or with a copy of an account's content; prints its Partner ID.
    CreatePlatformTemplate {
        /// Its name.
        #[arg(long)]
        name: String,
        /// The Partner ID of an account whose content it starts with (copied now;
        /// later changes to that account do not reach it).
        #[arg(long)]
        from: Option<i64>,
    },
    /// Change how much of a template an organization's new accounts may copy.
    SetCopyLimits {
        /// The Partner ID of the organization's parent account.
        #[arg(long)]
        partner_id: i64,
        /// The most categories a copy may take (default 500).
        #[arg(long, allow_negative_numbers = true)]
        categories: Option<i64>,
        /// The most items of each other kind a copy may take (default 10).
        #[arg(long, allow_negative_numbers = true)]
        items: Option<i64>,
    },
    /// Make an API token for an organization and print it (shown this once: only its
    /// hash is stored). It acts for the organization through /api/v1.
    CreateApiToken {
        /// The Partner ID of the organization's parent account.
        #[arg(long)]
        partner_id: i64,
        /// The token's name, unique among the organization's live tokens; the audit
        /// log names it as who made each change.
        #[arg(long)]
        name: String,
        /// Only reads: every change is refused (403).
        #[arg(long)]
        read_only: bool,
        /// Expires after this many days (1 to 3650); never without it.
        #[arg(long)]
        expires_days: Option<u32>,
    },
    /// Revoke an API token by its ID (as the API tab lists it): it stops working at once.
    RevokeApiToken {
        #[arg(long)]
        token_id: i64,
    },
    /// Print an account's whole content as a JSON bundle on standard output.
    ExportContent {
        #[arg(long)]
        partner_id: i64,
    },
    /// Erase a removed account for good: the account, its content and its users.
    /// Refused for an account that is not removed.
    DeleteAccount {
        #[arg(long)]
        partner_id: i64,
    },
    /// Print the audit log (every entry, or one account's), oldest first.
    Audit {
        /// Only the entries about this account.
        #[arg(long)]
        partner_id: Option<i64>,
    },
    /// Write a consistent copy of the SQLite database to a new file, safely while
    /// servers are serving from it. (For PostgreSQL, use pg_dump.)
    Backup {
        /// The file to create; it must not exist yet.
        #[arg(long)]
        to: std::path::PathBuf,
    },
    /// Replace an account's content with a JSON bundle (a file, or - for standard
    /// input). The bundle is checked whole first; a bad one changes nothing.
    ImportContent {
        #[arg(long)]
        partner_id: i64,
        file: std::path::PathBuf,
    },
}
