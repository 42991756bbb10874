// Pagefind's own JavaScript API (SITE/pagefind/pagefind.js, written by the Pagefind
// CLI) loaded in Node, for bench/pagefind-relevance.mjs and bench/relevance/run-queries.mjs.
// pagefind.js only needs `fetch`, WebAssembly and `import.meta.url`, so `fetch` is
// answered from the site's files on disk, and every byte it fetches is counted.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The article id in a result's URL (`articles/<id>/`), else the URL. */
export const idOf = (url) => (url.match(/articles\/([^/]+)\/?/) || [])[1] || url;

/** Answers `fetch` from `site` and returns { bytes (fetched so far; settable), load }.
 * `load({ cold })` imports pagefind.js with basePath /pagefind/ set; `cold` gives a
 * fresh module instance with nothing cached from before. Exits 1 without an index. */
export function pagefindFromDisk(site) {
  const root = resolve(site);
  const href = pathToFileURL(join(root, 'pagefind/pagefind.js')).href;
  if (!existsSync(join(root, 'pagefind/pagefind.js'))) {
    console.error(`no Pagefind index under ${root}/pagefind`);
    process.exit(1);
  }
  const state = { bytes: 0 };
  globalThis.fetch = async (url) => {
    const u = new URL(url, 'http://127.0.0.1/');
    const file = join(root, decodeURIComponent(u.pathname));
    if (!file.startsWith(root)) return new Response('', { status: 403 });
    try {
      const buf = await readFile(file);
      state.bytes += buf.length;
      return new Response(buf, { status: 200 });
    } catch {
      return new Response('', { status: 404 });
    }
  };
  globalThis.location ??= { href: 'http://127.0.0.1/', origin: 'http://127.0.0.1' };
  let loads = 0;
  state.load = async ({ cold = false } = {}) => {
    const pf = await import(cold ? `${href}?cold=${loads++}` : href);
    await pf.options({ basePath: '/pagefind/' });
    return pf;
  };
  return state;
}
