use clap::Parser;
use ipoc::{cli, settings::Settings};
use tracing_subscriber::{EnvFilter, fmt};

/// mimalloc: many small allocations per request on many threads (glibc's malloc spent ~15 % of
/// the list benchmark's CPU; see bench/RESULTS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    fmt()
        .with_env_filter(
            EnvFilter::try_from_env("IPOC_LOG")
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .init();
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(err) => {
            eprintln!("ipoc refuses to start: {err}");
            return std::process::ExitCode::from(2);
        }
    };
    match cli::run(cli, settings).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("ipoc: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
