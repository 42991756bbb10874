// Save-to-reload latency of `kbgen serve`, measured from outside as an author sees
// it: write an article file, time until the `reload` event arrives on /_live.
//
//   node bench/serve-latency.mjs KBGEN_BIN KB_DIR SCRATCH_DIR [EDITS]
//
// Copies KB_DIR into SCRATCH_DIR (the edits never touch the corpus), serves it on a
// free loopback port, saves one article EDITS times (default 15) with a changed title,
// and prints one JSON line {"edits","median_ms","p95_ms","max_ms","min_ms","startup_ms"}.
// Every wait is bounded; the server is stopped at the end.
import { spawn } from 'node:child_process';
import { cp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';

const [bin, kbDir, scratch, editsArg] = process.argv.slice(2);
if (!bin || !kbDir || !scratch) {
  console.error('usage: node bench/serve-latency.mjs KBGEN_BIN KB_DIR SCRATCH_DIR [EDITS]');
  process.exit(2);
}
const EDITS = Number(editsArg || 15);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const get = (port, p) =>
  new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: p, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
  });

await rm(scratch, { recursive: true, force: true });
await mkdir(scratch, { recursive: true });
const kb = path.join(scratch, 'kb');
await cp(kbDir, kb, { recursive: true });
const port = await freePort();
const t0 = performance.now();
const child = spawn(
  bin,
  ['serve', '--quiet', '--kb', kb, '--out', path.join(scratch, 'site'), '--port', String(port)],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
let exited = false;
child.on('exit', () => (exited = true));

try {
  let up = false;
  for (let i = 0; i < 1200 && !exited && !up; i++) {
    up = (await get(port, '/')) === 200;
    if (!up) await sleep(100);
  }
  if (!up) throw new Error('kbgen serve did not answer within 120 s');
  const startup = performance.now() - t0;

  // One long-lived SSE connection; resolve the pending waiter on each reload event.
  let waiter = null;
  let buffer = '';
  const sse = http.get({ host: '127.0.0.1', port, path: '/_live' }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk) => {
      buffer += chunk;
      let at;
      while ((at = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        if (/^event: ?reload/m.test(event) && waiter) waiter(performance.now());
      }
    });
  });
  sse.on('error', () => {});
  await sleep(500);

  const files = (await readdir(kb)).filter((f) => f.endsWith('.yaml')).sort();
  const file = path.join(kb, files[Math.floor(files.length / 2)]);
  const original = await readFile(file, 'utf8');
  const times = [];
  for (let k = 0; k < EDITS; k++) {
    const text = original.replace(/^title: (.*)$/m, `title: $1 (revision ${k})`);
    const got = new Promise((resolve) => {
      waiter = resolve;
      setTimeout(() => resolve(null), 10_000);
    });
    const start = performance.now();
    await writeFile(file, text);
    const end = await got;
    waiter = null;
    if (end !== null) times.push(end - start);
    await sleep(400);
  }
  sse.destroy();
  times.sort((a, b) => a - b);
  const q = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  console.log(
    JSON.stringify({
      edits: times.length,
      median_ms: q(0.5),
      p95_ms: q(0.95),
      max_ms: times[times.length - 1],
      min_ms: times[0],
      startup_ms: Math.round(startup),
    }),
  );
} finally {
  if (!exited) child.kill('SIGTERM');
  await sleep(200);
  if (!exited) child.kill('SIGKILL');
  await rm(scratch, { recursive: true, force: true });
}
