#!/usr/bin/env bash
# Builds the seed corpora of the fuzz targets from the articles in kb/ and tests/fixtures/
# (the corpora are generated, not committed). Usage: bash fuzz/seed.sh
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/load_validate corpus/markdown
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
echo "seeded $(ls corpus/load_validate | wc -l) articles and $(ls corpus/markdown | wc -l) Markdown texts"
