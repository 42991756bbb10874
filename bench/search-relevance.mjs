#!/usr/bin/env node
// Known-item relevance of kbgen's search on a built site, measured with the real
// client (templates/static/search.js, as copied to SITE/assets/search.js) in Node.
//
//   node bench/search-relevance.mjs SITE_DIR QUERIES.json [--page 10] [--json]
//
// QUERIES.json: [{"q": "name change provisioning", "expect_id": "o365-dirsync-..."}, ...]
// Each query runs on a fresh client (no cache between queries), so "bytes" is what a
// reader's first query transfers: meta.json, the dictionary shards it needs and the
// records of the first page of results (facets.json is not loaded: no filter shown).
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScript } from '../tests/js/load-script.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : dflt; };
const positional = args.filter((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1] === '--page'));
if (positional.length < 2) {
  console.error('usage: node bench/search-relevance.mjs SITE_DIR QUERIES.json [--page N] [--json]');
  process.exit(2);
}
const [siteDir, queriesPath] = positional.map((p) => resolve(p));
const page = Number(opt('--page', 10));

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const clientPath = [join(siteDir, 'assets', 'search.js'), join(repoRoot, 'templates', 'static', 'search.js')]
  .find((p) => existsSync(p));
const KbSearch = loadScript(clientPath);
const queries = JSON.parse(readFileSync(queriesPath, 'utf8'));
const searchDir = join(siteDir, 'search');

const rows = [];
for (const { q, expect_id: expect, kind } of queries) {
  let bytes = 0, files = 0;
  const loader = (path) => {
    const text = readFileSync(join(searchDir, path));
    bytes += text.length;
    files += 1;
    return text.toString('utf8');
  };
  const searcher = await KbSearch.open(loader);
  const out = await KbSearch.search(searcher, q, { limit: page });
  const ids = out.records.map((r) => r.id);
  const rank = ids.indexOf(expect) + 1;
  // Ranking time once the shards are in memory (what the reader waits for after the
  // network): the same query again on the warm client.
  const t0 = performance.now();
  await searcher.rank(q);
  const warm = performance.now() - t0;
  rows.push({ q, expect, kind: kind ?? 'all', rank, top: ids[0] ?? null, bytes, files, rank_ms: warm, total: out.total });
}

const n = rows.length || 1;
const pct = (k) => (100 * rows.filter((r) => r.rank >= 1 && r.rank <= k).length) / n;
const mean = (f) => rows.reduce((s, r) => s + f(r), 0) / n;
const sorted = rows.map((r) => r.bytes).sort((a, b) => a - b);
const summary = {
  engine: 'kbgen',
  queries: rows.length,
  top1: pct(1),
  top5: pct(5),
  mrr: mean((r) => (r.rank ? 1 / r.rank : 0)),
  bytes_mean: mean((r) => r.bytes),
  bytes_p95: sorted[Math.floor(sorted.length * 0.95)] ?? 0,
  bytes_max: sorted[sorted.length - 1] ?? 0,
  files_mean: mean((r) => r.files),
  rank_ms_mean: mean((r) => r.rank_ms),
  per_kind: perKind(rows),
};

// Hit rates by query kind (exact words, other inflections, one typo), when the
// query file labels them.
function perKind(list) {
  const out = {};
  for (const r of list) {
    const k = (out[r.kind] ??= { n: 0, top1: 0, top5: 0 });
    k.n += 1;
    if (r.rank === 1) k.top1 += 1;
    if (r.rank >= 1 && r.rank <= 5) k.top5 += 1;
  }
  return out;
}

if (flag('--json')) {
  console.log(JSON.stringify({ summary, rows }, null, 2));
} else {
  const kb = (b) => (b / 1024).toFixed(1);
  console.log('| engine | queries | top-1 | top-5 | MRR | KB/query mean | p95 | max | files/query | rank ms (shards loaded) |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  console.log(`| kbgen | ${summary.queries} | ${summary.top1.toFixed(1)}% | ${summary.top5.toFixed(1)}% | ` +
    `${summary.mrr.toFixed(3)} | ${kb(summary.bytes_mean)} | ${kb(summary.bytes_p95)} | ${kb(summary.bytes_max)} | ` +
    `${summary.files_mean.toFixed(1)} | ${summary.rank_ms_mean.toFixed(2)} |`);
  const kinds = Object.entries(summary.per_kind);
  if (kinds.length > 1) {
    console.log('\n| kind | queries | top-1 | top-5 |');
    console.log('|---|---:|---:|---:|');
    for (const [k, v] of kinds) {
      console.log(`| ${k} | ${v.n} | ${(100 * v.top1 / v.n).toFixed(1)}% | ${(100 * v.top5 / v.n).toFixed(1)}% |`);
    }
  }
  const misses = rows.filter((r) => r.rank !== 1).slice(0, 10);
  if (misses.length) {
    console.log('\nnot first (up to 10):');
    for (const r of misses) console.log(`  ${JSON.stringify(r.q)} -> ${r.top} (expected ${r.expect} at ${r.rank || '>' + page})`);
  }
}
