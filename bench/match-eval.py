#!/usr/bin/env python3
"""Error-matching evaluation: run `kbgen match` on every paste of bench/match-eval/.

    python3 bench/match-eval.py              # build if needed, check the kb, print tables
    python3 bench/match-eval.py --no-build   # use the kbgen binary as it is
    KBGEN=/path/to/kbgen python3 bench/match-eval.py

Prints, per half (`tune`, `report`): top-1 and top-5 of the positives, the false-match
rate of the negatives (a negative "matches" when kbgen returns any article), and the
min / median / max score of right matches and of false ones. Writes the scores as an
SVG histogram to bench/match-eval/scores.svg with the matcher's threshold drawn.

With Node, also runs match.js (the paste box) on every paste and says on how many it
returns what `kbgen match` returns.

Only the `tune` half's misses are listed one by one: tune on `tune`, report both,
never tune on `report`. Python standard library only.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SET = os.path.join(ROOT, "bench", "match-eval")
KB = os.path.join(SET, "kb")
PASTES = os.path.join(SET, "pastes.jsonl")
SVG = os.path.join(SET, "scores.svg")
LIMIT = 5


def kbgen_binary(build):
    if os.environ.get("KBGEN"):
        return os.environ["KBGEN"]
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
    exe = os.path.join(target, "release", "kbgen")
    if build:
        print("cargo build --release (CARGO_TARGET_DIR=%s)" % target, file=sys.stderr)
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    if not os.path.exists(exe):
        sys.exit("no kbgen binary at %s (run without --no-build, or set KBGEN)" % exe)
    return exe


def check_kb(exe):
    r = subprocess.run([exe, "check", "--kb", KB, "--color", "never"],
                       capture_output=True, text=True)
    summary = [l for l in (r.stdout + r.stderr).splitlines() if l.strip()]
    print("kbgen check bench/match-eval/kb: %s" % (summary[-1] if summary else "(no output)"))
    if r.returncode != 0:
        print(r.stdout + r.stderr, file=sys.stderr)
        sys.exit("kbgen check failed (exit %d): the evaluation kb must have no errors" % r.returncode)


def threshold(exe, browser):
    """The matcher's threshold on its scores: the `confidence` the built
    signatures.json states (older ones: `threshold`); with `browser`, also the
    browser matcher's results on every paste (None when Node is missing)."""
    with tempfile.TemporaryDirectory() as out:
        r = subprocess.run([exe, "build", "--kb", KB, "--out", out, "--quiet"],
                           capture_output=True, text=True)
        path = os.path.join(out, "signatures.json")
        t, js = None, None
        if r.returncode == 0 and os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
                t = data.get("confidence", data.get("threshold"))
            if browser:
                js = browser_ranks(path)
        if isinstance(t, (int, float)):
            return float(t), js
    print("warning: threshold not found in signatures.json; drawing 0.5", file=sys.stderr)
    return 0.5, js


def browser_ranks(signatures):
    """match.js on every paste, as the site's paste box ranks it: {id: [[id, score]]}."""
    try:
        r = subprocess.run(["node", os.path.join(SET, "js-rank.mjs"), signatures, PASTES, str(LIMIT)],
                           capture_output=True, text=True)
    except FileNotFoundError:
        print("warning: node not found; the browser matcher is not compared", file=sys.stderr)
        return None
    if r.returncode != 0:
        sys.exit("bench/match-eval/js-rank.mjs failed: %s" % r.stderr)
    return {row["id"]: row["matches"] for row in map(json.loads, r.stdout.splitlines())}


def disagreements(pastes, found, js):
    """Pastes on which match.js returns other articles, or scores more than 0.001
    apart, than kbgen match."""
    out = []
    for p, m in zip(pastes, found):
        ours = [(x["id"], round(x["score"], 3)) for x in m]
        theirs = [(i, round(s, 3)) for i, s in js.get(p["id"], [])]
        if [i for i, _ in ours] != [i for i, _ in theirs] or any(
                abs(a[1] - b[1]) > 0.001 for a, b in zip(ours, theirs)):
            out.append("  %s kbgen %s, match.js %s" % (p["id"], ours, theirs))
    return out


def match(exe, paste):
    r = subprocess.run([exe, "match", "-", "--kb", KB, "--format", "json", "--quiet",
                        "--limit", str(LIMIT), "--color", "never"],
                       input=paste["text"], capture_output=True, text=True)
    if r.returncode not in (0, 1):
        sys.exit("kbgen match failed on %s (exit %d): %s" % (paste["id"], r.returncode, r.stderr))
    return json.loads(r.stdout)["matches"]


def judge(paste, matches):
    ids = [m["id"] for m in matches]
    res = {"paste": paste, "matches": matches}
    if paste["kind"] == "positive":
        exp = paste["expect"]
        res["top1"] = bool(ids) and ids[0] == exp
        res["top5"] = exp in ids[:5]
        res["right_score"] = next((m["score"] for m in matches if m["id"] == exp), None)
        # a wrong article ranked above the right one (or instead of it) is a false match too
        wrong = [m for m in matches if m["id"] != exp]
        res["false_score"] = wrong[0]["score"] if wrong and not res["top1"] else None
    else:
        res["false_match"] = bool(matches)
        res["false_score"] = matches[0]["score"] if matches else None
    return res


def stats(xs):
    if not xs:
        return "-"
    return "%.3f / %.3f / %.3f" % (min(xs), statistics.median(xs), max(xs))


def pct(a, b):
    return "%d/%d (%.1f%%)" % (a, b, 100.0 * a / b) if b else "-"


def table(results):
    halves = ["tune", "report"]
    rows = []
    for h in halves:
        pos = [r for r in results if r["paste"]["half"] == h and r["paste"]["kind"] == "positive"]
        neg = [r for r in results if r["paste"]["half"] == h and r["paste"]["kind"] == "negative"]
        right = [r["right_score"] for r in pos if r["right_score"] is not None]
        false = [r["false_score"] for r in neg if r["false_score"] is not None]
        wrong_top = [r["false_score"] for r in pos if r["false_score"] is not None]
        rows.append((h, pct(sum(r["top1"] for r in pos), len(pos)),
                     pct(sum(r["top5"] for r in pos), len(pos)),
                     pct(sum(r["false_match"] for r in neg), len(neg)),
                     stats(right), stats(false), stats(wrong_top)))
    head = ("half", "top-1 (positives)", "top-5 (positives)", "false matches (negatives)",
            "right-match score min/med/max", "false-match score on negatives min/med/max",
            "wrong top-1 score on positives min/med/max")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def by_ecosystem(results):
    ecos = sorted({r["paste"]["ecosystem"] for r in results})
    lines = ["| ecosystem | half | top-1 | top-5 | false matches |", "|---|---|---|---|---|"]
    for e in ecos:
        for h in ("tune", "report"):
            pos = [r for r in results if r["paste"]["ecosystem"] == e and r["paste"]["half"] == h
                   and r["paste"]["kind"] == "positive"]
            neg = [r for r in results if r["paste"]["ecosystem"] == e and r["paste"]["half"] == h
                   and r["paste"]["kind"] == "negative"]
            lines.append("| %s | %s | %s | %s | %s |" % (
                e, h, pct(sum(r["top1"] for r in pos), len(pos)),
                pct(sum(r["top5"] for r in pos), len(pos)),
                pct(sum(r["false_match"] for r in neg), len(neg))))
    return "\n".join(lines)


def tune_misses(results):
    out = []
    for r in results:
        p = r["paste"]
        if p["half"] != "tune":
            continue
        top = r["matches"][0] if r["matches"] else None
        got = "%s %.3f" % (top["id"], top["score"]) if top else "no match"
        if p["kind"] == "positive" and not r["top1"]:
            rs = "%.3f" % r["right_score"] if r["right_score"] is not None else "absent"
            out.append("  %s %-10s expected %s (score %s), got %s" % (p["id"], p["ecosystem"], p["expect"], rs, got))
        elif p["kind"] == "negative" and r["false_match"]:
            out.append("  %s %-10s negative, got %s" % (p["id"], p["ecosystem"], got))
    return out


def svg(results, thr):
    """Histogram of scores: right matches of positives against the top score of negatives."""
    bins = 20
    pos = [r["right_score"] for r in results if r["paste"]["kind"] == "positive"]
    neg = [r["false_score"] for r in results if r["paste"]["kind"] == "negative"]

    def count(xs):
        c = [0] * (bins + 1)  # the last bin: no score (not found / nothing returned)
        for x in xs:
            c[bins if x is None else min(int(x * bins), bins - 1)] += 1
        return c

    cp, cn = count(pos), count(neg)
    W, H, L, R, T, B = 860, 440, 60, 20, 50, 60
    pw, ph = W - L - R, H - T - B
    slot = pw / (bins + 1.5)
    top = max(cp + cn + [1])
    ymax = top + (-top) % 5
    y = lambda v: T + ph - ph * v / ymax
    x_of = lambda i: L + slot * (i if i < bins else bins + 0.5)
    o = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
         'font-family="sans-serif" font-size="12">' % (W, H, W, H),
         '<rect width="100%" height="100%" fill="#fff"/>',
         '<text x="%d" y="22" font-size="15" font-weight="bold">kbgen match: scores on bench/match-eval '
         '(%d positives, %d negatives, both halves)</text>' % (L, len(pos), len(neg))]
    for k in range(0, ymax + 1, max(1, ymax // 5)):
        o.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/>' % (L, L + pw, y(k), y(k)))
        o.append('<text x="%d" y="%.1f" text-anchor="end">%d</text>' % (L - 6, y(k) + 4, k))
    for i in range(bins + 1):
        x0 = x_of(i)
        for j, (c, colour) in enumerate(((cp[i], "#2a7ab0"), (cn[i], "#d0553a"))):
            if c:
                o.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%d</title></rect>'
                         % (x0 + 1 + j * (slot - 2) / 2, y(c), (slot - 2) / 2, y(0) - y(c), colour, c))
    for i in range(0, bins + 1, 2):
        o.append('<text x="%.1f" y="%d" text-anchor="middle">%.1f</text>' % (L + slot * i, T + ph + 16, i / bins))
    o.append('<text x="%.1f" y="%d" text-anchor="middle">none</text>' % (x_of(bins) + slot / 2, T + ph + 16))
    o.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#333"/>' % (L, L + pw, y(0), y(0)))
    xt = L + slot * bins * thr
    o.append('<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#000" stroke-width="2" stroke-dasharray="6 4"/>'
             % (xt, xt, T - 6, T + ph))
    o.append('<text x="%.1f" y="%d">threshold %.2f</text>' % (xt + 4, T + 4, thr))
    o.append('<text x="%d" y="%d" text-anchor="middle">score (right article for positives; top result for negatives; '
             '"none": not returned)</text>' % (L + pw / 2, H - 22))
    lx = L + 12  # scores under the threshold are never returned, so the left is free
    o.append('<rect x="%d" y="%d" width="12" height="12" fill="#2a7ab0"/><text x="%d" y="%d">positives: score of the right article</text>'
             % (lx, T + 14, lx + 18, T + 24))
    o.append('<rect x="%d" y="%d" width="12" height="12" fill="#d0553a"/><text x="%d" y="%d">negatives: top score (a false match)</text>'
             % (lx, T + 32, lx + 18, T + 42))
    o.append('</svg>')
    with open(SVG, "w", encoding="utf-8") as f:
        f.write("\n".join(o) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-build", action="store_true", help="do not run cargo build --release")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--no-browser", action="store_true", help="do not compare match.js (needs node)")
    args = ap.parse_args()

    exe = kbgen_binary(not args.no_build)
    check_kb(exe)
    with open(PASTES, encoding="utf-8") as f:
        pastes = [json.loads(l) for l in f if l.strip()]
    kb_ids = {n[:-5] for n in os.listdir(KB) if n.endswith(".yaml")}
    for p in pastes:
        if p["kind"] == "positive" and p["expect"] not in kb_ids:
            sys.exit("%s expects %s, which is not in the kb" % (p["id"], p["expect"]))
    thr, js = threshold(exe, not args.no_browser)
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        found = list(pool.map(lambda p: match(exe, p), pastes))
    results = [judge(p, m) for p, m in zip(pastes, found)]

    n_pos = sum(p["kind"] == "positive" for p in pastes)
    print("%d articles, %d pastes (%d positive, %d negative), threshold %.2f, --limit %d\n"
          % (len(kb_ids), len(pastes), n_pos, len(pastes) - n_pos, thr, LIMIT))
    print(table(results))
    print()
    print(by_ecosystem(results))
    misses = tune_misses(results)
    print("\ntune half, misses (%d):" % len(misses))
    print("\n".join(misses) if misses else "  none")
    if js is not None:
        differ = disagreements(pastes, found, js)
        print("\nmatch.js (the paste box) against kbgen match: same articles and scores on %d/%d pastes"
              % (len(pastes) - len(differ), len(pastes)))
        if differ:
            print("\n".join(differ[:20]))
    svg(results, thr)
    print("\nwrote %s" % os.path.relpath(SVG, ROOT))


if __name__ == "__main__":
    main()
