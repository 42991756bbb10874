// The search client (templates/static/search.js) ranking the index that the real
// `kbgen build` writes for tests/fixtures/search/kb, read from disk as the browser
// would fetch it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScript } from './load-script.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIRSYNC = 'o365-dirsync-profile-push-400';

// The package is an ES module; search.js is a classic script, so load it as one.
const KbSearch = loadScript(join(root, 'templates/static/search.js'));

function kbgenBin() {
  const found = [process.env.KBGEN_BIN, join(root, 'target/release/kbgen'), join(root, 'target/debug/kbgen')]
    .filter(Boolean).find((p) => existsSync(p));
  if (!found) throw new Error('kbgen binary not found; run cargo build');
  return found;
}

let tmp, dir, searcher, fetched;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'kbgen-search-'));
  const out = join(tmp, 'site');
  // no settings file (the repository's own has synonym groups, which fetch their own shard)
  const run = spawnSync(kbgenBin(), ['build', '--quiet', '--kb', join(root, 'tests/fixtures/search/kb'),
    '--config', join(tmp, 'none.yaml'), '--templates', join(root, 'templates'), '--out', out],
  { encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, `kbgen build failed:\n${run.stdout}\n${run.stderr}`);
  dir = join(out, 'search');
  fetched = [];
  searcher = await KbSearch.open((path) => { fetched.push(path); return readFileSync(join(dir, path), 'utf8'); });
});

after(() => rmSync(tmp, { recursive: true, force: true }));

async function top(q, opts) {
  const out = await KbSearch.search(searcher, q, { limit: 5, ...opts });
  return { ...out, ids: out.records.map((r) => r.id) };
}

function highlighted(out) {
  const rec = out.records[0];
  return KbSearch.excerpt(rec.text, out.ranked).filter((p) => p.hit).map((p) => p.text.toLowerCase());
}

test('the done-when queries put the DirSync article first with a highlighted excerpt', async () => {
  for (const [q, marks] of [['dirsync', ['dirsync']], ['displayName', ['displayname']],
    ['name change provisioning', ['name', 'provisioning']]]) {
    const out = await top(q);
    assert.equal(out.ids[0], DIRSYNC, `${q}: ${out.ids}`);
    const hits = highlighted(out);
    for (const m of marks) assert.ok(hits.includes(m), `${q}: highlights ${hits}`);
  }
});

test('a word in an inflection the corpus never used still finds the article', async () => {
  // "provisions" and "syncs" occur nowhere in the fixture; their stems do.
  const shard = JSON.parse(readFileSync(join(dir, 't', '73.json'), 'utf8'));
  assert.equal(shard.w.syncs, undefined);
  assert.equal(shard.t.syncs, undefined);
  const out = await top('dirsync syncs');
  assert.equal(out.ids[0], DIRSYNC);
  assert.ok(out.ranked.terms.some((t) => t.stem === 'sync' && t.how === 'inflection'));
  const prov = await top('name changes provisions');
  assert.equal(prov.ids[0], DIRSYNC, prov.ids.join());
  // Forms that do occur map to one stem through the dictionary, no stemmer needed.
  const a = await searcher.rank('provisioned'), b = await searcher.rank('provisioning');
  assert.deepEqual(a.terms.map((t) => t.stem), b.terms.map((t) => t.stem));
  assert.deepEqual(a.hits, b.hits);
});

test('the last word is completed as a prefix while typing, earlier words are not', async () => {
  const typing = await top('dirsy');
  assert.equal(typing.ids[0], DIRSYNC);
  assert.ok(typing.ranked.terms.some((t) => t.how === 'prefix'));
  const done = await searcher.rank('dirsy ');
  assert.ok(!done.terms.some((t) => t.how === 'prefix'), 'a finished word is not completed');
});

test('one typo is forgiven', async () => {
  const out = await top('dirsnyc');
  assert.equal(out.ids[0], DIRSYNC);
  assert.equal(out.ranked.terms[0].how, 'typo');
});

test('a title match ranks above body matches (BM25F field weights)', async () => {
  const out = await top('salesforce');
  assert.equal(out.ids[0], 'salesforce-new-users-not-provisioned');
  const imp = await top('import');
  assert.equal(imp.ids[0], 'okta-ad-agent-stops-syncing');
});

test('documents matching more of the words come first', async () => {
  const out = await searcher.rank('dirsync salesforce');
  const [first, second] = out.hits;
  assert.equal(first.matched, 1);
  const both = await searcher.rank('provisioning salesforce');
  assert.equal(both.hits[0].matched, 2);
  assert.ok(both.hits.slice(1).every((h) => h.score <= both.hits[0].score));
  assert.ok(second === undefined || second.score <= first.score);
});

test('filters narrow the results and count the values over them', async () => {
  const all = await top('provisioning', { facets: true });
  assert.ok(all.total >= 4, `total ${all.total}`);
  const okta = all.facets.products.find((p) => p.slug === 'okta');
  assert.equal(okta.count, all.total);
  const sf = all.facets.tags.find((t) => t.slug === 'salesforce');
  assert.equal(sf.count, 1);
  const narrowed = await top('provisioning', { selected: { tags: ['salesforce'] } });
  assert.deepEqual(narrowed.ids, ['salesforce-new-users-not-provisioned']);
  assert.equal(narrowed.total, 1);
  const o365 = await top('provisioning', { selected: { products: ['microsoft-office-365'] } });
  assert.equal(o365.total, 3);
  assert.ok(o365.ids.includes(DIRSYNC));
  assert.ok(!o365.ids.includes('salesforce-new-users-not-provisioned'));
});

test('pasted errors ask the matcher first and do not repeat its article', async () => {
  const calls = [];
  const matcher = {
    ready: () => Promise.resolve(),
    rank: (text, limit) => { calls.push([text, limit]); return [{ id: DIRSYNC, title: 'DirSync', url: `articles/${DIRSYNC}/`, score: 0.9 }]; },
  };
  const error = 'Automatic profile push of user Jane Doe to app Microsoft Office 365 failed:\n' +
    'httpStatusCode=400 errorCode=Request_BadRequest client-request-id=5f0e8a3c-1b2d-4c5e-8f90-123456789abc';
  assert.ok(KbSearch.looksLikeError(error));
  const out = await top(error, { matcher });
  assert.deepEqual(calls, [[error, 5]]);
  assert.equal(out.matches[0].id, DIRSYNC);
  assert.ok(!out.ids.includes(DIRSYNC), 'the matched article is not listed twice');
  assert.ok(out.ids.length > 0, 'full-text results follow');
  calls.length = 0;
  await top('dirsync', { matcher });
  assert.deepEqual(calls, [], 'plain words do not go to the matcher');
  assert.ok(!KbSearch.looksLikeError('name change provisioning'));
  assert.ok(KbSearch.looksLikeError('AADSTS50105'));
});

test('a two-word query fetches only its shards and the records of its results', async () => {
  fetched.length = 0;
  const fresh = await KbSearch.open((path) => { fetched.push(path); return readFileSync(join(dir, path), 'utf8'); });
  await KbSearch.search(fresh, 'dirsync displayname', { limit: 5 });
  const shards = fetched.filter((p) => p.startsWith('t/'));
  assert.deepEqual([...new Set(shards)].sort(), ['t/64.json'], 'both words live in the "d" shard');
  assert.ok(!fetched.includes('facets.json'), 'facets load only when filters are shown');
  assert.ok(fetched.filter((p) => p.startsWith('d/')).length <= 5);
});

test('the client refuses an index of another version', async () => {
  await assert.rejects(KbSearch.open(() => JSON.stringify({ version: 2, shards: [] })), /version 2/);
});

test('words fold like the Rust side: NFKC, lower case, Unicode word boundaries', () => {
  assert.deepEqual(KbSearch.words("Okta's push failed: lastName, displayName."),
    ["okta's", 'push', 'failed', 'lastname', 'displayname']);
  assert.deepEqual(KbSearch.words('ＡＢＣ ﬁle'), ['abc', 'file']);
  assert.equal(KbSearch.editDistance('dirsnyc', 'dirsync', 2), 1);
});

// ---- ranking rules on small hand-made indexes (the format of src/search/mod.rs) ----

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

// The inverse of KbSearch.decode: src/search/encode.rs in a few lines.
function encode(nums) {
  let out = '';
  for (let v of nums) {
    for (;;) {
      const low = v & 31;
      v = Math.floor(v / 32);
      if (v === 0) { out += ALPHABET[low]; break; }
      out += ALPHABET[low | 32];
    }
  }
  return out;
}

function hexKey(key) {
  return Buffer.from(key, 'utf8').toString('hex') || '_';
}

// shards: {key: {stems: {stem: {postings: [[doc, tf]...], surfaces: [...]}}, words: {surface: stem}}}.
// Returns a searcher over the index and the list of files it fetched.
async function memoryIndex(docs, shards) {
  const files = new Map();
  files.set('meta.json', JSON.stringify({
    version: 1, docs, k1: 1.2, tf_scale: 4, chunk: 1, stopwords: [], shards: Object.keys(shards).sort(),
    fields: [], products: [], tags: [],
  }));
  for (const [key, { stems = {}, words = {} }] of Object.entries(shards)) {
    const t = {};
    for (const [stem, { postings, surfaces = [stem] }] of Object.entries(stems)) {
      let prev = 0;
      const nums = [];
      for (const [doc, tf] of postings) { nums.push(doc - prev, tf); prev = doc; }
      t[stem] = [postings.length, encode(nums), surfaces];
    }
    files.set(`t/${hexKey(key)}.json`, JSON.stringify({ t, w: words }));
  }
  for (let d = 0; d < docs; d++) {
    files.set(`d/${d}.json`, JSON.stringify([{ id: `doc${d}`, url: `articles/doc${d}/`, title: `Doc ${d}`, text: '' }]));
  }
  const got = [];
  const s = await KbSearch.open((path) => {
    got.push(path);
    if (!files.has(path)) throw new Error(`no ${path}`);
    return files.get(path);
  });
  return { s, got };
}

test('a word every article has still counts where it is concentrated (smoothed idf)', async () => {
  // "sync" is in all four documents, in doc0's title (high pseudo tf); "agent" is a
  // little stronger in doc1. With the idf of a word in every document near zero,
  // doc1 would win on "agent" alone.
  const { s } = await memoryIndex(4, {
    s: { stems: { sync: { postings: [[0, 40], [1, 4], [2, 4], [3, 4]] } } },
    a: { stems: { agent: { postings: [[0, 8], [1, 12]] } } },
  });
  const out = await s.rank('sync agent ');
  assert.deepEqual(out.hits.slice(0, 2).map((h) => h.doc), [0, 1]);
});

test('a typo in the letters that pick the shard finds the word in the shard it points to', async () => {
  const { s, got } = await memoryIndex(3, {
    an: { stems: { anyconnect: { postings: [[0, 8]] } } },
    ay: { stems: { ayes: { postings: [[1, 8]] } } },
    ma: { stems: { mail: { postings: [[1, 8]] } } },
    mb: { stems: { mbox: { postings: [[1, 8]] } } },
    md: { stems: { mdm: { postings: [[1, 8]] } } },
    mic: { stems: { microsoft: { postings: [[2, 8]] } } },
  });
  // Two neighbouring letters swapped: "ay..." lives in another shard than "an...".
  const swapped = await s.rank('aynconnect ');
  assert.equal(swapped.hits[0].doc, 0);
  assert.equal(swapped.terms[0].how, 'typo');
  // A letter missing: "mc..." is one edit from the key "mic"; the longest keys are
  // tried first and at most three other shards are fetched.
  got.length = 0;
  const missing = await s.rank('mcrosoft ');
  assert.equal(missing.hits[0]?.doc, 2);
  assert.ok(got.includes('t/6d6963.json'));
  assert.ok(got.filter((p) => p.startsWith('t/')).length <= 3, got.join(' '));
});

test('an unknown word is read both as an unseen inflection and as a typo', async () => {
  // "servicenwo" has the known prefix "service" (an inflection reading) and is one
  // swap from "servicenow" (a typo reading); the rarer, closer word wins.
  const { s } = await memoryIndex(4, {
    s: {
      stems: {
        servic: { postings: [[0, 8], [1, 8], [2, 8]], surfaces: ['service'] },
        servicenow: { postings: [[3, 8]] },
      },
      words: { service: 'servic' },
    },
  });
  const out = await s.rank('servicenwo ');
  assert.equal(out.hits[0].doc, 3);
  assert.deepEqual(out.terms.map((t) => t.how).sort(), ['inflection', 'typo']);
});
