#!/usr/bin/env python3
"""Prints the relevance tables from the rows bench/relevance.sh collected.

    python3 bench/relevance/table.py RESULTS_DIR

RESULTS_DIR holds rows-CORPUS-ENGINE.json (bench/relevance/run-queries.mjs output).
Table 1: per corpus and half (tune, report), top-1, top-5, MRR and median bytes per
query of each engine. Table 2: the same per query kind, both halves together.
"""
import glob
import json
import os
import statistics
import sys

RES = sys.argv[1]
ORDER = ["gen", "shaped", "realistic", "kb"]
KINDS = ["title", "symptom", "code", "product", "typo", "inflection", "prefix"]


def load():
    data = {}
    for path in glob.glob(os.path.join(RES, "rows-*-*.json")):
        corpus, engine = os.path.basename(path)[5:-5].rsplit("-", 1)
        data[(corpus, engine)] = json.load(open(path))
    return data


def stats(rows):
    n = len(rows)
    if not n:
        return None
    return {
        "n": n,
        "top1": sum(r["rank"] == 1 for r in rows),
        "top5": sum(1 <= r["rank"] <= 5 for r in rows),
        "mrr": sum(1 / r["rank"] for r in rows if r["rank"]) / n,
        "bytes": statistics.median(r["bytes"] for r in rows),
    }


def cell(s):
    if not s:
        return "n/a"
    return (f"{s['top1']}/{s['n']} · {s['top5']}/{s['n']} · {s['mrr']:.2f} · "
            f"{s['bytes'] / 1024:.0f} KB")


def main():
    data = load()
    corpora = [c for c in ORDER if (c, "kbgen") in data] + sorted(
        {c for c, _ in data} - set(ORDER))
    print("Cells: top-1 · top-5 · MRR · median bytes per query (cold, first page of 10).\n")
    print("| corpus | half | queries | kbgen | Pagefind |")
    print("|---|---|---:|---|---|")
    for c in corpora:
        for half in ["tune", "report"]:
            k = [r for r in data.get((c, "kbgen"), []) if r["half"] == half]
            p = [r for r in data.get((c, "pagefind"), []) if r["half"] == half]
            print(f"| {c} | {half} | {len(k)} | {cell(stats(k))} | {cell(stats(p))} |")
    print("\nBy query kind, both halves (top-1 · top-5, kbgen / Pagefind):\n")
    print("| corpus | " + " | ".join(KINDS) + " |")
    print("|---|" + "---|" * len(KINDS))
    for c in corpora:
        cells = []
        for kind in KINDS:
            k = stats([r for r in data.get((c, "kbgen"), []) if r["kind"] == kind])
            p = stats([r for r in data.get((c, "pagefind"), []) if r["kind"] == kind])
            if not k:
                cells.append("")
                continue
            pf = f"{p['top1']}·{p['top5']}" if p else "n/a"
            cells.append(f"{k['top1']}·{k['top5']} / {pf} (of {k['n']})")
        print(f"| {c} | " + " | ".join(cells) + " |")
    if "--misses" in sys.argv:
        for c in corpora:
            for r in data.get((c, "kbgen"), []):
                if r["rank"] != 1 and r["half"] == "tune":
                    print(f"  {c} {r['kind']}: {r['q']!r} -> {r['top']} (want {r['expect']} at {r['rank'] or '>10'})")


main()
