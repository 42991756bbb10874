// Accessibility with axe-core: 0 violations (WCAG 2.x A and AA, and axe's best
// practices) on home, an article, a tag page, search (empty and with results) and the
// error index, in light and dark mode, also with the paste box showing results.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildAndServe } from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
let url, dir, browser, close;

before(async () => {
  ({ url, dir, browser, close } = await buildAndServe({ fixture: 'basic' }));
});

after(() => close?.());

function firstDir(folder) {
  const dirs = readdirSync(join(dir, folder), { withFileTypes: true }).filter((d) => d.isDirectory());
  assert.ok(dirs.length > 0, `no pages under ${folder}/`);
  return `${folder}/${dirs.map((d) => d.name).sort()[0]}/`;
}

/** Runs axe on `path`; returns the violations, one line each, with the failing nodes. */
async function violations(path, colorScheme, prepare) {
  // axe is injected as an inline script, which the pages' CSP forbids: bypass it here only.
  const context = await browser.newContext({ colorScheme, bypassCSP: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(url + path, { waitUntil: 'load' });
  if (prepare) await prepare(page);
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async (tags) => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} -> ${v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' ' + (n.failureSummary || '').replace(/\s+/g, ' ')).join(' | ')}`);
  }, TAGS);
  await context.close();
  return result;
}

const pastedError = async (page) => {
  const input = page.locator('[data-kb-paste-input]');
  await input.fill('Automatic profile push of user Jane Doe to app Microsoft Office 365 failed: Request_BadRequest');
  await input.dispatchEvent('input');
  await page.waitForTimeout(400);
};

function pagesToCheck() {
  return [
    ['home', ''],
    ['article', firstDir('articles')],
    ['tag page', firstDir('tags')],
    ['product page', firstDir('products')],
    ['search', 'search/'],
    ['search with results', 'search/?q=office'],
    ['error index', 'errors/'],
    ['home with a pasted error', '', pastedError],
    ['404', '404.html'],
  ];
}

for (const colorScheme of ['light', 'dark']) {
  test(`axe finds no violations in ${colorScheme} mode`, async () => {
    const problems = [];
    for (const [name, path, prepare] of pagesToCheck()) {
      for (const v of await violations(path, colorScheme, prepare)) problems.push(`${name} (/${path}): ${v}`);
    }
    assert.deepEqual(problems, []);
  });
}
