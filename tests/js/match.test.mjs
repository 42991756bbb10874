// Every vector of tests/match-vectors.json through templates/static/match.js, on the
// signatures.json that the real kbgen binary writes for the vector's knowledge base,
// so the browser matcher and `kbgen match` cannot drift apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScript } from './load-script.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
loadScript(join(root, 'templates/static/match-tokens.js'));
loadScript(join(root, 'templates/static/match-evidence.js'));
const KbMatch = loadScript(join(root, 'templates/static/match.js'));

function kbgenBin() {
  if (process.env.KBGEN_BIN) return process.env.KBGEN_BIN;
  for (const p of ['target/release/kbgen', 'target/debug/kbgen']) {
    if (existsSync(join(root, p))) return join(root, p);
  }
  throw new Error('build kbgen first (cargo build) or set KBGEN_BIN');
}

const matchers = new Map();
function matcherFor(kb) {
  if (!matchers.has(kb)) {
    const dir = kb === 'repo' ? join(root, 'kb') : join(root, 'tests/fixtures/match', kb);
    const json = execFileSync(kbgenBin(), ['match', '--kb', dir, '--dump-signatures'], { encoding: 'utf8' });
    matchers.set(kb, { json, matcher: KbMatch.create(JSON.parse(json)) });
  }
  return matchers.get(kb).matcher;
}

const { vectors } = JSON.parse(readFileSync(join(root, 'tests/match-vectors.json'), 'utf8'));

test('there are at least 40 vectors', () => {
  assert.ok(vectors.length >= 40);
});

for (const v of vectors) {
  test(`vector: ${v.name}`, () => {
    const found = matcherFor(v.kb).rank(v.input, 10);
    const ids = found.map((m) => m.id);
    assert.equal(ids[0] ?? null, v.expect, JSON.stringify(found.map((m) => [m.id, m.score])));
    for (const also of v.also ?? []) assert.ok(ids.includes(also), `${also} in ${ids}`);
    if (v.alone) assert.equal(ids.length, 1, `only ${v.expect}: ${ids}`);
    if (v.min !== undefined) assert.ok(found[0].score >= v.min, `score ${found[0].score} < ${v.min}`);
  });
}

test('signatures.json is versioned and compact', () => {
  matcherFor('repo');
  const { json } = matchers.get('repo');
  const data = JSON.parse(json);
  assert.equal(data.version, 2);
  assert.equal(data.articles[0].url, `articles/${data.articles[0].id}/`);
  assert.ok(!json.includes('\n  '), 'no pretty-printing');
});

test('the browser results agree with kbgen match --format json', () => {
  const v = vectors.find((x) => x.also && x.also.length);
  const dir = v.kb === 'repo' ? join(root, 'kb') : join(root, 'tests/fixtures/match', v.kb);
  const out = execFileSync(kbgenBin(), ['match', '--kb', dir, '--format', 'json', '--limit', '10', '-'], {
    input: v.input,
    encoding: 'utf8',
  });
  const cli = JSON.parse(out).matches;
  const js = matcherFor(v.kb).rank(v.input, 10).map(({ id, title, url, score, lines }) => ({ id, title, url, score, lines }));
  assert.deepEqual(js, cli);
});

test('ranges point at the matched text of the paste', () => {
  const v = vectors.find((x) => x.name === 'seed error inside a noisy log');
  const [best] = matcherFor(v.kb).rank(v.input, 1);
  const [a, b] = best.ranges[0];
  const hit = v.input.slice(a, b);
  assert.ok(hit.startsWith('Automatic profile push'), hit.slice(0, 40));
  assert.ok(hit.endsWith('migration."') || hit.includes('undergoing migration'), hit.slice(-60));
  assert.deepEqual(best.lines, [v.input.slice(0, a).split('\n').length]);
});

test('tokeniser masks values and keeps codes whole like the Rust one', () => {
  assert.deepEqual(
    KbMatch.tokenize("AADSTS50105 E0000001 0x80072030 Request_BadRequest timestamp='Tue, 01 Nov 2022 15:52:08 GMT' jane@contoso.com 10.0.0.1"),
    ['aadsts50105', 'e0000001', '0x80072030', 'request_badrequest', 'timestamp', '<date>', '<email>', '<ip>'],
  );
  assert.deepEqual(KbMatch.tokenize('errorMessage=&quot;Unable%20to+update\\n&amp;quot;x'), ['errormessage', 'unable', 'to', 'update', 'x']);
});
