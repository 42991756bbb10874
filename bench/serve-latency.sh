#!/usr/bin/env bash
# Save-to-reload latency of `kbgen serve`: for a synthetic knowledge base of each size,
# save one article (its title changes) and time until `event: reload` arrives on
# /_live, as an author's browser sees it. Prints a table; not a test.
#
#   bench/serve-latency.sh [SIZES...]        (default: 1000 10000)
#   KBGEN_BIN=path EDITS=20 bench/serve-latency.sh 1000
#
# Needs bash, curl and awk; the kb is generated from tests/fixtures/serve's articles.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${KBGEN_BIN:-target/release/kbgen}
EDITS=${EDITS:-20}
SIZES=("${@:-1000 10000}")
read -r -a SIZES <<<"${SIZES[*]}"
[[ -x $BIN ]] || { echo "no kbgen at $BIN (cargo build --release)" >&2; exit 2; }
BIN=$(realpath "$BIN")
# tmpfs when there is one: a disk's file creation time would hide kbgen's own.
SCRATCH=$(mktemp -d -p "${TMPDIR:-$([[ -d /dev/shm ]] && echo /dev/shm || echo /tmp)}")
SERVER=
cleanup() {
  [[ -n $SERVER ]] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  rm -rf "$SCRATCH"
}
trap cleanup EXIT

# N articles: copies of the fixture articles with their own ids, titles, products and tags.
generate() {
  local n=$1 dir=$2
  mkdir -p "$dir/kb"
  awk -v n="$n" -v dir="$dir/kb" '
    BEGIN {
      split("Okta Slack Zoom Jira Salesforce Workday Box GitHub Azure Google", prod, " ")
      for (i = 0; i < n; i++) {
        id = sprintf("article-%05d", i)
        f = dir "/" id ".yaml"
        printf "title: Provisioning to %s fails with error %d for synced users\n", prod[i % 10 + 1], i > f
        printf "summary: Pushing a profile to %s fails after a name change (case %d).\n", prod[i % 10 + 1], i > f
        printf "products: [%s, %s]\n", prod[i % 10 + 1], prod[(i * 7) % 10 + 1] > f
        printf "tags: [provisioning, group-%d]\n", i % 50 > f
        printf "created: 2024-%02d-%02d\n", i % 12 + 1, i % 28 + 1 > f
        printf "symptoms:\n  - After a name change, provisioning to %s fails for user %d.\n", prod[i % 10 + 1], i > f
        printf "errors:\n  - \"Request_BadRequest %d: Unable to update the specified properties for <user> in %s\"\n", 4000 + i, prod[i % 10 + 1] > f
        printf "environment:\n  - %s with directory sync\n", prod[i % 10 + 1] > f
        printf "cause: |\n  The directory masters attribute set %d on premises, so %s refuses the update.\n", i, prod[i % 10 + 1] > f
        printf "resolution:\n  steps:\n    - Open **Applications > %s > Provisioning**.\n    - Change the provisioning type to **Licenses Only**.\n    - Save the changes.\n", prod[i % 10 + 1] > f
        close(f)
      }
    }'
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Prints "median p95 max" of the numbers on stdin.
stats() {
  sort -n | awk '{ v[NR] = $1 } END {
    p95 = int(NR * 0.95 + 0.5); if (p95 < 1) p95 = 1; if (p95 > NR) p95 = NR
    printf "%d %d %d", v[int((NR + 1) / 2)], v[p95], v[NR] }'
}

measure() {
  local n=$1 dir="$SCRATCH/kb-$1"
  generate "$n" "$dir"
  local log="$dir/serve.log"
  local started; started=$(now_ms)
  (cd "$dir" && exec "$BIN" serve --port 0 --out site >"$log" 2>&1) &
  SERVER=$!
  local url=
  for _ in $(seq 1 600); do
    url=$(grep -o 'http://127.0.0.1:[0-9]*/' "$log" | head -1 || true)
    [[ -n $url ]] && break
    sleep 0.1
  done
  [[ -n $url ]] || { echo "serve did not start for $n articles" >&2; cat "$log" >&2; exit 1; }
  local startup=$(($(now_ms) - started))
  coproc SSE { exec curl -sN "${url}_live"; }
  sleep 0.3
  local file="$dir/kb/article-00042.yaml" times=()
  for i in $(seq 1 "$EDITS"); do
    local t0; t0=$(now_ms)
    sed -i "1s/.*/title: Edited title number $i for provisioning/" "$file"
    local line=
    while IFS= read -r -t 10 line <&"${SSE[0]}"; do
      [[ $line == "event: reload" ]] && break
      [[ $line == "event: error" ]] && { echo "build failed: see $log" >&2; exit 1; }
    done
    [[ $line == "event: reload" ]] || { echo "no reload within 10 s ($n articles)" >&2; exit 1; }
    times+=($(($(now_ms) - t0)))
    sleep 0.2
  done
  kill "$SSE_PID" 2>/dev/null || true
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
  SERVER=
  local server_ms
  server_ms=$(grep -o 'incremental rebuild in [0-9]* ms' "$log" | awk '{ print $4 }' | stats)
  read -r med p95 max <<<"$(printf '%s\n' "${times[@]}" | stats)"
  read -r smed _ _ <<<"$server_ms"
  printf '| %6d | %5d | %9d | %6d | %6d | %6d | %17d |\n' \
    "$n" "$EDITS" "$startup" "$med" "$p95" "$max" "$smed"
  STAGES+=("$(stage_row "$n" "$log")")
}

# Median of each stage of the server's incremental rebuilds (from its log lines).
stage_row() {
  local n=$1 log=$2 row cell
  row=$(printf '| %6d |' "$n")
  for stage in check plan pages signatures write; do
    cell=$(grep 'incremental rebuild in' "$log" | grep -o "$stage [0-9.]*" | awk '{ print $2 }' |
      sort -n | awk '{ v[NR] = $1 } END { if (NR) printf "%.1f", v[int((NR + 1) / 2)]; else printf "-" }')
    row+=$(printf ' %10s |' "$cell")
  done
  echo "$row"
}

echo "kbgen serve: save-to-reload latency ($(nproc) cores, $BIN)"
echo
echo "| articles | edits | startup ms | median | p95 | max | server rebuild ms |"
echo "| -------: | ----: | ---------: | -----: | --: | --: | ----------------: |"
STAGES=()
for n in "${SIZES[@]}"; do
  measure "$n"
done
echo
echo "Where the server's time goes (median ms per incremental rebuild):"
echo
echo "| articles |      check |       plan |      pages | signatures |      write |"
echo "| -------: | ---------: | ---------: | ---------: | ---------: | ---------: |"
printf '%s\n' "${STAGES[@]}"
echo
echo "Latency: file written -> 'event: reload' read by an SSE client (curl), in ms;"
echo "it includes the watcher's 25 ms debounce. Load average now: $(cut -d' ' -f1-3 /proc/loadavg)."
echo "Goals: <= 100 ms at 1k articles, <= 250 ms at 10k."
