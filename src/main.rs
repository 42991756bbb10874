use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = kbgen::cli::Cli::parse();
    match kbgen::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("kbgen: error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(2)
        }
    }
}
