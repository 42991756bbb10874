#!/usr/bin/env bash
# Quality checks of built sites: HTML validity (Nu validator) and internal links and
# fragments (lychee, offline). Accessibility (axe-core) runs with the browser tests
# (tests/browser/a11y.test.mjs).
#
# Usage: bash tests/quality/run.sh [SITE_DIR...]
# With no argument it builds, with $KBGEN_BIN (else target/release, else target/debug):
# the repository's kb/, the site fixture tests/fixtures/site/basic, the hostile kb
# tests/fixtures/hostile/kb and the lifecycle fixture (as the staff site, with drafts). Every site gets the HTML check; the hostile site is left
# out of the link check, since its links are broken on purpose (`#"><script>…`).
set -euo pipefail
cd "$(dirname "$0")/../.."
here=tests/quality
if [ $# -gt 0 ]; then
  bash "$here/html.sh" "$@"
  bash "$here/links.sh" "$@"
  exit 0
fi
bin=${KBGEN_BIN:-}
for candidate in "$bin" target/release/kbgen target/debug/kbgen; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then bin=$candidate; break; fi
done
[ -x "$bin" ] || { echo "kbgen binary not found: run cargo build" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin" build --quiet --kb kb --out "$work/kb-site"
basic=tests/fixtures/site/basic
basic_args=(--kb "$basic/kb" --out "$work/basic-site")
[ -d "$basic/templates" ] && basic_args+=(--templates "$basic/templates")
[ -f "$basic/kbgen.yaml" ] && basic_args+=(--config "$basic/kbgen.yaml")
"$bin" build --quiet "${basic_args[@]}"
"$bin" build --quiet --kb tests/fixtures/hostile/kb --out "$work/hostile-site" \
  --templates "$work/no-templates" --config "$work/no-config.yaml"
# Every lifecycle page: drafts and internal items marked, redirects, a retired banner.
"$bin" build --quiet --kb tests/fixtures/site/lifecycle/kb --out "$work/lifecycle-site" \
  --templates "$work/no-templates" --config "$work/no-config.yaml" \
  --drafts --audience internal --base-url https://kb.example.com/
bash "$here/html.sh" "$work/kb-site" "$work/basic-site" "$work/hostile-site" "$work/lifecycle-site"
bash "$here/links.sh" "$work/kb-site" "$work/basic-site" "$work/lifecycle-site"
echo "quality checks passed"
