// Browser test harness: builds a fixture site with the real kbgen binary, serves it
// on 127.0.0.1 with a tiny static server, and launches Debian's Chromium headless.
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const screenshotsDir = join(repoRoot, 'tests', 'browser', 'screenshots');

/** The kbgen binary: $KBGEN_BIN, else target/release/kbgen, else target/debug/kbgen. */
export function kbgenBin() {
  const candidates = [
    process.env.KBGEN_BIN,
    join(repoRoot, 'target', 'release', 'kbgen'),
    join(repoRoot, 'target', 'debug', 'kbgen'),
  ].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`kbgen binary not found (tried ${candidates.join(', ')}); run cargo build`);
  return found;
}

/** Builds tests/fixtures/site/<name> into a fresh temp folder and returns its path. */
export function buildFixture(name, extraArgs = []) {
  const fixture = join(repoRoot, 'tests', 'fixtures', 'site', name);
  const out = join(mkdtempSync(join(tmpdir(), 'kbgen-browser-')), 'site');
  const args = ['build', '--quiet', '--kb', join(fixture, 'kb'), '--templates', join(fixture, 'templates'),
    '--config', join(fixture, 'kbgen.yaml'), '--out', out, ...extraArgs];
  const run = spawnSync(kbgenBin(), args, { encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) {
    throw new Error(`kbgen build failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
  return out;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.json': 'application/json',
  '.xml': 'application/xml', '.txt': 'text/plain; charset=utf-8', '.yaml': 'text/plain; charset=utf-8',
};

/** Serves `root` on 127.0.0.1 (random port) like a static host: `dir/` -> `dir/index.html`,
 * unknown paths -> 404.html with status 404. Returns { url, close }. */
export async function serve(root) {
  const server = createServer((req, res) => {
    let path;
    try {
      path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    let file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) {
      if (!path.endsWith('/')) {
        res.writeHead(301, { Location: path + '/' }).end();
        return;
      }
      file = join(file, 'index.html');
    }
    if (!existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': TYPES['.html'] });
      res.end(readFileSync(join(root, '404.html')));
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] || 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

/** Launches headless Chromium from Debian (never downloads a browser). */
export async function launch() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

/** Removes a folder made by buildFixture (the temp parent included). */
export function cleanup(out) {
  rmSync(dirname(out), { recursive: true, force: true });
}
