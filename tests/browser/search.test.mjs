// Search in Chromium on a site built from tests/fixtures/search/kb: the header box
// drops down results as the reader types, the search page runs ?q=, filters narrow,
// inflected words and the keyboard work, and nothing leaves the site.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildAndServe } from './harness.mjs';

const DIRSYNC = 'articles/o365-dirsync-profile-push-400/';
const TITLE = /Office 365 profile push fails with HTTP 400/;
let url, browser, close;

before(async () => {
  ({ url, browser, close } = await buildAndServe({ kb: 'tests/fixtures/search/kb', templates: 'templates' }));
});

after(() => close?.());

async function open(path) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.requests = [];
  page.errors = [];
  page.on('request', (r) => page.requests.push(r.url()));
  page.on('pageerror', (e) => page.errors.push(String(e)));
  await page.goto(url + path);
  return { page, context };
}

function foreign(page) {
  return page.requests.filter((u) => !u.startsWith(url));
}

test('typing in the header box drops down the DirSync article first, highlighted', async () => {
  const { page, context } = await open('');
  const box = page.locator('#site-search-q');
  await box.pressSequentially('dirsync', { delay: 20 });
  const first = page.locator('.site-search [role="option"]').first();
  await first.waitFor();
  assert.match(await first.innerText(), TITLE);
  assert.equal(await first.getAttribute('href'), DIRSYNC);
  const mark = page.locator('.site-search .search-result').first().locator('mark').first();
  assert.equal((await mark.innerText()).toLowerCase(), 'dirsync');
  assert.equal(await box.getAttribute('aria-expanded'), 'true');
  assert.ok(page.requests.some((u) => u.includes('/search/t/')), 'a dictionary shard was fetched');
  assert.deepEqual(foreign(page), []);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('arrow keys choose a result, Enter opens it, Escape closes the list', async () => {
  const { page, context } = await open('articles/okta-ad-agent-stops-syncing/');
  const box = page.locator('#site-search-q');
  await box.fill('displayName');
  const panel = page.locator('.site-search .search-dropdown');
  await panel.locator('[role="option"]').first().waitFor();
  await box.press('Escape');
  assert.equal(await panel.isHidden(), true);
  await box.fill('displayNam');
  await panel.locator('[role="option"]').first().waitFor();
  assert.match(await panel.locator('[role="option"]').first().innerText(), TITLE);
  await box.press('ArrowDown');
  const active = await box.getAttribute('aria-activedescendant');
  assert.equal(await page.locator(`#${active}`).getAttribute('aria-selected'), 'true');
  await Promise.all([page.waitForURL(url + DIRSYNC), box.press('Enter')]);
  assert.match(await page.locator('h1').innerText(), TITLE);
  await context.close();
});

test('?q= runs the search on the search page, and Enter in the header box leads there', async () => {
  const { page, context } = await open('search/?q=' + encodeURIComponent('name change provisioning'));
  const first = page.locator('[data-kb-search-results] .search-result').first();
  await first.waitFor();
  assert.match(await first.locator('a').innerText(), TITLE);
  assert.ok(await first.locator('mark').count() >= 2, 'query words are highlighted');
  assert.match(await page.locator('[data-kb-search-status]').innerText(), /results? for/);
  assert.equal(await page.locator('#search-q').inputValue(), 'name change provisioning');
  const home = await open('');
  await home.page.locator('#site-search-q').fill('dirsync');
  await Promise.all([home.page.waitForURL(/\/search\/\?q=dirsync$/), home.page.locator('#site-search-q').press('Enter')]);
  await home.page.locator('[data-kb-search-results] .search-result').first().waitFor();
  await home.context.close();
  await context.close();
});

test('a tag filter narrows the results, with counts, and Back restores them', async () => {
  const { page, context } = await open('search/?q=provisioning');
  const results = page.locator('[data-kb-search-results] .search-result');
  await results.first().waitFor();
  const before = await results.count();
  assert.ok(before >= 4, `${before} results`);
  const tags = page.locator('[data-kb-search-facets] fieldset', { has: page.locator('legend', { hasText: 'Tags' }) });
  const label = tags.locator('label', { hasText: 'salesforce' });
  assert.match(await label.innerText(), /\(1\)/);
  await label.locator('input').check();
  await page.waitForFunction(() => document.querySelectorAll('[data-kb-search-results] .search-result').length === 1);
  assert.match(page.url(), /tag=salesforce/);
  assert.match(await results.first().innerText(), /Salesforce provisioning/);
  await page.goBack();
  await page.waitForFunction((n) => document.querySelectorAll('[data-kb-search-results] .search-result').length === n, before);
  assert.doesNotMatch(page.url(), /tag=/);
  await context.close();
});

test('an inflected word finds the article: syncs (the text says synced and syncing)', async () => {
  const { page, context } = await open('products/');
  await page.locator('#site-search-q').fill('syncs');
  const first = page.locator('.site-search [role="option"]').first();
  await first.waitFor();
  assert.match(await first.innerText(), TITLE);
  const marks = await page.locator('.site-search .search-result').first().locator('mark').allInnerTexts();
  assert.ok(marks.some((m) => /^sync/i.test(m)), `marks ${marks}`);
  assert.equal(await first.getAttribute('href'), '../' + DIRSYNC);
  await context.close();
});

test('a typo finds the article: "name chnage provisoning" on the search page', async () => {
  const { page, context } = await open('search/?q=' + encodeURIComponent('name chnage provisoning'));
  const first = page.locator('[data-kb-search-results] [role="option"]').first();
  await first.waitFor();
  assert.match(await first.innerText(), TITLE);
  assert.equal(await first.getAttribute('href'), '../' + DIRSYNC);
  assert.deepEqual(foreign(page), []);
  await context.close();
});
