//! The `ipoc` program, built with the test crate so that tests can start it as separate server
//! processes (`CARGO_BIN_EXE_ipoc-process`).

#[tokio::main]
async fn main() -> std::process::ExitCode {
    ipoc::cli::main().await
}
