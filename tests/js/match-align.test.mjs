// The alignment in templates/static/match.js (typed columns, skipped empty columns
// and rows, the bound that rules out whole regions) against a straightforward port of
// src/signature/align.rs and scan.rs kept here (one object per cell, every cell of
// every column, every region aligned), on random signatures and inputs: every
// occurrence, its positions and its exact score must be the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScript } from './load-script.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
loadScript(join(root, 'templates/static/match-tokens.js'));
loadScript(join(root, 'templates/static/match-evidence.js'));
const KbMatch = loadScript(join(root, 'templates/static/match.js'));

const WILD = -1;
const UNKNOWN = -2;
const STALE = 24;
const PAD = 8;

// ---- reference: align.rs ----

const ZERO = { h: 0, mw: 0, ew: 0, ewl: 0, first: -1, last: -1, wl: 0 };

function column(m, sig, x, v, i, prev) {
  const cur = [ZERO];
  for (let j = 1; j < prev.length; j++) {
    let best = { ...cur[j - 1], wl: 0 };
    const p = prev[j];
    if (p.h > 0 && p.h - m.gap * v > best.h) best = { ...p, h: p.h - m.gap * v };
    const s = sig.ids[j - 1];
    const d = prev[j - 1];
    if (s === WILD) {
      if (p.h > 0 && p.wl < m.wildMax && p.h > best.h) best = { ...p, ew: p.ew + v, wl: p.wl + 1 };
      if (d.h > 0 && d.h > best.h) best = { ...d, ew: d.ew + v, wl: 1 };
    } else if (s === x) {
      const w = sig.weights[j - 1];
      if (d.h + w > best.h) {
        const ew = d.ew + v;
        best = { h: d.h + w, mw: d.mw + w, ew, ewl: ew, first: d.first < 0 ? i : d.first, last: i, wl: 0 };
      }
    }
    cur.push(best.h > 0 ? best : ZERO);
  }
  return cur;
}

function emit(m, sig, prefix, c, state, out) {
  if (state.reported >= 0 && c.first <= state.reported) return;
  const stretch = prefix[c.last + 1] - prefix[c.first];
  const r = c.mw / sig.total;
  const p = stretch > 0 ? Math.min(c.ewl / stretch, 1) : 1;
  const score = r * p;
  if (score >= m.threshold && c.mw > sig.free) {
    state.reported = c.last;
    out.push({ first: c.first, last: c.last, score });
  }
}

function run(m, sig, ids, weights, prefix, lo, hi, out) {
  let prev = new Array(sig.ids.length + 1).fill(ZERO);
  let best = null;
  // the best alignment that starts after `best` ends (align.rs Track::next)
  let next = null;
  let floor = -1;
  const state = { reported: -1 };
  for (let i = lo; i <= hi; i++) {
    const cur = column(m, sig, ids[i], weights[i], i, prev);
    for (const c of cur.slice(1)) {
      if (c.last < 0 || (floor >= 0 && c.last <= floor)) continue;
      if (best && c.first > best.last) {
        if (c.h > best.h) {
          emit(m, sig, prefix, best, state, out);
          floor = best.last;
          best = c;
          next = null;
        } else if (!next || c.h > next.h) next = c;
      } else if (!best || c.h > best.h) {
        best = c;
        if (next && next.first <= c.last) next = null;
      }
    }
    if (best && i - best.last >= STALE) {
      emit(m, sig, prefix, best, state, out);
      floor = best.last;
      best = next;
      next = null;
      if (best && i - best.last >= STALE) {
        emit(m, sig, prefix, best, state, out);
        floor = best.last;
        best = null;
      }
    }
    prev = cur;
  }
  if (best) emit(m, sig, prefix, best, state, out);
  if (next) emit(m, sig, prefix, next, state, out);
}

// ---- reference: scan.rs ----

function merge(rs) {
  rs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out = [];
  for (const r of rs) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

function liveRegions(m, sig, hits, n, pos) {
  const need = m.threshold * sig.total - 1e-9;
  const near = merge(hits.map((k) => [Math.max(0, k - sig.span), Math.min(n - 1, k + sig.span)]));
  const chits = [];
  sig.content.forEach(([id], c) => {
    for (const p of pos.get(id) || []) {
      if (near.some(([a, b]) => a <= p && p <= b)) chits.push([p, c]);
    }
  });
  chits.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const counts = new Array(sig.content.length).fill(0);
  const regions = [];
  let bound = sig.free;
  let lo = 0;
  for (const [pj, cj] of chits) {
    if (counts[cj]++ === 0) bound += sig.content[cj][1];
    while (pj - chits[lo][0] > sig.span) {
      if (--counts[chits[lo][1]] === 0) bound -= sig.content[chits[lo][1]][1];
      lo++;
    }
    if (bound >= need) regions.push([Math.max(0, chits[lo][0] - PAD), Math.min(n - 1, pj + PAD)]);
  }
  return merge(regions);
}

function findAll(m, ids, weights) {
  const prefix = [0];
  for (const w of weights) prefix.push(prefix[prefix.length - 1] + w);
  const pos = new Map();
  const hits = new Map();
  ids.forEach((id, k) => {
    if (id < 0) return;
    pos.set(id, [...(pos.get(id) || []), k]);
    for (const s of m.anchors[id]) hits.set(s, [...(hits.get(s) || []), k]);
  });
  const out = [];
  for (const s of [...hits.keys()].sort((a, b) => a - b)) {
    const sig = m.sigs[s];
    const occ = [];
    for (const [lo, hi] of liveRegions(m, sig, hits.get(s), ids.length, pos)) {
      run(m, sig, ids, weights, prefix, lo, hi, occ);
    }
    for (const o of occ) out.push([s, o]);
  }
  return out;
}

// ---- random knowledge bases and inputs ----

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STOP = ['at', 'the', 'to'];
const MASKS = ['<num>', '<date>'];

// A signatures.json: a few "stack frame" tokens every signature shares a tail of
// (the template lines that make many signatures partly match one paste), message
// tokens from a small vocabulary, wildcards in some, weights with four decimals.
function randomData(r) {
  const words = Array.from({ length: 6 + Math.floor(r() * 20) }, (_, k) => `w${k}`);
  const frames = ['com', 'acme', 'sync', 'run', 'java'];
  const tokens = [...STOP, ...MASKS, ...frames, ...words];
  const weight = () => Math.round((0.5 + 4 * r()) * 1e4) / 1e4;
  const weights = tokens.map((t) => (STOP.includes(t) ? 0.2 : MASKS.includes(t) ? 0.15 : weight()));
  const id = (t) => tokens.indexOf(t);
  const tail = ['at', 'com', 'acme', 'sync', 'run', 'java', '<num>', 'at', 'com', 'acme', 'java', '<num>'].map(id);
  const signatures = [];
  for (let s = 0; s < 4 + Math.floor(r() * 30); s++) {
    const t = [];
    for (let k = 0; k < 1 + Math.floor(r() * 10); k++) {
      const roll = r();
      if (roll < 0.1) t.push(WILD);
      else if (roll < 0.25) t.push(id(STOP[Math.floor(r() * STOP.length)]));
      else t.push(3 + Math.floor(r() * (tokens.length - 3)));
    }
    if (r() < 0.6) t.push(...tail.slice(Math.floor(r() * tail.length)));
    if (t.every((x) => x === WILD)) t.push(id('w0'));
    // mostly the token's own weight; sometimes boosted, as quoted tokens are
    const w = t.map((x) => (x === WILD ? 0 : r() < 0.2 ? Math.round(weights[x] * 2.5 * 1e4) / 1e4 : weights[x]));
    signatures.push({ a: s % 7, t, w, m: [0, 0] });
  }
  const articles = Array.from({ length: 7 }, (_, k) => ({ id: `a${k}`, title: `A${k}`, url: `articles/a${k}/` }));
  return {
    version: 2, threshold: r() < 0.5 ? 0.5 : 0.3, confidence: 0.7071, gap: 0.5, wildcardMax: 8, mask: 0.15,
    unknown: { word: 2.0794, code: 3.1192, numbered: 12.4766, stop: 0.4159, common: 0.5 },
    stopwords: STOP, common: [], spelling: { prefixes: [], words: [], stems: [], endings: [] },
    articles, tokens, weights, signatures,
  };
}

// Input: pieces of signatures (as written, cut, with tokens dropped or inserted)
// between unknown and random tokens.
function randomInput(r, data) {
  const ids = [];
  const weights = [];
  const push = (x) => {
    if (x === WILD) x = UNKNOWN;
    ids.push(x);
    weights.push(x === UNKNOWN ? [2.0794, 3.1192, 0.4159][Math.floor(r() * 3)] : data.weights[x]);
  };
  for (let piece = 0; piece < 1 + Math.floor(r() * 5); piece++) {
    const roll = r();
    if (roll < 0.6) {
      const t = data.signatures[Math.floor(r() * data.signatures.length)].t;
      const from = r() < 0.5 ? 0 : Math.floor(r() * t.length);
      for (const x of t.slice(from)) {
        if (r() < 0.1) continue;
        push(x);
        if (r() < 0.1) push(UNKNOWN);
      }
    } else {
      for (let k = 0; k < Math.floor(r() * (roll < 0.8 ? 6 : 40)); k++) {
        push(r() < 0.4 ? UNKNOWN : Math.floor(r() * data.tokens.length));
      }
    }
  }
  return { ids, weights };
}

test('the alignment finds exactly what a straightforward align.rs and scan.rs find', () => {
  const r = rng(7);
  let found = 0;
  let ruledOut = 0;
  for (let kb = 0; kb < 100; kb++) {
    const data = randomData(r);
    const m = KbMatch.create(data);
    const canScore = m.canScore;
    m.canScore = function (...args) {
      const ok = canScore.apply(this, args);
      if (!ok) ruledOut++;
      return ok;
    };
    for (let n = 0; n < 20; n++) {
      const { ids, weights } = randomInput(r, data);
      if (!ids.length) continue;
      const want = findAll(m, ids, weights);
      assert.deepEqual(m.findAll(ids, weights), want, `kb ${kb} input ${n}: ${JSON.stringify(ids)}`);
      found += want.length;
    }
  }
  // the cases reach both sides: occurrences found, and regions ruled out unaligned
  assert.ok(found > 3000, `${found} occurrences`);
  assert.ok(ruledOut > 500, `${ruledOut} regions ruled out`);
});

test('the same ranking when the bound is off (negative weights)', () => {
  const data = randomData(rng(11));
  const m = KbMatch.create(data);
  assert.equal(m.nonNegative, true);
  data.signatures[0].w[0] = -1;
  const off = KbMatch.create(data);
  assert.equal(off.nonNegative, false);
  const r = rng(12);
  for (let n = 0; n < 200; n++) {
    const { ids, weights } = randomInput(r, data);
    if (ids.length) assert.deepEqual(off.findAll(ids, weights), findAll(off, ids, weights));
  }
});
