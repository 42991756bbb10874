// Ranking principles in Chromium, on tests/fixtures/search-ranking (small articles
// written for each principle) built with its own kbgen.yaml: the search page's
// first result for each query. The client (templates/static/search.js) decides
// these orders from the index: words matched first, then title words and phrases,
// then BM25F; synonym groups from kbgen.yaml.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildAndServe } from './harness.mjs';

const FIXTURE = 'tests/fixtures/search-ranking';
let url, browser, close;

before(async () => {
  ({ url, browser, close } = await buildAndServe(
    { kb: `${FIXTURE}/kb`, config: `${FIXTURE}/kbgen.yaml`, templates: 'templates' }));
});

after(() => close?.());

// The article ids the search page lists for `q`, in order.
async function results(q) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${url}search/?q=${encodeURIComponent(q)}`);
  await page.locator('[data-kb-search-results] [role="option"]').first().waitFor();
  const hrefs = await page.locator('[data-kb-search-results] [role="option"]').evaluateAll(
    (links) => links.map((a) => a.getAttribute('href')));
  await context.close();
  assert.deepEqual(errors, []);
  return hrefs.map((h) => h.match(/articles\/([^/]+)\//)[1]);
}

test('words in the title outrank the same words repeated through a long body', async () => {
  assert.equal((await results('configure mailbox quota'))[0], 'title-quota');
});

test('an article with all the words beats one with some of them many times', async () => {
  assert.equal((await results('printer driver offline'))[0], 'all-words');
});

test('words next to each other in order beat the same words apart', async () => {
  assert.equal((await results('reset password'))[0], 'phrase-reset');
});

test('an error code typed alone finds the article that shows it', async () => {
  assert.equal((await results('OutOfMemoryError'))[0], 'heap-code');
});

test('a synonym group from kbgen.yaml finds the renamed product, just below exact matches', async () => {
  const renamed = await results('entra id sign-in logs empty');
  assert.equal(renamed[0], 'renamed', 'the article says "Azure AD"');
  const both = await results('entra id sign-in logs');
  assert.deepEqual(both.slice(0, 2), ['exact-name', 'renamed']);
  const back = await results('azure ad sign-in logs');
  assert.deepEqual(back.slice(0, 2), ['renamed', 'exact-name']);
});
