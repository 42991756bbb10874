// Time to rank one pasted error against a whole site's signatures, in Chromium,
// with the site's own assets/match.js and signatures.json.
//
//   node bench/paste-rank.mjs SITE_DIR LOG_FILE [PASTES]
//
// Pastes are cut from LOG_FILE around the errors listed in LOG_FILE.truth.json (the
// error line with the line before and two after, as a reader copies it), so each
// has a known article. Serves SITE_DIR on a loopback port, loads errors/ in headless
// Chromium, builds the matcher once (timed separately) and ranks every paste.
// Prints one JSON line {"pastes","signatures","create_ms","first_ms","median_ms","p95_ms",
// "max_ms","top1"}: first_ms is the first paste (cold JIT), the others are over all
// pastes. Exits 1 when the site's signatures.json holds no signatures.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { launch, serve } from '../tests/browser/harness.mjs';

const [site, logFile, pastesArg] = process.argv.slice(2);
if (!site || !logFile) {
  console.error('usage: node bench/paste-rank.mjs SITE_DIR LOG_FILE [PASTES]');
  process.exit(2);
}
const PASTES = Number(pastesArg || 100);
const root = path.resolve(site);

// The truth file comes with the log from the corpus generator of the same size
// (`gen_corpus --n N --log-mb MB`): a log from another corpus names other articles.
if (!existsSync(`${logFile}.truth.json`)) {
  console.error(`${logFile}.truth.json is missing: generate the log with this corpus (gen_corpus --log-mb)`);
  process.exit(2);
}
const truth = JSON.parse(await readFile(`${logFile}.truth.json`, 'utf8')).slice(0, PASTES);
const lines = (await readFile(logFile, 'utf8')).split('\n');
const pastes = truth.map(({ line, id }) => ({
  id,
  text: lines.slice(Math.max(0, line - 2), line + 2).join('\n'),
}));

// the tests' static server and Chromium launch (Debian's, never a downloaded one)
const server = await serve(root);
const browser = await launch();
try {
  const page = await browser.newPage();
  await page.goto(`${server.url}errors/`, { timeout: 60_000 });
  await page.waitForFunction(() => typeof window.KbMatch !== 'undefined', null, { timeout: 30_000 });
  const result = await page.evaluate(async (pastes) => {
    const data = await (await fetch('../signatures.json')).json();
    if (!data || !(data.signatures || []).length) return { error: 'signatures.json holds no signatures' };
    const t0 = performance.now();
    const m = window.KbMatch.create(data);
    const createMs = performance.now() - t0;
    const times = [];
    let firstMs = null;
    let top1 = 0;
    for (const { id, text } of pastes) {
      const s = performance.now();
      const ranked = m.rank(text, 5);
      times.push(performance.now() - s);
      if (firstMs === null) firstMs = times[0];
      const first = ranked && ranked[0];
      if (first && (first.id === id || String(first.url || '').includes(`/${id}/`))) top1 += 1;
    }
    times.sort((a, b) => a - b);
    const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
    const sigs = Array.isArray(data) ? data.length : (data.signatures || []).length;
    return {
      pastes: pastes.length,
      signatures: sigs,
      create_ms: createMs,
      first_ms: firstMs,
      median_ms: q(0.5),
      p95_ms: q(0.95),
      max_ms: times[times.length - 1],
      top1: pastes.length ? top1 / pastes.length : 0,
    };
  }, pastes);
  if (result.error) {
    console.error(`${site}: ${result.error}; rebuild the site with kbgen build`);
    process.exitCode = 1;
  } else {
    console.log(JSON.stringify(result));
  }
} finally {
  await browser.close();
  await server.close();
}
