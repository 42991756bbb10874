// Ranks every paste of a JSON-lines file with the browser's matcher
// (templates/static/match.js with match-tokens.js and match-evidence.js, as the paste box runs them) on a
// built signatures.json, and prints one JSON line per paste: its id and the matches
// ([id, score]). bench/match-eval.py compares these with `kbgen match`.
// Usage: node bench/match-eval/js-rank.mjs SIGNATURES.json PASTES.jsonl LIMIT
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScript } from '../../tests/js/load-script.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
loadScript(join(root, 'templates/static/match-tokens.js'));
loadScript(join(root, 'templates/static/match-evidence.js'));
const KbMatch = loadScript(join(root, 'templates/static/match.js'));

const [signatures, pastes, limit] = process.argv.slice(2);
const matcher = KbMatch.create(JSON.parse(readFileSync(signatures, 'utf8')));
for (const line of readFileSync(pastes, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const paste = JSON.parse(line);
  const found = matcher.rank(paste.text, Number(limit));
  console.log(JSON.stringify({ id: paste.id, matches: found.map((m) => [m.id, m.score]) }));
}
