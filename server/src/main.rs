use clap::Parser;
use tracing_subscriber::EnvFilter;
use umbrella_server::cli::Cli;

/// mimalloc rather than glibc's malloc: glibc gives each allocating thread its own
/// arena, and a request's work hops between tokio's workers, so memory one request
/// freed is not reused by the next: the largest-bundle test's export peaked anywhere
/// from 176 to 214 MiB with the same work (124–128 MiB with a single glibc arena).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info")),
        )
        .with_writer(std::io::stderr)
        .init();
    match umbrella_server::commands::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            std::process::ExitCode::FAILURE
        }
    }
}
