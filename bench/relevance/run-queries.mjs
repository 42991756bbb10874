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
// answered from disk.
import { readFileSync, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadScript } from '../../tests/js/load-script.mjs';

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
  let bytes = 0;
  globalThis.fetch = async (url) => {
    const u = new URL(url, 'http://127.0.0.1/');
    const file = join(site, decodeURIComponent(u.pathname));
    if (!file.startsWith(site)) return new Response('', { status: 403 });
    try {
      const buf = await readFile(file);
      bytes += buf.length;
      return new Response(buf, { status: 200 });
    } catch {
      return new Response('', { status: 404 });
    }
  };
  globalThis.location ??= { href: 'http://127.0.0.1/', origin: 'http://127.0.0.1' };
  const idOf = (url) => (url.match(/articles\/([^/]+)\/?/) || [])[1] || url;
  const href = pathToFileURL(join(site, 'pagefind/pagefind.js')).href;
  let n = 0;
  return async (q) => {
    // a fresh module instance per query: nothing cached from the one before
    const pf = await import(`${href}?cold=${n++}`);
    await pf.options({ basePath: '/pagefind/' });
    bytes = 0;
    await pf.init();
    const r = await pf.search(q);
    const data = await Promise.all(r.results.slice(0, page).map((x) => x.data()));
    await pf.destroy?.();
    return { ids: data.map((d) => idOf(d.url)), bytes };
  };
}

if (engine === 'pagefind' && !existsSync(join(site, 'pagefind/pagefind.js'))) {
  console.error(`no Pagefind index under ${site}/pagefind`);
  process.exit(1);
}
const run = engine === 'kbgen' ? await kbgenRunner() : await pagefindRunner();
const rows = [];
for (const { q, expect_id: expect, kind, half } of queries) {
  const { ids, bytes } = await run(q);
  rows.push({ q, expect, kind: kind ?? 'all', half: half ?? 'report', rank: ids.indexOf(expect) + 1, top: ids[0] ?? null, bytes });
}
console.log(JSON.stringify(rows));
