#!/usr/bin/env bash
# Search relevance on corpora of different shapes, kbgen against Pagefind 1.6 on the
# same HTML in the same run; prints the tables of bench/relevance/table.py.
#
#   bash bench/relevance.sh [--n 2000] [--work DIR] [--misses] [--kbgen PATH]
#
# Corpora: `gen` (examples/gen_corpus, seed 42), `shaped` (bench/relevance/gen_shaped.py,
# seed 7), `realistic` (bench/relevance/realistic/kb, hand-written), `kb` (the
# repository's own kb/). Each is built with kbgen; Pagefind indexes the built article
# pages; bench/relevance/run-queries.mjs runs every query cold on both. Every query is
# labelled `tune` or `report`: tune on the first half only, report both.
# Installs Pagefind 1.6 from npm into bench/.tools/npm when missing (bench/lib.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
N=2000 WORK=/dev/shm/kbgen-relevance MISSES="" KBGEN=""
while [ $# -gt 0 ]; do
  case "$1" in
    --n) N=$2; shift ;;
    --work) WORK=$2; shift ;;
    --misses) MISSES=--misses ;;
    --kbgen) KBGEN=$2; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "bench/relevance.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
. bench/lib.sh
ensure_pagefind
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
if [ -z "$KBGEN" ]; then
  step "building kbgen and the corpus generator (release)"
  cargo build --release --locked --bin kbgen --example gen_corpus >&2
  KBGEN=$TARGET/release/kbgen
fi
GEN=$(dirname "$KBGEN")/examples/gen_corpus
[ -x "$GEN" ] || { echo "bench/relevance.sh: no $GEN (cargo build --release --example gen_corpus)" >&2; exit 1; }
RES=$WORK/results
rm -rf "$WORK"; mkdir -p "$RES"

step "corpora"
"$GEN" --n "$N" --out "$WORK/gen" --no-hugo --queries 150 >/dev/null 2>&1
python3 bench/relevance/more_queries.py "$WORK/gen/kb" "$WORK/gen/queries.json" >"$WORK/gen/all-queries.json"
python3 bench/relevance/gen_shaped.py --n "$N" --out "$WORK/shaped"
declare -A KB=( [gen]=$WORK/gen/kb [shaped]=$WORK/shaped/kb
                [realistic]=$ROOT/bench/relevance/realistic/kb [kb]=$ROOT/kb )
declare -A QUERIES=( [gen]=$WORK/gen/all-queries.json [shaped]=$WORK/shaped/queries.json
                     [realistic]=$ROOT/bench/relevance/realistic/queries.json
                     [kb]=$ROOT/bench/relevance/kb-queries.json )
for c in gen shaped realistic kb; do
  site=$WORK/site-$c
  step "$c: kbgen build, Pagefind index, queries"
  # the repo's kb/ with its own kbgen.yaml; the others with none
  config=$WORK/none.yaml; [ "$c" = kb ] && config=$ROOT/kbgen.yaml
  "$KBGEN" build --quiet --kb "${KB[$c]}" --config "$config" --out "$site" >"$RES/build-$c.log" 2>&1
  "$PAGEFIND" --site "$site" --glob 'articles/**/*.html' >"$RES/pagefind-$c.log" 2>&1
  for engine in kbgen pagefind; do
    node bench/relevance/run-queries.mjs "$engine" "$site" "${QUERIES[$c]}" >"$RES/rows-$c-$engine.json"
  done
done
"$PAGEFIND" --version >"$RES/pagefind.version"
python3 bench/relevance/table.py "$RES" $MISSES
echo; echo "- $(cat "$RES/pagefind.version"), $N articles in gen and shaped"
