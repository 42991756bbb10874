#!/usr/bin/env bash
# Internal links and #fragments of built sites, offline, with lychee, installed with
# cargo into target/tools/ of this checkout when missing (never into ~/.cargo/bin).
# Usage: bash tests/quality/links.sh SITE_DIR [SITE_DIR...]
# External http(s) links are skipped (--offline): tests never use the network.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 SITE_DIR..." >&2; exit 2; }
tools="$(cd "$(dirname "$0")/../.." && pwd)/target/tools"
lychee="$tools/bin/lychee"
if [ ! -x "$lychee" ]; then
  echo "installing lychee into $tools (cargo install --root; a few minutes)"
  cargo install lychee --locked --quiet --root "$tools"
fi
status=0
for site in "$@"; do
  root=$(cd "$site" && pwd)
  count=$(find "$root" -name '*.html' | wc -l)
  [ "$count" -gt 0 ] || { echo "no HTML files in $site" >&2; exit 1; }
  echo "lychee: links of $count pages in $site"
  # --root-dir resolves the root-relative links of 404.html (served from any depth).
  if ! (cd "$root" && "$lychee" --offline --include-fragments --no-progress \
      --root-dir "$root" './**/*.html'); then
    status=1
  fi
done
exit $status
