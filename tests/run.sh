#!/usr/bin/env bash
# Runs every test of kbgen on a fresh Debian machine: installs what the tests need
# (Chromium from apt, test tools from npm), then formatting, lints, the Rust tests,
# the JavaScript tests and the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

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
