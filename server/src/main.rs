use clap::Parser;
use tracing_subscriber::EnvFilter;
use umbrella_server::cli::Cli;

fn main() -> std::process::ExitCode {
    few_malloc_arenas();
    serve()
}

/// glibc gives each thread that allocates its own arena (up to eight per core), and a
/// request's work hops between tokio's workers, so memory one request freed is not
/// reused by the next on another thread: the largest-bundle test's export peaked
/// anywhere from 176 to 214 MiB with the same work, and 124-128 MiB with one arena.
/// glibc reads `MALLOC_ARENA_MAX` only as the process starts (and `mallopt` would need
/// `unsafe`, which this workspace forbids), so the binary starts itself again, once,
/// with two arenas, unless the operator has chosen a value. `exec` keeps the process
/// ID, the arguments and open files; if it fails, the server runs as it is.
fn few_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none()
        && let Ok(exe) = std::env::current_exe()
    {
        use std::os::unix::process::CommandExt;
        let failed = std::process::Command::new(exe)
            .args(std::env::args_os().skip(1))
            .env("MALLOC_ARENA_MAX", "2")
            .exec();
        eprintln!("warning: running with glibc's default malloc arenas ({failed})");
    }
}

#[tokio::main]
async fn serve() -> std::process::ExitCode {
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
