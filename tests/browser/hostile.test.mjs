// Hostile content in Chromium: the site built from tests/fixtures/hostile/kb is opened
// page by page, and hostile text is typed into the paste box and the search box. No
// dialog may open, no script or event handler from content may exist in the DOM (not
// even for a moment), no CSP violation may be reported, and the text shows as text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { buildAndServe } from './harness.mjs';

let url, out, browser, close;

/** Every page of the site, as URL paths (`articles/x/`, `404.html`). */
function pages(root) {
  const found = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.html')) {
        const rel = relative(root, path).split(sep).join('/');
        found.push(rel.endsWith('index.html') ? rel.slice(0, -'index.html'.length) : rel);
      }
    }
  };
  walk(root);
  return found.sort();
}

// The hostile kb with the built-in templates and no kbgen.yaml.
before(async () => {
  ({ url, dir: out, browser, close } = await buildAndServe(
    { kb: 'tests/fixtures/hostile/kb', templates: false, config: false }));
});

after(() => close?.());

/** Runs in the page before any of its scripts: records every element that carries an
 * event handler or is a script not loaded from the site's assets/, at any moment. */
function watchForInjection() {
  window.__hostile = { injected: [], violations: [] };
  const report = (el) => {
    if (!(el instanceof Element)) return;
    for (const node of [el, ...el.querySelectorAll('*')]) {
      const handlers = [...node.attributes].filter((a) => /^on/i.test(a.name)).map((a) => a.name);
      if (handlers.length) window.__hostile.injected.push(`${node.tagName} ${handlers.join(' ')}`);
      if (node.tagName === 'SCRIPT') {
        const src = node.getAttribute('src') || '';
        if (!/(^|\/)assets\/[a-z]+(-[a-z]+)*\.js$/.test(src) || node.textContent.trim()) {
          window.__hostile.injected.push(`SCRIPT src=${src} text=${node.textContent.slice(0, 80)}`);
        }
      }
      if (['IFRAME', 'OBJECT', 'EMBED', 'BASE', 'FRAME'].includes(node.tagName)) {
        window.__hostile.injected.push(node.tagName);
      }
    }
  };
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes') report(r.target);
      for (const n of r.addedNodes) report(n);
    }
  }).observe(document, { childList: true, subtree: true, attributes: true });
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__hostile.violations.push(`${e.violatedDirective} ${e.blockedURI}`);
  });
}

/** Opens `path` with dialog, console and injection watches; returns helpers. */
async function open(path) {
  const context = await browser.newContext();
  await context.addInitScript(watchForInjection);
  const page = await context.newPage();
  const dialogs = [];
  const cspErrors = [];
  page.on('dialog', async (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss();
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) cspErrors.push(m.text());
  });
  const response = await page.goto(url + path, { waitUntil: 'load' });
  return { page, context, dialogs, cspErrors, response };
}

/** Asserts the page is clean now: no dialog, no injected element, no link that runs script. */
async function assertClean({ page, dialogs, cspErrors }, where) {
  const state = await page.evaluate(() => {
    const live = [];
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.attributes) {
        if (/^on/i.test(a.name)) live.push(`${el.tagName} ${a.name}`);
        if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc'].includes(a.name.toLowerCase())) {
          const url = new URL(a.value, document.baseURI);
          if (!['http:', 'https:', 'mailto:'].includes(url.protocol)) live.push(`${el.tagName} ${a.name}=${a.value}`);
        }
      }
    }
    const scripts = [...document.scripts].map((s) => s.getAttribute('src') || `inline:${s.textContent.slice(0, 60)}`);
    const csp = document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content || '';
    return { live, scripts, csp, ...window.__hostile };
  });
  assert.deepEqual(dialogs, [], `${where}: dialogs`);
  assert.deepEqual(state.injected, [], `${where}: injected elements`);
  assert.deepEqual(state.live, [], `${where}: event handlers or script URLs in the DOM`);
  assert.deepEqual(state.violations, [], `${where}: CSP violations`);
  assert.deepEqual(cspErrors, [], `${where}: CSP console errors`);
  for (const src of state.scripts) assert.match(src, /^(\.\.\/)*assets\/[a-z]+(-[a-z]+)*\.js$|^\/assets\/[a-z]+(-[a-z]+)*\.js$/, `${where}: script ${src}`);
  assert.match(state.csp, /script-src 'self'/, `${where}: CSP meta`);
  assert.match(state.csp, /object-src 'none'/, `${where}: CSP meta`);
  assert.match(state.csp, /base-uri 'none'/, `${where}: CSP meta`);
}

test('every page of the hostile site is free of injected script', async () => {
  const all = pages(out);
  assert.ok(all.length >= 10, `only ${all.length} pages`);
  // One tab walks every page: the watches are installed again on each navigation.
  const opened = await open(all[0]);
  for (const path of all) {
    await opened.page.goto(url + path, { waitUntil: 'load' });
    await assertClean(opened, path);
  }
  await opened.context.close();
});

test('hostile titles, error texts and code show as literal text', async () => {
  const opened = await open('articles/script-in-plain-text/');
  const { page } = opened;
  const h1 = await page.locator('h1').innerText();
  assert.ok(h1.includes('<script>alert("title")</script>'), h1);
  assert.ok(h1.includes("<img src=x onerror=alert('title')>"), h1);
  assert.equal(await page.title().then((t) => t.includes('<script>alert("title")</script>')), true);
  const body = await page.locator('main').innerText();
  for (const literal of [
    '</script><script>alert("error text")</script>',
    "<img src=x onerror=alert('error')>",
    '<script>alert("code span")</script>',
    '<script>alert("entity")</script>',
    '<img src=x onerror=alert(2)>',
    '{{ config }} {% raw %}',
    '<!-- --> </textarea></title></style></noscript>',
  ]) {
    assert.ok(body.includes(literal), `shown as text: ${literal}`);
  }
  await assertClean(opened, 'article');
  await opened.context.close();
});

test('links keep hostile text inside inert attributes', async () => {
  const opened = await open('articles/hostile-links/');
  const links = await opened.page.locator('main a[href]').evaluateAll((as) => as.map((a) => ({
    protocol: a.protocol, title: a.title, href: a.getAttribute('href'),
  })));
  assert.ok(links.length > 5);
  for (const l of links) assert.ok(['http:', 'https:', 'mailto:'].includes(l.protocol), JSON.stringify(l));
  assert.ok(links.some((l) => l.title.includes("onmouseover=alert('title')")), 'title stays an attribute value');
  await assertClean(opened, 'links');
  await opened.context.close();
});

test('bidi and zero-width characters stay text and long lines do not widen the page', async () => {
  const opened = await open('articles/bidi-and-long-lines/');
  const { page } = opened;
  assert.ok((await page.locator('h1').innerText()).includes('\u202egnp.exe'));
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: 800 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px at ${width}px`);
  }
  await assertClean(opened, 'bidi');
  await opened.context.close();
});

const HOSTILE_INPUTS = [
  '</script><script>alert("paste")</script> --> <!-- <img src=x onerror=alert("paste")>',
  'JSON breaker "},{"id":"evil","title":"<script>alert(3)</script>"} \u2028 \u2029 E0099999',
  'Error \u202eAADSTS50105\u202c: the signed in user is not assigned a role\u200b for the application',
  '<svg onload=alert(1)> javascript:alert(1) data:text/html,<script>alert(1)</script> {{7*7}}',
  `${'A'.repeat(5000)} <img src=x onerror=alert(1)>`,
];

for (const where of ['', 'errors/']) {
  test(`hostile text pasted into the paste box on /${where} runs nothing`, async () => {
    const opened = await open(where);
    const input = opened.page.locator('[data-kb-paste-input]');
    for (const text of HOSTILE_INPUTS) {
      await input.fill(text);
      await input.dispatchEvent('input');
      await opened.page.waitForTimeout(300);
      await assertClean(opened, `paste ${text.slice(0, 30)}`);
    }
    const results = await opened.page.locator('[data-kb-paste-results]').innerHTML();
    assert.ok(!/<script|onerror=|onload=/i.test(results), results);
    await opened.context.close();
  });
}

test('hostile text typed into the search box and sent as ?q= runs nothing', async () => {
  const opened = await open('');
  const box = opened.page.locator('#site-search-q');
  for (const text of HOSTILE_INPUTS) {
    await box.fill(text);
    await opened.page.waitForTimeout(300);
    await assertClean(opened, `search box ${text.slice(0, 30)}`);
  }
  await opened.context.close();
  for (const text of HOSTILE_INPUTS) {
    const page = await open(`search/?q=${encodeURIComponent(text)}`);
    await page.page.waitForTimeout(300);
    await assertClean(page, `search page ${text.slice(0, 30)}`);
    const shown = await page.page.locator('main').innerText();
    assert.ok(!shown.includes('undefined'), shown.slice(0, 200));
    await page.context.close();
  }
});

test('a hostile URL path gets the 404 page without reflecting markup', async () => {
  const opened = await open('%3Cscript%3Ealert(1)%3C/script%3E/%22%3E%3Cimg%20src=x%20onerror=alert(2)%3E');
  assert.equal(opened.response.status(), 404);
  await assertClean(opened, '404');
  await opened.context.close();
});
