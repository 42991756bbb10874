#!/usr/bin/env python3
"""Query kinds for the present generator's corpus (examples/gen_corpus).

    python3 bench/relevance/more_queries.py KB_DIR GEN_QUERIES.json > queries.json

The generator writes title words as typed (`exact`), in another inflection and with
one typo; this adds, for the same targets, the title words with the last one still
being typed (`prefix`) and the article's own error code alone (`code`: a token of its
error texts with letters and digits that no other article's error text holds), and
labels every query tune or report, alternating within each kind.
"""
import json
import os
import re
import sys

CODE = re.compile(r"\b(?=[A-Za-z_]*\d)(?=\w*[A-Za-z])[A-Za-z0-9_]{5,}\b")


def error_codes(path):
    text = open(path).read()
    m = re.search(r"^errors:\n((?:[ -].*\n)+)", text, re.M)
    return set(CODE.findall(m.group(1))) if m else set()


def main():
    kb, qpath = sys.argv[1], sys.argv[2]
    rows = json.load(open(qpath))
    kinds = {"exact": "title", "inflected": "inflection", "typo": "typo"}
    targets = []
    for r in rows:
        r["kind"] = kinds.get(r["kind"], r["kind"])
        if r["kind"] == "title":
            targets.append(r)
    codes = {f[:-5]: error_codes(os.path.join(kb, f)) for f in os.listdir(kb) if f.endswith(".yaml")}
    owners = {}
    for aid, cs in codes.items():
        for c in cs:
            owners.setdefault(c.lower(), set()).add(aid)
    for t in targets:
        words = t["q"].split()
        last = words[-1]
        if len(last) >= 5:
            rows.append({"q": " ".join(words[:-1] + [last[: len(last) // 2 + 1]]),
                         "expect_id": t["expect_id"], "kind": "prefix"})
        own = sorted(c for c in codes.get(t["expect_id"], ()) if owners[c.lower()] == {t["expect_id"]})
        if own:
            rows.append({"q": own[0], "expect_id": t["expect_id"], "kind": "code"})
    count = {}
    for r in rows:
        n = count.get(r["kind"], 0)
        r["half"] = "tune" if n % 2 == 0 else "report"
        count[r["kind"]] = n + 1
    json.dump(rows, sys.stdout, indent=0)


main()
