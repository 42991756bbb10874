#!/usr/bin/env bash
# `kbgen import markdown` on generated sources; prints ONE markdown table.
#
#   bash bench/import-bench.sh               # 10,000 sources, median of 3 runs
#   options: --count N (sources, default 10000)  --runs N (default 3)
#            --work DIR (default: a new folder under /dev/shm, removed at the end)
#
# Builds kbgen in release mode, generates N Markdown sources in the shapes the import
# reads (front matter with a non-YAML line, Learn markup, Symptoms / Cause / Resolution
# with numbered steps, error texts in code blocks with GUIDs and timestamps, some
# without a required section), then times three cases, each into a fresh or prepared
# --kb on tmpfs: a first import, a re-run where every file is unchanged, and a
# --dry-run. Wall time is the median of the runs. Not part of the test command.
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=10000 RUNS=3 WORK=""
while [ $# -gt 0 ]; do
  case "$1" in
    --count) COUNT=$2; shift ;;
    --runs) RUNS=$2; shift ;;
    --work) WORK=$2; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "bench/import-bench.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
. bench/lib.sh

CLEAN=0
if [ -z "$WORK" ]; then WORK=$(mktemp -d /dev/shm/kbgen-import-bench.XXXXXX); CLEAN=1; fi
trap '[ "$CLEAN" = 1 ] && rm -rf "$WORK"' EXIT

step "release build"
cargo build --release --quiet
BIN=${CARGO_TARGET_DIR:-target}/release/kbgen

step "generate $COUNT sources in $WORK/src"
rm -rf "$WORK"; mkdir -p "$WORK/src"
python3 - "$WORK/src" "$COUNT" <<'PY'
import os, random, sys
out, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(17)
products = ["Contoso Portal", "Fabrikam Sync", "Northwind Mail", "Tailspin VPN", "Litware Backup"]
codes = ["AADSTS50105", "0x80070005", "Error 1603", "SyncTimeoutException", "KubeletNotReady"]
words = "service account folder setting profile token policy queue volume driver session".split()
def sentence(k):
    return " ".join(rnd.choice(words) for _ in range(k)).capitalize() + "."
for i in range(n):
    sub = os.path.join(out, f"area-{i % 50:02d}")
    os.makedirs(sub, exist_ok=True)
    p, c = rnd.choice(products), rnd.choice(codes)
    guid = "%08x-%04x-4%03x-8%03x-%012x" % (rnd.getrandbits(32), rnd.getrandbits(16), rnd.getrandbits(12), rnd.getrandbits(12), rnd.getrandbits(48))
    parts = [
        "---",
        f"title: \"{p}: {c} when the {rnd.choice(words)} {i} is used\"",
        f"description: {sentence(12)}",
        f"ms.date: {rnd.randint(1, 12):02d}/{rnd.randint(1, 28):02d}/2024",
        f"ms.service: {p}",
        f"ms.custom: sap: {p} {i}",
        f"keywords: {rnd.choice(words)}, {rnd.choice(words)}",
        "---", "",
        f"# {p} fails with {c}", "",
        f"_Applies to:_ {p} {rnd.randint(1, 9)}", "",
        "## Symptoms", "", sentence(15), "", "```output",
        f"{c}: the {rnd.choice(words)} could not be opened for user{i}@example.com.",
        f"Correlation ID: {guid}", f"Timestamp: 2024-05-{rnd.randint(10, 28)} 10:{rnd.randint(10, 59)}:00Z",
        "```", "",
        ":::image type=\"content\" source=\"media/error.png\" alt-text=\"Error\":::", "",
    ]
    if i % 10:
        parts += ["## Cause", "", sentence(20), ""]
    parts += ["## Resolution", "", "> [!NOTE]", "> " + sentence(8), ""]
    parts += [f"{k}. {sentence(10)}" for k in range(1, rnd.randint(2, 6))]
    parts += ["", "## More information", "", f"- [{sentence(3)}](https://learn.example.com/{i})", ""]
    with open(os.path.join(sub, f"article-{i:05d}.md"), "w") as f:
        f.write("\n".join(parts))
PY

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timed() { # label, then the command; prints the median wall time in seconds
  local label=$1; shift
  local t=()
  for _ in $(seq "$RUNS"); do
    [ "$label" = first ] && rm -rf "$WORK/kb"
    local s e
    s=$(date +%s.%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s.%N)
    t+=("$(echo "$e - $s" | bc)")
  done
  printf '%s\n' "${t[@]}" | median
}

step "time $RUNS runs of each case"
FIRST=$(timed first "$BIN" import markdown "$WORK/src" --kb "$WORK/kb" -q)
AGAIN=$(timed again "$BIN" import markdown "$WORK/src" --kb "$WORK/kb" -q)
DRY=$(timed dry "$BIN" import markdown "$WORK/src" --kb "$WORK/dry" --dry-run -q)
WRITTEN=$(ls "$WORK/kb" | wc -l)
step "check the imported knowledge base"
CHECK=$( { "$BIN" check --kb "$WORK/kb" 2>&1 >/dev/null || true; } | tail -1)

echo
echo "| case ($COUNT Markdown sources, median of $RUNS) | wall time (s) |"
echo "| --- | ---: |"
printf '| first import (%s files written) | %.2f |\n' "$WRITTEN" "$FIRST"
printf '| re-run, every file unchanged | %.2f |\n' "$AGAIN"
printf '| --dry-run (prints every file) | %.2f |\n' "$DRY"
echo
echo "kbgen check on the result: $CHECK"
