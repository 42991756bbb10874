#!/usr/bin/env python3
"""A second corpus generator, of another shape than examples/gen_corpus.

    python3 bench/relevance/gen_shaped.py --n 2000 --out DIR [--seed 7]

Writes DIR/kb/*.yaml (kbgen articles) and DIR/queries.json. What makes it unlike the
first generator, on purpose:
- titles are drawn from the same small vocabulary as the bodies, so a title's words
  are also repeated in the long bodies of other articles;
- body lengths range from a sentence to a few thousand words;
- families of near-duplicate articles differ only in the product, its version or the
  error code;
- some resolutions carry a Markdown table or a code block.
Queries (`kind`): title words, a symptom in the reader's own words, the error code
alone, product + problem words, a typo, another inflection, a word still being typed.
Articles that differ from another only in version or code are asked for only by
code and by product + version. Every query has a `half` (tune or report), alternating within each kind.
"""
import argparse
import json
import os
import random

PRODUCTS = [
    ("Contoso Mail", "mail"), ("Fabrikam Drive", "drive"), ("Northwind Directory", "directory"),
    ("Tailspin VPN", "vpn"), ("Litware Print", "print"), ("Adatum Backup", "backup"),
    ("Proseware Chat", "chat"), ("Wingtip Sync", "sync"), ("Woodgrove Portal", "portal"),
    ("Lamna Gateway", "gateway"), ("Relecloud Agent", "agent"), ("Humongous Vault", "vault"),
]
# (as written in titles, another inflection a reader may type)
VERBS = [
    ("configure", "configuring"), ("reset", "resetting"), ("restore", "restoring"),
    ("renew", "renewing"), ("migrate", "migrating"), ("enable", "enabling"),
    ("remove", "removing"), ("rotate", "rotating"), ("export", "exporting"),
    ("import", "importing"), ("assign", "assigning"), ("register", "registering"),
    ("upgrade", "upgrading"), ("schedule", "scheduling"), ("delete", "deleting"),
]
OBJECTS = [
    ("quota", "quotas"), ("mailbox", "mailboxes"), ("certificate", "certificates"),
    ("license", "licenses"), ("policy", "policies"), ("token", "tokens"),
    ("profile", "profiles"), ("device", "devices"), ("group", "groups"),
    ("calendar", "calendars"), ("printer", "printers"), ("password", "passwords"),
    ("snapshot", "snapshots"), ("tenant", "tenants"), ("connector", "connectors"),
    ("schedule", "schedules"), ("folder", "folders"), ("session", "sessions"),
    ("role", "roles"), ("archive", "archives"),
]
PROBLEMS = [
    ("fails", "failing"), ("times out", "timing out"), ("is rejected", "rejected"),
    ("hangs", "hanging"), ("stops", "stopped"), ("loops", "looping"),
    ("is denied", "denied"), ("crashes", "crashing"),
]
FILLER = ("the service checks the request against the current settings before it applies "
          "any change and writes an entry to the activity log when the request completes "
          "administrators can review the entry later from the console under reports").split()
CODE_STYLES = [
    lambda r: "0x%08x" % r.randrange(0x80000000, 0x8fffffff),
    lambda r: "E%07d" % r.randrange(1, 9999999),
    lambda r: "ERR_%s_%d" % (r.choice(["QUOTA", "AUTH", "SYNC", "LOCK", "SCOPE"]), r.randrange(100, 999)),
    lambda r: "KB%d" % r.randrange(100000, 999999),
]


def sentence(r, words):
    """A sentence that uses `words` among vocabulary-rich filler."""
    out = []
    for w in words:
        out += r.sample(FILLER, r.randrange(2, 6)) + [w]
    out += r.sample(FILLER, 3)
    s = " ".join(out)
    return s[0].upper() + s[1:] + "."


def body(r, size, vocab):
    """`size` sentences, each repeating words of the shared vocabulary."""
    return [sentence(r, r.sample(vocab, 3)) for _ in range(size)]


def article(r, i, fam, vocab):
    prod, verb, obj, prob, code, version = fam
    title = f"{prod[0]} {version}: cannot {verb[0]} {obj[0]} because the request {prob[0]}"
    shape = r.choice(["tiny", "short", "medium", "long", "huge"])
    size = {"tiny": 0, "short": 2, "medium": 8, "long": 40, "huge": 160}[shape]
    paras = body(r, size, vocab)
    steps = [f"Open the {prod[0]} console and select **{obj[0].title()}**.",
             f"Choose **{verb[0].title()}** again after the change has replicated."]
    if i % 5 == 0:
        steps.append("Compare the settings:\n\n| setting | before | after |\n|---|---|---|\n"
                     f"| {obj[0]} limit | 10 | 50 |\n| retry | off | on |")
    if i % 7 == 0:
        steps.append(f"Run the check from a shell:\n\n```\n{prod[1]}ctl {verb[0]} --{obj[0]} --verbose\n```")
    symptom = (f"When an administrator tries to {verb[0]} a {obj[0]} in {prod[0]} {version}, "
               f"the operation {prob[0]} and the {obj[0]} is left unchanged.")
    doc = {
        "title": title,
        "products": [prod[0]],
        "tags": [obj[0], verb[0]],
        "symptoms": [symptom] + paras[:1],
        "errors": [f"{prod[0]} error {code}: the {obj[0]} operation could not be completed."],
        "environment": [f"{prod[0]} {version}"],
        "cause": " ".join(paras[1:]) or f"The {obj[0]} settings are out of date.",
        "resolution": {"steps": steps},
    }
    return f"{prod[1]}-{verb[0]}-{obj[0]}-{i:05d}", doc, shape


def yaml_str(s):
    return json.dumps(s)


def to_yaml(doc):
    lines = [f"title: {yaml_str(doc['title'])}",
             "products: [" + ", ".join(yaml_str(p) for p in doc["products"]) + "]",
             "tags: [" + ", ".join(doc["tags"]) + "]"]
    for key in ("symptoms", "errors", "environment"):
        lines.append(f"{key}:")
        lines += [f"  - {yaml_str(x)}" for x in doc[key]]
    lines.append(f"cause: {yaml_str(doc['cause'])}")
    lines.append("resolution:\n  steps:")
    lines += [f"    - {yaml_str(s)}" for s in doc["resolution"]["steps"]]
    return "\n".join(lines) + "\n"


def queries_for(r, aid, fam, doc):
    prod, verb, obj, prob, code, version = fam
    typo_w = list(obj[0])
    k = r.randrange(1, len(typo_w) - 1)
    typo_w[k], typo_w[k + 1] = typo_w[k + 1], typo_w[k]
    prefix = obj[0][: max(3, len(obj[0]) // 2 + 1)]
    return [
        ("title", f"{verb[0]} {obj[0]} {prod[1]}"),
        ("symptom", f"{prod[1]} {obj[1]} {prob[1]} when i try to {verb[1]}"),
        ("code", code),
        ("product", f"{prod[0]} {version} {obj[0]} {prob[0].split()[-1]}"),
        ("typo", f"{verb[0]} {''.join(typo_w)} {prod[1]}"),
        ("inflection", f"{verb[1]} {obj[1]} {prod[1]}"),
        ("prefix", f"{prod[1]} {verb[0]} {prefix}"),
    ]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--targets", type=int, default=60)
    a = ap.parse_args()
    r = random.Random(a.seed)
    kb = os.path.join(a.out, "kb")
    os.makedirs(kb, exist_ok=True)
    vocab = [v[0] for v in VERBS] + [o[0] for o in OBJECTS] + [o[1] for o in OBJECTS] + \
        [p[1] for p in PRODUCTS]
    arts = []
    while len(arts) < a.n:
        base = (r.choice(PRODUCTS), r.choice(VERBS), r.choice(OBJECTS), r.choice(PROBLEMS))
        # a family of near-duplicates: same problem, another product, version or code
        for _ in range(r.choice([1, 1, 2, 3, 4])):
            prod = r.choice(PRODUCTS) if r.random() < 0.75 else base[0]
            fam = (prod, *base[1:], r.choice(CODE_STYLES)(r), f"{r.randrange(1, 9)}.{r.randrange(0, 9)}")
            arts.append(fam)
    seen = set()
    rows = []
    step = max(1, a.n // a.targets)
    arts = arts[: a.n]
    # articles that only the version or the code tells apart are asked for by those
    same = {}
    for fam in arts:
        same[fam[:3]] = same.get(fam[:3], 0) + 1
    for i, fam in enumerate(arts):
        aid, doc, _shape = article(r, i, fam, vocab)
        with open(os.path.join(kb, aid + ".yaml"), "w") as f:
            f.write(to_yaml(doc))
        if i % step == 0 and len(seen) < a.targets:
            seen.add(aid)
            for kind, q in queries_for(r, aid, fam, doc):
                if same[fam[:3]] > 1 and kind not in ("code", "product"):
                    continue
                rows.append({"q": q, "expect_id": aid, "kind": kind})
    label_halves(rows)
    with open(os.path.join(a.out, "queries.json"), "w") as f:
        json.dump(rows, f, indent=0)


def label_halves(rows):
    """Alternates tune/report within each kind, in order."""
    count = {}
    for row in rows:
        n = count.get(row["kind"], 0)
        row["half"] = "tune" if n % 2 == 0 else "report"
        count[row["kind"]] = n + 1


if __name__ == "__main__":
    main()
