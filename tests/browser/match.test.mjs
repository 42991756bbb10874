// The paste box in a real browser: the repository's kb is built with the real
// binary, served on 127.0.0.1, and pasting the seed error must show the same article
// `kbgen match` names, with the matched text highlighted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildAndServe, kbgenBin, repoRoot, screenshotsDir } from './harness.mjs';

const { vectors } = JSON.parse(readFileSync(join(repoRoot, 'tests/match-vectors.json'), 'utf8'));
const input = (name) => vectors.find((v) => v.name === name).input;
const SEED = input('seed error with a hyphenated name and hex request ids');
let url, out, browser, close;

before(async () => {
  ({ url, dir: out, browser, close } = await buildAndServe({ kb: 'kb', templates: 'templates' }));
});

after(() => close?.());

async function paste(path, text) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const hosts = new Set();
  page.on('request', (r) => hosts.add(new URL(r.url()).hostname));
  await page.goto(url + path);
  await page.locator('[data-kb-paste-input]').fill(text);
  await page.locator('[data-kb-paste-results] .paste-match, [data-kb-paste-results] .paste-none')
    .first().waitFor({ timeout: 10_000 });
  return { page, context, hosts };
}

function cli(text) {
  const run = spawnSync(kbgenBin(), ['match', '--kb', join(repoRoot, 'kb'), '--format', 'json'],
    { input: text, encoding: 'utf8' });
  return JSON.parse(run.stdout).matches;
}

test('pasting the seed error on the home page shows the article kbgen match names', async () => {
  const { page, context, hosts } = await paste('', SEED);
  const first = page.locator('[data-kb-paste-results] .paste-match').first();
  const link = first.locator('a');
  const [expected] = cli(SEED);
  assert.equal(expected.id, 'o365-dirsync-profile-push-400');
  assert.equal(await link.innerText(), expected.title);
  assert.ok((await link.getAttribute('href')).endsWith(expected.url));
  const mark = await first.locator('.paste-excerpt mark').innerText();
  assert.ok(mark.startsWith('Automatic profile push of user Jean-Luc Picard'), mark);
  // under the result, the error text that matched with its found words marked
  const why = first.locator('.paste-why');
  assert.match(await why.innerText(), /^Matched error text: automatic profile push of user <…>/);
  const found = await why.locator('mark').allInnerTexts();
  assert.ok(found.includes('mastered') && found.includes('request_badrequest'), found.join(' '));
  assert.deepEqual([...hosts], ['127.0.0.1'], 'everything comes from the site itself');
  await page.screenshot({ path: join(screenshotsDir, 'paste-match.png'), fullPage: true });
  await link.click();
  await page.waitForURL(/articles\/o365-dirsync-profile-push-400\/$/);
  await context.close();
});

test('an unrelated Graph API 400 error says clearly that nothing matched', async () => {
  const text = input('look-alike: same Okta framing, read-only property message');
  assert.deepEqual(cli(text), []);
  const { page, context } = await paste('errors/', text);
  const none = page.locator('[data-kb-paste-results] .paste-none');
  assert.match(await none.innerText(), /No article matches/);
  assert.equal(await page.locator('[data-kb-paste-results] .paste-match').count(), 0);
  await context.close();
});

test('the paste is shown as text, never as markup', async () => {
  const text = '<img src=x id=injected onerror="document.title=1">\n' + SEED;
  const { page, context } = await paste('errors/', text);
  await page.locator('[data-kb-paste-results] .paste-match').first().waitFor();
  assert.equal(await page.locator('#injected').count(), 0);
  await context.close();
});

test('opened from a file, the paste box says matching needs the site served over http(s)', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(pathToFileURL(join(out, 'index.html')).href);
  await page.locator('[data-kb-paste-input]').fill(SEED);
  const none = page.locator('[data-kb-paste-results] .paste-none');
  await none.waitFor({ timeout: 10_000 });
  assert.match(await none.innerText(), /served over http\(s\)/);
  assert.equal(await page.locator('[data-kb-paste-results] .paste-match').count(), 0);
  await context.close();
});
