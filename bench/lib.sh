# Shared by the bench/*.sh scripts (`. bench/lib.sh` from the repository root).
#
#   step MESSAGE...   a progress line on stderr
#   ensure_pagefind   sets PAGEFIND to the Pagefind CLI (pagefind_extended) of version
#                     PAGEFIND_VERSION, installing it from npm into bench/.tools/npm
#                     when it is missing or another version (not the repository's
#                     package.json; npm runs no install scripts, nothing else is fetched)

PAGEFIND_VERSION=1.6.0
BENCH_TOOLS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/.tools

step() { printf '==> %s\n' "$*" >&2; }

ensure_pagefind() {
  local npm=$BENCH_TOOLS/npm have
  have=$(node -p "require('$npm/node_modules/pagefind/package.json').version" 2>/dev/null || true)
  if [ "$have" != "$PAGEFIND_VERSION" ]; then
    step "installing Pagefind $PAGEFIND_VERSION from npm into $npm"
    mkdir -p "$npm"
    [ -f "$npm/package.json" ] || echo '{"private":true}' >"$npm/package.json"
    (cd "$npm" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error \
      "pagefind@$PAGEFIND_VERSION" >&2)
  fi
  PAGEFIND=$(ls "$npm"/node_modules/@pagefind/*/bin/pagefind_extended 2>/dev/null | head -1 || true)
  [ -x "$PAGEFIND" ] || { echo "bench: no Pagefind binary under $npm/node_modules/@pagefind" >&2; return 1; }
}
