//! What each subcommand does: parse, call the core, print.

use std::io::{BufRead, IsTerminal, Write};
use std::time::Duration;

use umbrella::audit::AuditContext;
use umbrella::auth::AuthLimits;
use umbrella::clock::Timestamp;
use umbrella::domain::OrganizationSummary;
use umbrella::domain::audit::AuditEntry;
use umbrella::domain::{ApiTokenForm, ApiTokenId, PartnerId, Password};
use umbrella::operator::OrganizationForm;
use umbrella::upgrades::PendingUpgrade;
use umbrella::{Error, Umbrella};

use crate::cli::{Cli, Command, OperatorCommand, ServeArgs};
use crate::limits::RequestLimits;
use crate::listener::ConnectionLimits;
use crate::web::{WebConfig, router};

/// Runs the command line; the error is what to print before exiting with failure.
pub async fn run(cli: Cli) -> Result<(), String> {
    let umbrella = Umbrella::connect(&cli.database_url)
        .await
        .map_err(|e| describe(&e, "cannot open the database"))?;
    let result = match cli.command {
        Command::Serve(args) => serve(&umbrella, *args).await,
        Command::Demo => demo(&umbrella).await,
        Command::Operator(command) => operator(&umbrella, command).await,
    };
    umbrella.db().close().await;
    result
}

/// A person-readable account of an error, with every invalid field named.
fn describe(error: &Error, context: &str) -> String {
    match error {
        Error::Invalid(fields) => fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("\n"),
        Error::Database(cause) | Error::Unavailable(cause) => format!("{context}: {cause}"),
        Error::Migration(cause) => format!("{context}: {cause}"),
        other => other.to_string(),
    }
}

async fn demo(umbrella: &Umbrella) -> Result<(), String> {
    match umbrella.seed_demo().await {
        Ok(Some(seed)) => {
            println!(
                "Seeded the demo organization (parent Partner ID {}).\nSign in as {} with password {}",
                seed.parent, seed.email, seed.password
            );
            Ok(())
        }
        Ok(None) => {
            println!("The database already has organizations; the demo was not seeded.");
            Ok(())
        }
        Err(e) => Err(describe(&e, "seeding the demo failed")),
    }
}

async fn serve(umbrella: &Umbrella, args: ServeArgs) -> Result<(), String> {
    let umbrella = &umbrella
        .clone()
        .with_cms_session_minutes(args.cms_session_minutes)
        .with_api_token_limit(args.max_api_tokens)
        .with_auth_limits(AuthLimits {
            failures: args.sign_in_failures,
            failure_window_seconds: args.sign_in_window_minutes * 60,
            session_idle_seconds: args.session_idle_minutes * 60,
            session_absolute_seconds: args.session_absolute_hours * 60 * 60,
        });
    if args.demo {
        match umbrella.seed_demo().await {
            Ok(Some(seed)) => println!(
                "Seeded the demo organization. Sign in as {} with password {}",
                seed.email, seed.password
            ),
            Ok(None) => println!(
                "The database already has organizations; the demo was not seeded \
                 (the demo sign-in still works if it was seeded before: {} / {}).",
                umbrella::demo::DEMO_ADMIN_EMAIL,
                umbrella::demo::DEMO_ADMIN_PASSWORD
            ),
            Err(e) => return Err(describe(&e, "seeding the demo failed")),
        }
    }
    let mut config = WebConfig::new(args.listen);
    config.cookies = umbrella::web::CookiePolicy {
        secure: args.secure_cookies,
    };
    if let Some(url) = &args.public_url {
        config.public_origin = url.origin().ascii_serialization();
    }
    config.trusted_proxies = args.trusted_proxies.clone();
    if let (Some(url), Some(from)) = (&args.smtp_url, &args.mail_from) {
        let mailer = app::mail::Mailer::new(url, from, &config.public_origin)?;
        config.mailer = Some(std::sync::Arc::new(mailer));
    }
    config.attempts_per_minute = args.attempts_per_minute;
    // Both are at least 1 (clap's range).
    if let (Some(per_second), Some(burst)) = (
        std::num::NonZeroU32::new(args.api_rate),
        std::num::NonZeroU32::new(args.api_burst),
    ) {
        config.api_rate = crate::api::ApiRate { per_second, burst };
    }
    if let (Some(per_second), Some(burst)) = (
        std::num::NonZeroU32::new(args.api_organization_rate),
        std::num::NonZeroU32::new(args.api_organization_burst),
    ) {
        config.api_organization_rate = crate::api::ApiRate { per_second, burst };
    }
    config.exports_per_organization = args.exports_per_organization;
    const MIB: usize = 1024 * 1024;
    config.limits = RequestLimits {
        body_bytes: args.body_limit_mib as usize * MIB,
        import_body_bytes: args.import_limit_mib as usize * MIB,
        handler_timeout: Duration::from_secs(args.request_timeout_seconds),
        import_timeout: Duration::from_secs(args.import_timeout_seconds),
    };
    let connections = ConnectionLimits {
        header_read_timeout: Duration::from_secs(args.header_timeout_seconds),
        max_connections: args.max_connections as usize,
        max_connections_per_client: args.max_connections_per_client as usize,
        write_timeout: Duration::from_secs(args.write_timeout_seconds),
        exempt: args.trusted_proxies.clone(),
        shutdown_grace: Duration::from_secs(args.shutdown_grace_seconds),
    };
    if !args.listen.ip().is_loopback() && !args.secure_cookies {
        tracing::warn!(
            listen = %args.listen,
            "serving on a non-loopback address without --secure-cookies: session cookies \
             would travel over plain HTTP. Serve over HTTPS and set --secure-cookies."
        );
    }
    if args.listen.ip().is_unspecified() && args.public_url.is_none() {
        tracing::warn!(
            "no --public-url: changes are accepted only from browsers that send \
             Sec-Fetch-Site (the listen address {} is no origin a browser shows)",
            args.listen
        );
    }
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let address = listener
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    tokio::spawn(purge_expired(umbrella.clone()));
    // Bulk jobs a previous run left half done go on where they stood.
    match umbrella.resume_bulk_jobs().await {
        Ok(0) => {}
        Ok(n) => tracing::info!(jobs = n, "resumed unfinished bulk jobs"),
        Err(e) => tracing::error!(error = ?e, "could not resume unfinished bulk jobs"),
    }
    let router = router(umbrella.clone(), &config);
    // Installed before the server says it listens: a SIGTERM that comes at once must
    // start the graceful shutdown, not find the default action (exit) still in place.
    let shutdown = shutdown_signal()?;
    println!("Umbrella is listening on http://{address}");
    let _ = std::io::stdout().flush();
    crate::listener::serve(listener, router, connections, shutdown).await;
    Ok(())
}

/// Expired sessions and old failed attempts count for nothing anyway; this only
/// keeps their tables small.
async fn purge_expired(umbrella: Umbrella) {
    let mut every_ten_minutes = tokio::time::interval(Duration::from_secs(10 * 60));
    loop {
        every_ten_minutes.tick().await;
        if let Err(e) = umbrella.purge_expired_sessions().await {
            tracing::warn!(error = ?e, "could not purge expired sessions");
        }
        if let Err(e) = umbrella.purge_old_failures().await {
            tracing::warn!(error = ?e, "could not purge old failed attempts");
        }
    }
}

/// Resolves on SIGINT or SIGTERM. The handlers are registered when this is called,
/// not when the future is first polled.
fn shutdown_signal() -> Result<impl Future<Output = ()>, String> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let register = |kind: SignalKind| {
            signal(kind).map_err(|e| format!("cannot handle the shutdown signals: {e}"))
        };
        let mut interrupt = register(SignalKind::interrupt())?;
        let mut terminate = register(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {},
                _ = terminate.recv() => {},
            }
            tracing::info!("shutting down");
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
            tracing::info!("shutting down");
        })
    }
}

/// Every command that changes something is recorded in the audit log, as the
/// operator, refused or not.
async fn operator(umbrella: &Umbrella, command: OperatorCommand) -> Result<(), String> {
    let audit = AuditContext::operator();
    match command {
        OperatorCommand::CreateOrganization {
            name,
            admin_name,
            admin_email,
            admin_phone,
            account_quota,
            user_quota,
        } => {
            let password = read_password(&admin_email)?;
            let form = OrganizationForm {
                name,
                admin_name,
                admin_email,
                admin_phone,
                account_quota,
                user_quota,
            };
            let parent = umbrella
                .create_organization(&audit, &form, password)
                .await
                .map_err(|e| describe(&e, "creating the organization failed"))?;
            println!("{parent}");
            Ok(())
        }
        OperatorCommand::SetQuota {
            partner_id,
            accounts,
            users,
        } => {
            let partner_id = PartnerId::new(partner_id);
            let summary = umbrella
                .set_quota(&audit, partner_id, accounts, users)
                .await
                .map_err(|e| describe(&e, "setting the quota failed"))?;
            print_organizations(&[summary]);
            Ok(())
        }
        OperatorCommand::SetTemplate { partner_id, off } => {
            let partner_id = PartnerId::new(partner_id);
            let account = umbrella
                .set_template(&audit, partner_id, !off)
                .await
                .map_err(|e| describe(&e, "changing the template flag failed"))?;
            let state = if account.is_template {
                "is now a template"
            } else {
                "is no longer a template"
            };
            println!("{} ({}) {state}", account.name, account.partner_id);
            Ok(())
        }
        OperatorCommand::SetDefaultTemplate { partner_id } => {
            let id = PartnerId::new(partner_id);
            umbrella
                .set_default_template(&audit, id)
                .await
                .map_err(|e| describe(&e, "setting the default template failed"))?;
            println!("{partner_id} is now the platform's default template");
            Ok(())
        }
        OperatorCommand::CreatePlatformTemplate { name, from } => {
            let from = from.map(PartnerId::new);
            let id = umbrella
                .create_platform_template(&audit, &name, from)
                .await
                .map_err(|e| describe(&e, "creating the platform template failed"))?;
            println!("{id}");
            Ok(())
        }
        OperatorCommand::SetCopyLimits {
            partner_id,
            categories,
            items,
        } => {
            let partner_id = PartnerId::new(partner_id);
            let limits = umbrella
                .set_copy_limits(&audit, partner_id, categories, items)
                .await
                .map_err(|e| describe(&e, "setting the copy limits failed"))?;
            println!(
                "copy limits: {} categories, {} items of each other kind",
                limits.categories, limits.items
            );
            Ok(())
        }
        OperatorCommand::CreateApiToken {
            partner_id,
            name,
            read_only,
            expires_days,
        } => {
            let partner_id = PartnerId::new(partner_id);
            let form = ApiTokenForm {
                name,
                access: if read_only { "read_only" } else { "read_write" }.to_owned(),
                expires_days: expires_days.map(|d| d.to_string()).unwrap_or_default(),
            };
            let created = umbrella
                .operator_create_api_token(&audit, partner_id, &form)
                .await
                .map_err(|e| describe(&e, "creating the token failed"))?;
            let token = &created.token;
            eprintln!(
                "API token {} \"{}\" ({}{}) for the organization of {partner_id}; \
                 it is shown this once:",
                token.id,
                token.name,
                token.access.label(),
                token
                    .expires_at
                    .map(|at| format!(", expires {} UTC", at.display()))
                    .unwrap_or_default()
            );
            println!("{}", created.secret.as_str());
            Ok(())
        }
        OperatorCommand::RevokeApiToken { token_id } => {
            let id = ApiTokenId::new(token_id);
            umbrella
                .operator_revoke_api_token(&audit, id)
                .await
                .map_err(|e| describe(&e, "revoking the token failed"))?;
            eprintln!("API token {id} revoked.");
            Ok(())
        }
        OperatorCommand::ExportContent { partner_id } => {
            let bundle = umbrella
                .export_account_content(PartnerId::new(partner_id))
                .await
                .map_err(|e| describe(&e, "exporting the content failed"))?;
            println!("{}", bundle.to_json());
            Ok(())
        }
        OperatorCommand::ImportContent { partner_id, file } => {
            let json = if file.as_os_str() == "-" {
                std::io::read_to_string(std::io::stdin())
            } else {
                std::fs::read_to_string(&file)
            }
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let partner_id = PartnerId::new(partner_id);
            let counts = umbrella
                .import_account_content(&audit, partner_id, &json)
                .await
                .map_err(|e| describe(&e, "importing the content failed"))?;
            let summary: Vec<String> = counts
                .by_kind()
                .map(|(kind, count)| format!("{count} {}", kind.label()))
                .collect();
            println!("imported: {}", summary.join(", "));
            Ok(())
        }
        OperatorCommand::DeleteAccount { partner_id } => {
            let id = PartnerId::new(partner_id);
            umbrella
                .delete_account(&audit, id)
                .await
                .map_err(|e| describe(&e, "deleting the account failed"))?;
            println!("account {partner_id} deleted, with its content and users");
            Ok(())
        }
        OperatorCommand::Audit { partner_id } => {
            let entries = umbrella
                .operator_audit_log(partner_id.map(PartnerId::new))
                .await
                .map_err(|e| describe(&e, "reading the audit log failed"))?;
            print_audit(&entries)
        }
        OperatorCommand::Backup { to } => {
            umbrella
                .db()
                .backup_to(&to)
                .await
                .map_err(|e| describe(&e, "the backup failed"))?;
            println!("Backed up to {}", to.display());
            Ok(())
        }
        OperatorCommand::UpgradeRequests => {
            let requests = umbrella
                .pending_upgrade_requests()
                .await
                .map_err(|e| describe(&e, "listing upgrade requests failed"))?;
            print_upgrade_requests(&requests)
        }
        OperatorCommand::ListOrganizations => {
            let organizations = umbrella
                .list_organizations()
                .await
                .map_err(|e| describe(&e, "listing organizations failed"))?;
            print_organizations(&organizations);
            Ok(())
        }
    }
}

/// Reads one line from standard input as the new password. It is never echoed
/// back, printed or logged.
fn read_password(email: &str) -> Result<Password, String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!(
            "Password for {email} (at least {} characters): ",
            Password::MIN
        );
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
    let password = line.trim_end_matches(['\n', '\r']).to_owned();
    Password::parse_new(password).map_err(|m| format!("password: {m}"))
}

fn print_organizations(organizations: &[OrganizationSummary]) {
    println!(
        "{:<10}  {:<30}  {:<32}  {:>15}  {:>11}",
        "PARTNER ID", "NAME", "ADMIN EMAIL", "ACCOUNTS", "USERS"
    );
    for org in organizations {
        println!(
            "{:<10}  {:<30}  {:<32}  {:>15}  {:>11}",
            org.parent(),
            org.name,
            org.admin_email,
            format!("{}/{}", org.accounts_in_use, org.account_quota),
            format!("{}/{}", org.users_in_use, org.user_quota),
        );
    }
}

/// One line per pending request, tab-separated like the audit listing.
fn print_upgrade_requests(requests: &[PendingUpgrade]) -> Result<(), String> {
    let mut out = csv::WriterBuilder::new()
        .delimiter(b'\t')
        .from_writer(std::io::stdout().lock());
    let failed = |e: csv::Error| format!("cannot write the upgrade requests: {e}");
    out.write_record([
        "PARTNER ID",
        "ORGANIZATION",
        "MORE",
        "HOW MANY",
        "ASKED BY",
        "WHEN (UTC)",
        "MESSAGE",
    ])
    .map_err(failed)?;
    for r in requests {
        out.write_record([
            r.parent.to_string(),
            r.organization.clone(),
            r.kind.as_db().to_owned(),
            r.how_many.to_string(),
            r.requested_by.clone(),
            r.requested_at.display_seconds(),
            r.message.clone(),
        ])
        .map_err(failed)?;
    }
    out.flush()
        .map_err(|e| format!("cannot write the upgrade requests: {e}"))
}

/// One line per entry, tab-separated (TSV), for people and for `cut`/`awk`; a
/// field holding a tab, a line break or a quote is quoted, as TSV readers expect.
fn print_audit(entries: &[AuditEntry]) -> Result<(), String> {
    let mut out = csv::WriterBuilder::new()
        .delimiter(b'\t')
        .from_writer(std::io::stdout().lock());
    let failed = |e: csv::Error| format!("cannot write the audit listing: {e}");
    out.write_record([
        "ID",
        "WHEN (UTC)",
        "ORGANIZATION",
        "WHO",
        "ACTING AS",
        "ACTION",
        "ACCOUNT",
        "FROM",
        "OUTCOME",
        "DETAIL",
    ])
    .map_err(failed)?;
    let or_dash = |value: Option<String>| value.unwrap_or_else(|| "-".to_owned());
    for e in entries {
        out.write_record([
            e.id.to_string(),
            Timestamp::from_millis(e.at).display_seconds(),
            or_dash(e.organization_id.map(|o| o.to_string())),
            e.actor.clone(),
            or_dash(e.acting_as.clone()),
            e.action.clone(),
            or_dash(e.partner_id.map(|p| p.to_string())),
            e.address.clone(),
            e.outcome.as_db().to_owned(),
            e.detail.clone(),
        ])
        .map_err(failed)?;
    }
    out.flush()
        .map_err(|e| format!("cannot write the audit listing: {e}"))
}
