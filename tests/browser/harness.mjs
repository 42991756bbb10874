// Browser test harness: builds a fixture site with the real kbgen binary, serves it
// on 127.0.0.1 with a tiny static server (or runs `kbgen serve` on a copied project),
// and launches Debian's Chromium headless. `buildAndServe` does all three for a test
// file's `before` and undoes them in one `close` for its `after`.
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { cpSync, existsSync, mkdtempSync, readFileSync, statSync, rmSync } from 'node:fs';
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

/** The `kbgen build` flags for `opts` (see buildAndServe), writing to `out`. */
function buildArgs(opts, out) {
  const fixture = opts.fixture && join(repoRoot, 'tests', 'fixtures', 'site', opts.fixture);
  const path = (given, inFixture, missing) => {
    if (given === false) return join(out, '..', missing);
    if (given) return resolve(repoRoot, given);
    return fixture && join(fixture, inFixture);
  };
  const flags = [['--kb', path(opts.kb, 'kb')], ['--templates', path(opts.templates, 'templates', 'no-templates')],
    ['--config', path(opts.config, 'kbgen.yaml', 'no-config.yaml')]];
  return ['build', '--quiet', ...flags.filter(([, v]) => v).flat(), '--out', out, ...(opts.args || [])];
}

/** Builds a kb (see buildAndServe for `opts`) into a fresh temp folder and returns the
 * site's path, `<temp>/site`. */
export function buildSite(opts) {
  const out = join(mkdtempSync(join(tmpdir(), 'kbgen-browser-')), 'site');
  const run = spawnSync(kbgenBin(), buildArgs(opts, out), { encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) {
    cleanup(out);
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
      const notFound = join(root, '404.html');
      res.writeHead(404, { 'Content-Type': TYPES['.html'] });
      res.end(existsSync(notFound) ? readFileSync(notFound) : '');
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

/** Removes a folder made by buildSite (the temp parent included). */
export function cleanup(out) {
  rmSync(dirname(out), { recursive: true, force: true });
}

/** Copies the project folder `from` (a kb/ and kbgen.yaml) to a fresh temp folder and
 * runs `kbgen serve --port 0` in it. Resolves with { dir, url, stop }. */
export async function kbgenServe(from) {
  const dir = mkdtempSync(join(tmpdir(), 'kbgen-serve-'));
  cpSync(resolve(repoRoot, from), dir, { recursive: true });
  const child = spawn(kbgenBin(), ['serve', '--port', '0', '--color', 'never'], { cwd: dir });
  child.stderr.on('data', (d) => process.stderr.write(d));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((ok) => child.on('exit', ok));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const url = await new Promise((ok, fail) => {
    let seen = '';
    const timer = setTimeout(() => fail(new Error(`no URL from kbgen serve: ${seen}`)), 30_000);
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const m = seen.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (m) {
        clearTimeout(timer);
        ok(m[0]);
      }
    });
    child.on('exit', (code) => fail(new Error(`kbgen serve exited with ${code}: ${seen}`)));
  }).catch(async (e) => {
    await stop();
    throw e;
  });
  return { dir, url, stop };
}

/** Everything a browser test file needs before its tests: a site and Chromium.
 *
 * opts.kbgenServe: a project folder (relative to the repository) run with `kbgen serve`
 *   in a temp copy; `dir` is that copy. Otherwise the site is built into a temp folder
 *   (`dir`) and served statically, from
 *   opts.fixture: a folder name under tests/fixtures/site (its kb/, templates/ and
 *     kbgen.yaml), and/or
 *   opts.kb, opts.templates, opts.config: paths relative to the repository, overriding
 *     the fixture's; `false` for templates or config means none (the built-in ones);
 *     left out (and no fixture), the flag is not given;
 *   opts.args: more `kbgen build` flags.
 * Resolves with { url, dir, browser, close }; `close` shuts all of it and removes the
 * temp folder. If a step fails, what was started is closed before the error is thrown. */
export async function buildAndServe(opts = {}) {
  const undo = [];
  const close = async () => {
    for (const step of undo.reverse()) await step();
    undo.length = 0;
  };
  try {
    let url, dir;
    if (opts.kbgenServe) {
      const live = await kbgenServe(opts.kbgenServe);
      undo.push(live.stop);
      ({ url, dir } = live);
    } else {
      dir = buildSite(opts);
      undo.push(() => cleanup(dir));
      const server = await serve(dir);
      undo.push(server.close);
      url = server.url;
    }
    const browser = await launch();
    undo.push(() => browser.close());
    return { url, dir, browser, close };
  } catch (e) {
    await close();
    throw e;
  }
}
