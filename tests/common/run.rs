//! Running the kbgen binary from an integration test.

use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Runs kbgen with `args` in `dir`, writing `stdin` to it. A run that fails before
/// reading its input closes the pipe: that is not an error here.
pub fn kbgen_in(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}
