#!/usr/bin/env node
// Runs a query file against one engine on a built site and prints one JSON row per
// query: {q, expect, kind, half, rank (0 = not in the first page), bytes}.
//
//   node bench/relevance/run-queries.mjs kbgen|pagefind SITE_DIR QUERIES.json [--page 10]
//
// Both engines are measured the same way: every query starts cold (a fresh client,
// nothing cached), and `bytes` is everything it fetches to show the first page: the
// index files the query needs and the records (kbgen `search/d/N.json`) or fragments
// (Pagefind) of the first `--page` results. kbgen runs the site's own
// `assets/search.js` in Node; Pagefind its own `pagefind/pagefind.js`, with `fetch`
// answered from disk (bench/pagefind-node.mjs).
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadScript } from '../../tests/js/load-script.mjs';
import { idOf, pagefindFromDisk } from '../pagefind-node.mjs';

const [engine, siteArg, queriesArg, ...rest] = process.argv.slice(2);
if (!['kbgen', 'pagefind'].includes(engine) || !siteArg || !queriesArg) {
  console.error('usage: node bench/relevance/run-queries.mjs kbgen|pagefind SITE_DIR QUERIES.json [--page N]');
  process.exit(2);
}
const site = resolve(siteArg);
const page = Number(rest[rest.indexOf('--page') + 1]) || 10;
const queries = JSON.parse(readFileSync(queriesArg, 'utf8'));

async function kbgenRunner() {
  const KbSearch = loadScript(join(site, 'assets', 'search.js'));
  return async (q) => {
    let bytes = 0;
    const loader = (path) => {
      const text = readFileSync(join(site, 'search', path));
      bytes += text.length;
      return text.toString('utf8');
    };
    const s = await KbSearch.open(loader);
    const out = await KbSearch.search(s, q, { limit: page });
    return { ids: out.records.map((r) => r.id), bytes };
  };
}

async function pagefindRunner() {
  const disk = pagefindFromDisk(site);
  return async (q) => {
    // a fresh module instance per query: nothing cached from the one before
    const pf = await disk.load({ cold: true });
    disk.bytes = 0;
    await pf.init();
    const r = await pf.search(q);
    const data = await Promise.all(r.results.slice(0, page).map((x) => x.data()));
    await pf.destroy?.();
    return { ids: data.map((d) => idOf(d.url)), bytes: disk.bytes };
  };
}

const run = engine === 'kbgen' ? await kbgenRunner() : await pagefindRunner();
const rows = [];
for (const { q, expect_id: expect, kind, half } of queries) {
  const { ids, bytes } = await run(q);
  rows.push({ q, expect, kind: kind ?? 'all', half: half ?? 'report', rank: ids.indexOf(expect) + 1, top: ids[0] ?? null, bytes });
}
console.log(JSON.stringify(rows));
