//! The `kbgen` binary: parses the command line, runs it, prints the error chain.

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

// A build allocates many small strings on every core (words, tokens, pages);
// mimalloc's per-thread heaps make that markedly cheaper than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = kbgen::cli::Cli::parse();
    match kbgen::run(cli) {
        Ok(code) => code,
        // The reader went away somewhere the commands do not handle it: nobody is
        // listening, so stop quietly, as ripgrep and fd do.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            let mut text = format!("kbgen: error: {err}\n");
            for cause in err.chain().skip(1) {
                text.push_str(&format!("  caused by: {cause}\n"));
            }
            // stderr may be closed too; the exit code still tells
            let _ = std::io::stderr().write_all(text.as_bytes());
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
