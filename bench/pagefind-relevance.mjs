// Known-item search relevance of Pagefind's own JavaScript API, run in Node.
//
//   node bench/pagefind-relevance.mjs SITE_DIR QUERIES_JSON
//
// SITE_DIR holds a site indexed by the Pagefind CLI (SITE_DIR/pagefind/pagefind.js).
// pagefind.js runs in Node with `fetch` answered from the files on disk
// (bench/pagefind-node.mjs); the bytes it fetches are counted per query (the index
// chunks plus the fragments of the top 5 results, as a results list would load
// them). Prints one JSON line:
//   {"engine","queries","top1","top5","init_bytes","bytes_per_query",
//    "first_query_bytes" (init included),"ms_per_query","per_kind"}
// Queries run one after another in one page session, so chunks fetched for an
// earlier query are not fetched again (as in a browser with a warm cache).
import { readFile } from 'node:fs/promises';
import { idOf, pagefindFromDisk } from './pagefind-node.mjs';

const [site, queriesPath] = process.argv.slice(2);
if (!site || !queriesPath) {
  console.error('usage: node bench/pagefind-relevance.mjs SITE_DIR QUERIES_JSON');
  process.exit(2);
}
const disk = pagefindFromDisk(site);
const queries = JSON.parse(await readFile(queriesPath, 'utf8'));
const pf = await disk.load();
await pf.init();
const initBytes = disk.bytes;

let top1 = 0;
let top5 = 0;
let firstBytes = 0;
const perKind = {};
const t0 = performance.now();
for (const [n, { q, expect_id, kind }] of queries.entries()) {
  const r = await pf.search(q);
  const data = await Promise.all(r.results.slice(0, 5).map((x) => x.data()));
  const ids = data.map((d) => idOf(d.url));
  const k = (perKind[kind] ??= { n: 0, top1: 0, top5: 0 });
  k.n += 1;
  if (ids[0] === expect_id) (top1 += 1), (k.top1 += 1);
  if (ids.includes(expect_id)) (top5 += 1), (k.top5 += 1);
  if (n === 0) firstBytes = disk.bytes;
}
const ms = performance.now() - t0;
const n = queries.length || 1;
console.log(
  JSON.stringify({
    engine: 'pagefind',
    queries: queries.length,
    top1: top1 / n,
    top5: top5 / n,
    init_bytes: initBytes,
    bytes_per_query: Math.round((disk.bytes - initBytes) / n),
    first_query_bytes: firstBytes,
    ms_per_query: +(ms / n).toFixed(2),
    per_kind: perKind,
  }),
);
