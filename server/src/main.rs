use ipoc::cli;

/// mimalloc: many small allocations per request on many threads (glibc's malloc spent ~15 % of
/// the list benchmark's CPU; see bench/RESULTS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    cli::main().await
}
