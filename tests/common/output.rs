//! Running the kbgen binary to completion from an integration test, colours off and
//! no input, for the tests that read its exit code and output.

use std::path::Path;
use std::process::{Command, Output};

/// Runs kbgen in `dir` with `args`, colours off.
pub fn kbgen_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("kbgen runs")
}
