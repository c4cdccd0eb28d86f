//! What each subcommand does: parse, call the core, print.

use std::io::{BufRead, IsTerminal, Write};
use std::time::Duration;

use umbrella::domain::{PartnerId, Password};
use umbrella::operator::OrganizationForm;
use umbrella::storage::organizations::OrganizationSummary;
use umbrella::{Error, Umbrella};

use crate::cli::{Cli, Command, OperatorCommand, ServeArgs};
use crate::web::{WebConfig, router};

/// Runs the command line; the error is what to print before exiting with failure.
pub async fn run(cli: Cli) -> Result<(), String> {
    let umbrella = Umbrella::connect(&cli.database_url)
        .await
        .map_err(|e| describe(&e, "cannot open the database"))?;
    let result = match cli.command {
        Command::Serve(args) => serve(&umbrella, args).await,
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
        Error::Database(cause) => format!("{context}: {cause}"),
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
    let config = WebConfig {
        listen: args.listen,
        cookies: app::server::CookiePolicy {
            secure: args.secure_cookies,
        },
    };
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let address = listener
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    tokio::spawn(purge_expired_sessions(umbrella.clone()));
    println!("Umbrella is listening on http://{address}");
    let _ = std::io::stdout().flush();
    axum::serve(listener, router(umbrella.clone(), &config))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("the server stopped: {e}"))
}

/// Expired sessions are refused anyway; this only keeps the table small.
async fn purge_expired_sessions(umbrella: Umbrella) {
    let mut every_hour = tokio::time::interval(Duration::from_secs(60 * 60));
    loop {
        every_hour.tick().await;
        if let Err(e) = umbrella.purge_expired_sessions().await {
            tracing::warn!(error = ?e, "could not purge expired sessions");
        }
    }
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

async fn operator(umbrella: &Umbrella, command: OperatorCommand) -> Result<(), String> {
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
                .create_organization(&form, password)
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
            let summary = umbrella
                .set_quota(PartnerId::new(partner_id), accounts, users)
                .await
                .map_err(|e| describe(&e, "setting the quota failed"))?;
            print_organizations(&[summary]);
            Ok(())
        }
        OperatorCommand::SetTemplate { partner_id, off } => {
            let account = umbrella
                .set_template(PartnerId::new(partner_id), !off)
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
            umbrella
                .set_default_template(PartnerId::new(partner_id))
                .await
                .map_err(|e| describe(&e, "setting the default template failed"))?;
            println!("{partner_id} is now the platform's default template");
            Ok(())
        }
        OperatorCommand::SetCopyLimits {
            partner_id,
            categories,
            items,
        } => {
            let limits = umbrella
                .set_copy_limits(PartnerId::new(partner_id), categories, items)
                .await
                .map_err(|e| describe(&e, "setting the copy limits failed"))?;
            println!(
                "copy limits: {} categories, {} items of each other kind",
                limits.categories, limits.items
            );
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
            let counts = umbrella
                .import_account_content(PartnerId::new(partner_id), &json)
                .await
                .map_err(|e| describe(&e, "importing the content failed"))?;
            let summary: Vec<String> = counts
                .by_kind()
                .iter()
                .map(|(kind, count)| format!("{count} {kind}"))
                .collect();
            println!("imported: {}", summary.join(", "));
            Ok(())
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
