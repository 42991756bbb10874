#!/usr/bin/env bash
# Runs every test of kbgen on a fresh Debian machine: installs what the tests need
# (Chromium from apt, test tools from npm), then formatting, lints, the Rust tests,
# the JavaScript tests and the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

# What the run may not touch: the user's cargo bin (test tools go to target/tools).
outside() { ls -A "${CARGO_HOME:-$HOME/.cargo}/bin" 2>/dev/null | sort; }
outside_before=$(outside)

step "installing test tools"
if ! command -v chromium >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq nodejs npm >/dev/null
fi
npm ci --no-audit --no-fund --loglevel=error

step "cargo fmt --check"
cargo fmt --check

step "cargo clippy"
cargo clippy --all-targets --locked -- -D warnings

step "cargo test"
cargo test --locked

step "building kbgen for the JavaScript and browser tests"
cargo build --release --locked
export KBGEN_BIN="$PWD/target/release/kbgen"

step "quality checks of the built sites (Nu HTML validator, lychee links and fragments)"
bash tests/quality/run.sh

step "node tests (matcher and search clients, browser)"
node --test tests/js/ tests/browser/

step "nothing installed outside the checkout"
if [ "$(outside)" != "$outside_before" ]; then
  echo "the run added to ${CARGO_HOME:-$HOME/.cargo}/bin:" >&2
  diff <(echo "$outside_before") <(outside) >&2 || true
  exit 1
fi
echo "ok: ${CARGO_HOME:-$HOME/.cargo}/bin unchanged; test tools are in target/tools"
