#!/usr/bin/env python3
"""Turns the raw measurements of bench/run.sh into one markdown table.

    python3 bench/report.py RESULTS_DIR "1000 10000"

RESULTS_DIR holds, per timed command, KEY.N.time (`/usr/bin/time -v` output) and
KEY.N.err (its stderr), plus JSON files from the Node scripts. A cell with no data
says "n/a" and the notes under the table say why; nothing is estimated.
"""
import glob
import json
import os
import re
import statistics
import sys

RES = sys.argv[1]
SIZES = [int(s) for s in (sys.argv[2] if len(sys.argv) > 2 else "1000 10000").split()]
ALL_SIZES = SIZES + ([100000] if os.path.exists(f"{RES}/kbgen-100000.1.time") else [])
NA = "n/a"


def wall(text):
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text)
    parts = [float(p) for p in m.group(1).split(":")]
    secs = 0.0
    for p in parts:
        secs = secs * 60 + p
    return secs


def field(text, name):
    m = re.search(re.escape(name) + r": (\S+)", text)
    return float(m.group(1)) if m else 0.0


def runs(key):
    """[(wall s, cpu s, peak RSS MiB, stderr)] of every run of KEY, or []."""
    if os.path.exists(f"{RES}/{key}.failed"):
        return []
    out = []
    for path in sorted(glob.glob(f"{RES}/{key}.*.time")):
        text = open(path).read()
        if "Elapsed" not in text:
            continue
        cpu = field(text, "User time (seconds)") + field(text, "System time (seconds)")
        rss = field(text, "Maximum resident set size (kbytes)") / 1024
        err_path = path[: -len(".time")] + ".err"
        err = open(err_path).read() if os.path.exists(err_path) else ""
        out.append((wall(text), cpu, rss, err))
    return out


def med(key):
    r = runs(key)
    if not r:
        return None
    return (
        statistics.median(x[0] for x in r),
        statistics.median(x[1] for x in r),
        max(x[2] for x in r),
        len(r),
    )


def secs(s):
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"


def cell(m):
    if m is None:
        return NA
    w, cpu, rss, n = m
    return f"{secs(w)} (cpu {secs(cpu)}) · {rss:.0f} MiB"


def stages(key):
    """Median of each stage from `timings (ms): setup 1.0, check 2.0, ...` lines."""
    per = {}
    for *_, err in runs(key):
        m = re.search(r"timings \(ms\): (.*)", err)
        if not m:
            continue
        for name, val in re.findall(r"([a-z_]+) ([0-9.]+)", m.group(1)):
            per.setdefault(name, []).append(float(val))
    return {k: statistics.median(v) for k, v in per.items()}


def load_json(name):
    try:
        with open(f"{RES}/{name}") as f:
            text = f.read().strip()
    except OSError:
        return None
    # One JSON document, or log lines with the document on the last line.
    for candidate in (text, text.splitlines()[-1] if text else ""):
        try:
            return json.loads(candidate)
        except ValueError:
            pass
    return None


def label(n):
    return f"{n // 1000}k"


rows = []
notes = []


def row(name, cells, goal=""):
    rows.append([name] + cells + [goal])


def per_size(fn, sizes=ALL_SIZES):
    return [fn(n) if n in sizes else "" for n in ALL_SIZES]


row("kbgen build",
    per_size(lambda n: cell(med(f"kbgen-{n}"))), "≤ 300 MiB at 10k")
row("Hugo build", per_size(lambda n: cell(med(f"hugo-{n}")), SIZES))
row("Pagefind CLI on Hugo's output", per_size(lambda n: cell(med(f"pagefind-{n}")), SIZES))


def peers(n):
    h, p = med(f"hugo-{n}"), med(f"pagefind-{n}")
    if not h or not p:
        return NA
    return f"{secs(h[0] + p[0])} (cpu {secs(h[1] + p[1])}) · {max(h[2], p[2]):.0f} MiB"


row("Hugo + Pagefind", per_size(peers, SIZES))


def ratio(n):
    k, h, p = med(f"kbgen-{n}"), med(f"hugo-{n}"), med(f"pagefind-{n}")
    if not (k and h and p):
        return NA
    return f"{k[0] / (h[0] + p[0]):.3f} (cpu {k[1] / (h[1] + p[1]):.3f})"


row("kbgen ÷ (Hugo + Pagefind), wall", per_size(ratio, SIZES), "≤ 0.2 at 10k")
# `check` is load + validate in one; builds that time them apart print `load` and
# `validate` instead. Files are written as each stage makes them, so `render` and
# `search` include their writing, and `write` is the swap into the output folder.
stage_names = ["setup", "load", "validate", "check", "render", "search", "signatures", "write"]


def stage_cell(n):
    st = stages(f"kbgen-{n}")
    if not st:
        return NA
    return ", ".join(f"{k} {st[k]:.0f}" for k in stage_names if k in st)


row("kbgen stages (ms, median)", per_size(stage_cell), "linear in N")


def serve_cell(n):
    j = load_json(f"serve-{n}.json")
    if not j or j.get("median_ms") is None:
        return NA
    return f"median {j['median_ms']:.0f} ms, max {j['max_ms']:.0f} ms ({j['edits']} saves)"


row("save → reload event (`kbgen serve`)", per_size(serve_cell, SIZES),
    "≤ 100 ms at 1k, ≤ 250 ms at 10k")


def match_cell(prefix):
    log, setup = med(f"{prefix}-log"), med(f"{prefix}-setup")
    try:
        size = int(open(f"{RES}/match-log.bytes").read())
    except (OSError, ValueError):
        return NA
    if not log or not setup:
        return NA
    mb = size / 1e6
    scan = max(log[0] - setup[0], 1e-6)
    return (f"**{mb / log[0]:.0f} MB/s end to end** ({mb:.0f} MB in {secs(log[0])}, cpu "
            f"{secs(log[1])}; {secs(setup[0])} of it loading) · {log[2]:.0f} MiB · "
            f"{mb / scan:.0f} MB/s after loading")


def match_accuracy():
    """Articles `kbgen match` named on the log against the errors the generator put in."""
    try:
        truth = json.load(open(f"{RES}/match-log.truth.json"))
        found = json.load(open(f"{RES}/match-site-log.1.out"))["matches"]
    except (OSError, ValueError, KeyError):
        return NA
    want = {t["id"] for t in truth}
    got = {m["id"] for m in found}
    lines = {(t["line"], t["id"]) for t in truth}
    hit = {(l, m["id"]) for m in found for l in m["lines"]}
    return (f"{len(want & got)} of {len(want)} planted articles found "
            f"({len(lines & hit)} of {len(lines)} error lines); {len(got - want)} other articles "
            f"matched (each above the matcher's threshold)")


for match_label, prefix in [("`kbgen match` on a large log (largest kb, `--kb`)", "match"),
                            ("`kbgen match --site` (built signatures.json)", "match-site")]:
    rows.append([match_label, match_cell(prefix)] + [""] * (len(ALL_SIZES) - 1) + ["≥ 50 MB/s"])
rows.append(["`kbgen match` on the log: what it found", match_accuracy()]
            + [""] * (len(ALL_SIZES) - 1) + [""])


def paste_cell(n):
    j = load_json(f"paste-{n}.json")
    if not j or j.get("median_ms") is None:
        return NA
    return f"median {j['median_ms']:.1f} ms, p95 {j.get('p95_ms', 0):.1f} ms ({j.get('signatures', '?')} sigs)"


row("one paste ranked in Chromium (match.js)", per_size(paste_cell, SIZES), "≤ 30 ms at 10k")


def rel_cell(engine, n):
    j = load_json(f"relevance-{engine}-{n}.json")
    if j and "summary" in j:  # bench/search-relevance.mjs --json: percentages, bytes_mean
        s = j["summary"]
        j = {"top1": s["top1"] / 100, "top5": s["top5"] / 100,
             "bytes_per_query": s["bytes_mean"], "first_query_bytes": s.get("bytes_max", 0),
             "first_label": "max"}
    if not j or "top1" not in j:
        return NA
    return (f"top-1 {j['top1'] * 100:.0f}%, top-5 {j['top5'] * 100:.0f}%, "
            f"{j['bytes_per_query'] / 1024:.0f} KiB/query, {j.get('first_label', 'first')} "
            f"{j.get('first_query_bytes', 0) / 1024:.0f} KiB")


row("search, kbgen client (known-item queries)", per_size(lambda n: rel_cell("kbgen", n), SIZES))
row("search, Pagefind JS API over kbgen's HTML", per_size(lambda n: rel_cell("pagefind", n), SIZES))
if any(os.path.exists(f"{RES}/relevance-pagefind-hugo-{n}.json") for n in SIZES):
    row("search, Pagefind JS API over Hugo's HTML",
        per_size(lambda n: rel_cell("pagefind-hugo", n), SIZES))


def index_cell(n):
    st = stages(f"kbgen-{n}")
    k = med(f"kbgen-{n}")
    if not st or "search" not in st:
        return NA
    return f"{st['search']:.0f} ms (whole build peak {k[2]:.0f} MiB)"


row("search index build, kbgen", per_size(index_cell, SIZES))
row("search index build, Pagefind on kbgen's articles",
    per_size(lambda n: cell(med(f"pagefind-kbgen-{n}")), SIZES))


def gen_cell(n):
    try:
        stats = json.load(open(f"{RES}/../c{n}/stats.json"))
        return f"{stats['yaml_words_per_article']} words/article"
    except (OSError, ValueError, KeyError):
        return NA


row("corpus (YAML words per article, incl. keys)", per_size(gen_cell))

head = ["measure"] + [label(n) for n in ALL_SIZES] + ["goal"]
print("| " + " | ".join(head) + " |")
print("|" + "---|" * len(head))
for r in rows:
    print("| " + " | ".join(c if c else "" for c in r) + " |")

if os.path.exists(f"{RES}/kbgen-unavailable"):
    notes.append("kbgen rows: `kbgen build` did not run on this checkout: "
                 + open(f"{RES}/kbgen-unavailable").read().strip().splitlines()[-1])
for f in ["hugo.version", "pagefind.version"]:
    if os.path.exists(f"{RES}/{f}"):
        notes.append(open(f"{RES}/{f}").read().strip())
if os.path.exists(f"{RES}/bench-match.txt"):
    notes.append("`cargo bench --bench match`:\n\n" + open(f"{RES}/bench-match.txt").read().strip())
print()
for n in notes:
    print(f"- {n}")
