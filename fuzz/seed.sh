#!/usr/bin/env bash
# Builds the seed corpora of the fuzz targets from the articles in kb/ and tests/fixtures/
# (the corpora are generated, not committed). Usage: bash fuzz/seed.sh
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/load_validate corpus/markdown corpus/signature
n=0
while IFS= read -r -d '' f; do
  n=$((n + 1))
  cp "$f" "corpus/load_validate/seed-$n.yaml"
done < <(find ../kb ../tests/fixtures -name '*.yaml' -print0 | sort -z)
# Markdown seeds: the value of every top-level field of those files.
python3 - <<'PY'
import glob, re
n = 0
files = sorted(glob.glob('../kb/**/*.yaml', recursive=True) + glob.glob('../tests/fixtures/**/*.yaml', recursive=True))
for f in files:
    text = open(f, encoding='utf-8', errors='replace').read()
    for chunk in re.split(r'\n(?=\S)', text):
        body = chunk.split(':', 1)[-1].strip()
        if len(body) > 20:
            n += 1
            open(f'corpus/markdown/seed-{n}.md', 'w').write(body[:4000])
PY
# Signature seeds: every input of tests/match-vectors.json, every error text of the
# articles (roughly cut from the YAML), and `#sig` seeds that make their own index.
python3 - <<'PY'
import glob, json, re
vectors = [v['input'] for v in json.load(open('../tests/match-vectors.json'))['vectors']]
errors = []
files = sorted(glob.glob('../kb/**/*.yaml', recursive=True) + glob.glob('../tests/fixtures/**/*.yaml', recursive=True))
for f in files:
    text = open(f, encoding='utf-8', errors='replace').read()
    m = re.search(r'^errors:\n((?:[ \t-].*\n?)*)', text, re.M)
    if not m:
        continue
    for entry in re.split(r'\n\s*- ', '\n' + m.group(1)):
        body = ' '.join(l.strip() for l in entry.splitlines() if l.strip() not in ('', '>-', '>', '|', '|-'))
        body = body.strip('"\' ')
        if body:
            errors.append(body)
seeds = vectors + errors + [f'#sig\n{e}\n\n{v}' for e, v in zip(errors, vectors)]
for n, s in enumerate(seeds, 1):
    open(f'corpus/signature/seed-{n}.txt', 'w').write(s)
PY
echo "seeded $(ls corpus/load_validate | wc -l) articles, $(ls corpus/markdown | wc -l) Markdown texts and $(ls corpus/signature | wc -l) pastes"
