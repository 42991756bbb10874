// What a reader sees in Chromium: the article, navigation from home, the 404 page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildAndServe, repoRoot, screenshotsDir } from './harness.mjs';

const ARTICLE = 'articles/o365-dirsync-profile-push-400/';
let url, browser, close;

before(async () => {
  ({ url, browser, close } = await buildAndServe({ fixture: 'basic' }));
  mkdirSync(screenshotsDir, { recursive: true });
});

after(() => close?.());

/** A page that records every request it makes. */
async function open(path, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  page.requests = [];
  page.on('request', (r) => page.requests.push(r.url()));
  const response = await page.goto(url + path);
  return { page, response, context };
}

function articleIds() {
  return readdirSync(join(repoRoot, 'tests/fixtures/site/basic/kb'))
    .map((f) => f.replace(/\.ya?ml$/, ''))
    .sort();
}

test('the article shows its sections and numbered resolution steps', async () => {
  const { page, context } = await open(ARTICLE);
  await assert.doesNotReject(page.getByRole('heading', { level: 1 }).waitFor());
  assert.match(await page.locator('h1').innerText(), /Office 365 profile push fails/);
  const sections = await page.locator('main h2').allInnerTexts();
  for (const s of ['Symptoms', 'Environment', 'This issue occurs when', 'Cause', 'Resolution']) {
    assert.ok(sections.includes(s), `section ${s} in ${sections}`);
  }
  const steps = page.locator('ol.steps > li');
  assert.equal(await steps.count(), 3);
  for (let i = 0; i < 3; i++) assert.ok(await steps.nth(i).isVisible(), `step ${i + 1} visible`);
  assert.match(await steps.first().innerText(), /Okta Admin Dashboard/);
  const placeholder = page.locator('pre.error-text .ph').first();
  assert.equal(await placeholder.innerText(), '<firstname>');
  // Nothing is fetched from anywhere but the site itself.
  const foreign = page.requests.filter((u) => !u.startsWith(url));
  assert.deepEqual(foreign, []);
  await page.screenshot({ path: join(screenshotsDir, 'article.png'), fullPage: true });
  await context.close();
});

test('the article reads well on a phone and in dark mode', async () => {
  const phone = await open(ARTICLE, { viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no horizontal scrolling (page is ${width}px wide)`);
  const bg = await phone.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.notEqual(bg, 'rgb(255, 255, 255)', 'dark background in dark mode');
  await phone.page.screenshot({ path: join(screenshotsDir, 'article-phone-dark.png') });
  await phone.context.close();
});

test('the article works with JavaScript off and the skip link comes first', async () => {
  const { page, context } = await open(ARTICLE, { javaScriptEnabled: false });
  assert.equal(await page.locator('ol.steps > li').count(), 3);
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement.className);
  assert.equal(focused, 'skip-link');
  assert.ok(await page.locator('.skip-link').isVisible(), 'skip link is visible when focused');
  await context.close();
});

async function reachByFacet(sectionId) {
  const { page, context } = await open('');
  const terms = await page.locator(`section[aria-labelledby="${sectionId}"] a`).evaluateAll(
    (links) => links.map((a) => a.href));
  assert.ok(terms.length > 0, `links under ${sectionId}`);
  const reached = new Set();
  for (const term of terms) {
    await page.goto(term);
    for (const href of await page.locator('ul.cards a.card-title').evaluateAll((l) => l.map((a) => a.href))) {
      await page.goto(href);
      assert.equal(await page.locator('ol.steps').count(), 1, `${href} is an article`);
      reached.add(new URL(href).pathname.split('/').filter(Boolean).pop());
    }
  }
  await context.close();
  return [...reached].sort();
}

test('every article is reachable from home by product', async () => {
  assert.deepEqual(await reachByFacet('h-products'), articleIds());
});

test('every article is reachable from home by tag', async () => {
  assert.deepEqual(await reachByFacet('h-tags'), articleIds());
});

test('an unknown address shows the styled 404 page at any depth', async () => {
  const { page, response, context } = await open('no/such/deep/page');
  assert.equal(response.status(), 404);
  assert.equal(await page.locator('h1').innerText(), 'Page not found');
  const header = await page.evaluate(() =>
    getComputedStyle(document.querySelector('.site-header')).borderBottomStyle);
  assert.equal(header, 'solid', 'the stylesheet loaded from a deep path');
  await page.locator('main').getByRole('link', { name: 'all articles' }).click();
  assert.equal(await page.locator('h1').innerText(), 'All articles');
  await page.goto(url + 'no/such/page');
  await page.screenshot({ path: join(screenshotsDir, '404.png') });
  await context.close();
});

test('the home page offers search, the paste box and recent articles', async () => {
  const { page, context } = await open('');
  assert.ok(await page.locator('form.site-search input[name="q"]').isVisible());
  assert.ok(await page.getByLabel('Paste your error').isVisible());
  assert.ok(await page.locator('section[aria-labelledby="h-recent"] li.card').count() >= 3);
  await page.screenshot({ path: join(screenshotsDir, 'home.png'), fullPage: true });
  await context.close();
});
