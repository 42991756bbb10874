/* kbgen error matcher: the browser side of `kbgen match`.
 *
 * Same rules as src/signature (normalise, tokenise, align, score) run on the
 * signature tokens precomputed in signatures.json; tests/match-vectors.json drives
 * both implementations. No regular expression is run over the pasted text except
 * single-character class tests, so no input can make it backtrack. The alignment
 * leaves out, exactly, the work that cannot change what is found (a bound rules
 * out whole regions, empty columns and rows are not computed): a paste of template
 * lines that hundreds of signatures share stays fast.
 *
 * Browser: global `KbMatch`; binds to `[data-kb-paste]` boxes and loads
 * `{root}signatures.json`. Node: `module.exports` (create(json).rank(text, limit)).
 * Load match-tokens.js (normalisation, tokeniser) and match-evidence.js first.
 */
(function (root, factory) {
  'use strict';
  var api = factory(root.KbMatchEvidence, root.KbMatchTokens);
  if (typeof module !== 'undefined' && module.exports) {
    module.exports = api;
  } else {
    root.KbMatch = api;
    api.autoBind();
  }
})(typeof self !== 'undefined' ? self : this, function (Evidence, Tokens) {
  'use strict';

  var WILD = -1;
  var UNKNOWN = -2;
  var STALE = 24;
  var NONE = [];
  var PAD = 8;
  var MASKS = Tokens.MASKS;
  var isAsciiDigit = Tokens.isAsciiDigit;
  var normalise = Tokens.normalise;
  var tokenize = Tokens.tokenize;

  // ---- weights, index and alignment (weights.rs, index.rs, align.rs) ----

  function Matcher(data) {
    if (!data || data.version !== 2) throw new Error('signatures.json: unsupported version');
    if (!Evidence) throw new Error('match-evidence.js is not loaded');
    this.data = data;
    this.threshold = data.threshold;
    this.gap = data.gap;
    this.wildMax = data.wildcardMax;
    this.vocab = new Map();
    for (var i = 0; i < data.tokens.length; i++) this.vocab.set(data.tokens[i], i);
    this.stop = new Set(data.stopwords);
    this.common = new Set(data.common);
    this.rules = { wildMax: data.wildcardMax, confidence: data.confidence, messageShare: 0.5, minSpecific: 2, swap: 4, kind: this.kind.bind(this) };
    var df = new Uint32Array(data.tokens.length);
    var self = this;
    // every weight >= 0, as weights.rs makes them: canScore's bound relies on it
    this.nonNegative = data.weights.every(function (w) { return w >= 0; });
    this.sigs = data.signatures.map(function (s) {
      var total = 0, free = 0, per = new Map(), wild = 0;
      for (var j = 0; j < s.t.length; j++) {
        if (s.t[j] === WILD) { wild++; continue; }
        total += s.w[j];
        var tok = data.tokens[s.t[j]];
        if (MASKS.indexOf(tok) >= 0 || self.stop.has(tok)) free += s.w[j];
        else per.set(s.t[j], (per.get(s.t[j]) || 0) + s.w[j]);
      }
      var content = Array.from(per.keys()).sort(function (a, b) { return a - b; })
        .map(function (id) { df[id]++; return [id, per.get(id)]; });
      var span = 2 * s.t.length + (self.wildMax - 1) * wild;
      for (var k = 0; k < s.w.length; k++) { if (!(s.w[k] >= 0)) self.nonNegative = false; }
      var kinds = s.t.map(function (id) { return id === WILD ? 'stop' : self.kind(data.tokens[id]); });
      return {
        article: s.a, ids: s.t, weights: s.w, total: total, free: free, content: content, span: span, wild: wild,
        message: s.m, kinds: kinds, named: s.c || [], names: s.q || []
      };
    });
    this.flatContent();
    // anchors (index.rs anchors_of), chosen by how many signatures share a token
    var anchors = data.tokens.map(function () { return []; });
    for (var si = 0; si < this.sigs.length; si++) {
      var ids = anchorsOf(this.sigs[si], df, this.threshold);
      for (var q = 0; q < ids.length; q++) anchors[ids[q]].push(si);
    }
    this.anchors = anchors;
    // per token id, reset after each use: whether the input being matched holds it
    // (markInput); its index among a signature's content tokens (liveRegions); its
    // rows in the signature being aligned (markRows); how often canScore has seen it
    var V = data.tokens.length;
    this.present = new Uint8Array(V); this.contentIndex = new Int32Array(V);
    this.rows = new Int32Array(V); this.group = new Int32Array(V); this.count = new Int32Array(V);
    this.seen = new Int32Array(V);
  }

  // Every signature's content tokens end to end, as typed arrays (signature s's
  // from cstart[s] to cstart[s + 1]; by id in cids/cw, heaviest first in hids/hw),
  // with what it needs to score: mayScore and liveRegions read them for the
  // thousands of signatures a paste has anchor hits for, in signature order.
  Matcher.prototype.flatContent = function () {
    var S = this.sigs.length, nc = 0;
    this.cstart = new Int32Array(S + 1);
    for (var a = 0; a < S; a++) { nc += this.sigs[a].content.length; this.cstart[a + 1] = nc; }
    this.cids = new Int32Array(nc); this.cw = new Float64Array(nc);
    this.hids = new Int32Array(nc); this.hw = new Float64Array(nc); this.most = new Float64Array(S);
    this.need = new Float64Array(S); this.free = new Float64Array(S); this.span = new Int32Array(S);
    for (var b = 0; b < S; b++) {
      var sig = this.sigs[b], c0 = this.cstart[b], most = sig.free;
      var heavy = sig.content.slice().sort(function (x, y) { return y[1] - x[1] || x[0] - y[0]; });
      for (var c = 0; c < sig.content.length; c++) {
        this.cids[c0 + c] = sig.content[c][0]; this.cw[c0 + c] = sig.content[c][1];
        this.hids[c0 + c] = heavy[c][0]; this.hw[c0 + c] = heavy[c][1]; most += heavy[c][1];
      }
      this.need[b] = this.threshold * sig.total - 1e-9;
      this.free[b] = sig.free; this.most[b] = most; this.span[b] = sig.span;
    }
  };

  // Cheapest content tokens first until those left out cannot reach the threshold:
  // every occurrence that scores holds one (they decide what is looked at, never
  // what is found).
  function anchorsOf(sig, cost, threshold) {
    var order = sig.content.slice().sort(function (a, b) {
      return cost[a[0]] - cost[b[0]] || b[1] - a[1] || a[0] - b[0];
    });
    var need = threshold * sig.total - 1e-9, left = sig.free, out = [];
    for (var k = 0; k < order.length; k++) left += order[k][1];
    for (var j = 0; j < order.length && left >= need; j++) { left -= order[j][1]; out.push(order[j][0]); }
    return out.sort(function (a, b) { return a - b; });
  }

  // The class of a token for the evidence rules (weights.rs class; masks are framing).
  Matcher.prototype.kind = function (tok) {
    if (MASKS.indexOf(tok) >= 0 || this.stop.has(tok)) return 'stop';
    if (this.common.has(tok)) return 'common';
    var nd = 0;
    for (var i = 0; i < tok.length; i++) { if (isAsciiDigit(tok[i])) nd++; }
    if (nd >= 4) return 'numbered';
    return nd > 0 || tok.indexOf('_') >= 0 ? 'code' : 'word';
  };

  // index.rs input_seen: 'value' (a mask), 'framing' or 'content', by id and
  // weight as in Rust.
  Matcher.prototype.inputSeen = function (tok, id, w) {
    var known = id !== UNKNOWN;
    if (known ? MASKS.indexOf(tok) >= 0 : w === this.data.mask) return 'value';
    if (known ? this.stop.has(tok) : w === this.data.unknown.stop) return 'framing';
    return 'content';
  };

  Matcher.prototype.inputToken = function (tok) {
    var id = this.vocab.get(tok);
    if (id !== undefined) return [id, this.data.weights[id]];
    var u = this.data.unknown;
    if (MASKS.indexOf(tok) >= 0) return [UNKNOWN, this.data.mask];
    var nd = 0;
    for (var i = 0; i < tok.length; i++) { if (isAsciiDigit(tok[i])) nd++; }
    if (this.stop.has(tok)) return [UNKNOWN, u.stop];
    if (this.common.has(tok)) return [UNKNOWN, u.common];
    // every known token is spelled as spelling.rs canon spells it
    var c = Evidence.canon(this.data.spelling, tok);
    if (c !== tok) return this.inputToken(c);
    if (nd >= 4) return [UNKNOWN, u.numbered];
    if (nd > 0 || tok.indexOf('_') >= 0) return [UNKNOWN, u.code];
    return [UNKNOWN, u.word];
  };

  // One DP column as typed arrays (align.rs Cell, field by field): no object per
  // cell, so a paste against thousands of signatures does not churn the heap.
  function Column(n) {
    this.h = new Float64Array(n); this.mw = new Float64Array(n); this.ew = new Float64Array(n);
    this.ewl = new Float64Array(n); this.first = new Int32Array(n);
    this.last = new Int32Array(n); this.wl = new Int32Array(n);
  }

  // The two reused columns (align.rs Columns), grown as needed. They are never
  // cleared: a column's cells count from the row above its first live row on.
  Matcher.prototype.columns = function (n) {
    if (!this.cols || this.cols[0].h.length < n) this.cols = [new Column(n), new Column(n)];
    return this.cols;
  };

  // One DP column for input token `x` (weight `v`) at position `i`, from `P` into
  // `C` (align.rs column); returns C's first live row (h > 0), or m + 1 if none.
  // Skipping a signature token is free, so h never falls going down a column: its
  // live cells are the rows from the first live one on. `from` is P's first live
  // row and `row` the first row whose token is `x`: above both, every cell stays
  // empty and is not computed; above `from`, P is empty, so a cell only carries
  // the one above or matches. The row above the first computed one is written
  // empty, as the next column reads it diagonally.
  Matcher.prototype.column = function (sig, x, v, i, P, from, row, C) {
    var n = sig.ids.length + 1, j = Math.min(from, row);
    if (j >= n) return n;
    var gap = this.gap * v, wildMax = this.wildMax, sids = sig.ids, sw = sig.weights;
    var Ph = P.h, Pmw = P.mw, Pew = P.ew, Pewl = P.ewl, Pf = P.first, Pl = P.last, Pwl = P.wl;
    var Ch = C.h, Cmw = C.mw, Cew = C.ew, Cewl = C.ewl, Cf = C.first, Cl = C.last, Cwl = C.wl;
    Ch[j - 1] = 0; Cmw[j - 1] = 0; Cew[j - 1] = 0; Cewl[j - 1] = 0; Cf[j - 1] = -1; Cl[j - 1] = -1; Cwl[j - 1] = 0;
    // the cell above, carried in locals (skipping a signature token is free)
    var h = 0, mw = 0, ew = 0, ewl = 0, first = -1, last = -1, wl = 0, live = n;
    for (; j < from; j++) {
      if (sids[j - 1] === x && sw[j - 1] > h) {
        h = sw[j - 1]; mw = h; ew = v; ewl = v; first = i; last = i;
        if (live === n) live = j;
      }
      Ch[j] = h; Cmw[j] = mw; Cew[j] = ew; Cewl[j] = ewl; Cf[j] = first; Cl[j] = last; Cwl[j] = 0;
    }
    for (; j < n; j++) {
      wl = 0;
      var ph = Ph[j];
      if (ph > 0 && ph - gap > h) {
        h = ph - gap; mw = Pmw[j]; ew = Pew[j]; ewl = Pewl[j]; first = Pf[j]; last = Pl[j]; wl = Pwl[j];
      }
      var s = sids[j - 1], dh = Ph[j - 1];
      if (s === WILD) {
        if (ph > 0 && Pwl[j] < wildMax && ph > h) {
          h = ph; mw = Pmw[j]; ew = Pew[j] + v; ewl = Pewl[j]; first = Pf[j]; last = Pl[j]; wl = Pwl[j] + 1;
        }
        if (dh > 0 && dh > h) {
          h = dh; mw = Pmw[j - 1]; ew = Pew[j - 1] + v; ewl = Pewl[j - 1]; first = Pf[j - 1]; last = Pl[j - 1]; wl = 1;
        }
      } else if (s === x) {
        var w = sw[j - 1];
        if (dh + w > h) {
          h = dh + w; mw = Pmw[j - 1] + w; ew = Pew[j - 1] + v; ewl = ew;
          first = Pf[j - 1] < 0 ? i : Pf[j - 1]; last = i; wl = 0;
        }
      }
      if (!(h > 0)) { h = 0; mw = 0; ew = 0; ewl = 0; first = -1; last = -1; wl = 0; } else if (live === n) live = j;
      Ch[j] = h; Cmw[j] = mw; Cew[j] = ew; Cewl[j] = ewl; Cf[j] = first; Cl[j] = last; Cwl[j] = wl;
    }
    return live;
  };

  // Reports the best alignment `b` ({mw, ewl, first, last}) if it scores.
  Matcher.prototype.emit = function (sig, prefix, b, state, out) {
    if (state.reported >= 0 && b.first <= state.reported) return;
    var stretch = prefix[b.last + 1] - prefix[b.first];
    var r = b.mw / sig.total;
    var p = stretch > 0 ? Math.min(b.ewl / stretch, 1) : 1;
    var score = r * p;
    if (score >= this.threshold && b.mw > sig.free) {
      state.reported = b.last;
      out.push({ first: b.first, last: b.last, score: score });
    }
  };

  // Marks the tokens of `sig` for run and canScore, by token id (unmarkRows
  // clears them again): rows[id] is the first row holding the token (0: none), and
  // the weights of the rows holding it, heaviest first, are
  // byWeight[group[id] .. group[id] + count[id]).
  Matcher.prototype.markRows = function (sig) {
    var ids = sig.ids, w = sig.weights, m = ids.length, j, id;
    if (!this.byWeight || this.byWeight.length < m) this.byWeight = new Float64Array(m);
    var rows = this.rows, group = this.group, count = this.count, filled = this.seen, byWeight = this.byWeight;
    for (j = m; j >= 1; j--) {
      if ((id = ids[j - 1]) >= 0) { rows[id] = j; count[id]++; }
    }
    for (var at = 0, k = 0; k < m; k++) {
      if ((id = ids[k]) < 0) continue;
      if (rows[id] === k + 1) { group[id] = at; at += count[id]; }
      // insertion into the token's group, heaviest first
      var to = group[id] + filled[id]++;
      while (to > group[id] && byWeight[to - 1] < w[k]) { byWeight[to] = byWeight[to - 1]; to--; }
      byWeight[to] = w[k];
    }
    for (k = 0; k < m; k++) { if (ids[k] >= 0) filled[ids[k]] = 0; }
  };
  Matcher.prototype.unmarkRows = function (sig) {
    for (var j = 0; j < sig.ids.length; j++) {
      if (sig.ids[j] >= 0) { this.rows[sig.ids[j]] = 0; this.count[sig.ids[j]] = 0; }
    }
  };

  // A reused array of `n` zeros (counts and sums of one call at a time).
  Matcher.prototype.scratch = function (n) {
    if (!this.zeros || this.zeros.length < n) {
      this.zeros = new Float64Array(Math.max(n, 2 * (this.zeros ? this.zeros.length : 64)));
    }
    this.zeros.fill(0, 0, n);
    return this.zeros;
  };

  // Whether an alignment of `sig` in [lo, hi] could score at all: an exact bound,
  // so that the hundreds of signatures whose framing a paste's template lines share
  // (Java stack frames, say) are not aligned for nothing. An alignment from input
  // position a to b (its first and last matches) matches each signature row once,
  // and only an equal token: the signature weight it finds is at most M(a, b), the
  // heaviest rows of each token, as many as the token occurs in [a, b]; the input
  // weight it explains is at most E(a, b), those occurrences' weights, plus what
  // the wildcards absorb (wildMax tokens each, none heavier than the heaviest of
  // [lo, hi]). So it scores at most
  // M / total × min(1, E / stretch) (see emit). The pairs (a, b) are tried when
  // that is cheaper than aligning, and only from an `a` whose M(a, end) is enough.
  Matcher.prototype.canScore = function (sig, ids, weights, prefix, lo, hi) {
    if (!this.nonNegative) return true;
    var rows = this.rows, at = [], i;
    for (i = lo; i <= hi; i++) { if (ids[i] >= 0 && rows[ids[i]] > 0) at.push(i); }
    var L = at.length, need = this.threshold - 1e-9, total = sig.total;
    var seen = this.seen, count = this.count, group = this.group, byWeight = this.byWeight;
    // M(a, end) for every a, from the end (the same heaviest rows, whichever side)
    var suffix = this.scratch(L), M = 0, x, c;
    for (i = L - 1; i >= 0; i--) {
      x = ids[at[i]]; c = seen[x]++;
      if (c < count[x]) M += byWeight[group[x] + c];
      suffix[i] = M;
    }
    for (i = 0; i < L; i++) seen[ids[at[i]]] = 0;
    if (L * L > 2 * (hi - lo + 1) * sig.ids.length) return L > 0 && suffix[0] / total >= need;
    var heaviest = 0;
    if (sig.wild > 0) { for (i = lo; i <= hi; i++) heaviest = Math.max(heaviest, weights[i]); }
    var absorbed = sig.wild * this.wildMax * heaviest;
    for (var a = 0; a < L && suffix[a] / total >= need; a++) {
      var E = absorbed, ok = false, b = a;
      for (M = 0; b < L && !ok; b++) {
        x = ids[at[b]]; c = seen[x]++;
        if (c < count[x]) { M += byWeight[group[x] + c]; E += weights[at[b]]; }
        if (M / total < need) continue;
        var stretch = prefix[at[b] + 1] - prefix[at[a]];
        ok = M / total * (stretch > 0 ? Math.min(E / stretch, 1) : 1) >= need;
      }
      for (i = a; i < b; i++) seen[ids[at[i]]] = 0;
      if (ok) return true;
    }
    return false;
  };

  // align.rs run: the best alignment so far is kept field by field in `b` (no
  // object per candidate), reported when a disjoint one starts or it goes stale.
  // Rows are marked (markRows). An input token the signature lacks, after an empty
  // column, gives an empty column again, up to the next token the signature holds:
  // those columns are skipped, with the stale check made at the last of them
  // (`b` does not change over them, so it reports what it would have at the first).
  Matcher.prototype.run = function (sig, ids, weights, prefix, lo, hi, out) {
    var m = sig.ids.length, n = m + 1, cols = this.columns(n), prev = cols[0], cur = cols[1];
    if (!this.canScore(sig, ids, weights, prefix, lo, hi)) return;
    var rows = this.rows, live = n;
    var b = { on: false, h: 0, mw: 0, ewl: 0, first: -1, last: -1 };
    // nx: the best alignment that starts after b ends (align.rs Track::next)
    var nx = { on: false, h: 0, mw: 0, ewl: 0, first: -1, last: -1 };
    var floor = -1, state = { reported: -1 };
    function put(o, k) {
      o.on = true; o.h = cur.h[k]; o.mw = cur.mw[k]; o.ewl = cur.ewl[k]; o.first = cur.first[k]; o.last = cur.last[k];
    }
    function take(k) { put(b, k); }
    function promote() {
      b.on = nx.on; b.h = nx.h; b.mw = nx.mw; b.ewl = nx.ewl; b.first = nx.first; b.last = nx.last; nx.on = false;
    }
    function rowOf(x) { return x >= 0 && rows[x] > 0 ? rows[x] : n; }
    for (var i = lo; i <= hi; i++) {
      var row = rowOf(ids[i]);
      if (live === n && row === n) {
        while (i < hi && rowOf(ids[i + 1]) === n) i++;
      } else {
        live = this.column(sig, ids[i], weights[i], i, prev, live, row, cur);
        for (var k = live; k <= m; k++) {
          var last = cur.last[k];
          if (last < 0 || (floor >= 0 && last <= floor)) continue;
          if (b.on && cur.first[k] > b.last) {
            // a later alignment ends the best one only once it outscores it (align.rs)
            if (cur.h[k] > b.h) { this.emit(sig, prefix, b, state, out); floor = b.last; take(k); nx.on = false; }
            else if (!nx.on || cur.h[k] > nx.h) put(nx, k);
          } else if (!b.on || cur.h[k] > b.h) {
            take(k);
            if (nx.on && nx.first <= b.last) nx.on = false;
          }
        }
        var t = prev; prev = cur; cur = t;
      }
      if (b.on && i - b.last >= STALE) {
        this.emit(sig, prefix, b, state, out); floor = b.last; promote();
        if (b.on && i - b.last >= STALE) { this.emit(sig, prefix, b, state, out); floor = b.last; b.on = false; }
      }
    }
    if (b.on) this.emit(sig, prefix, b, state, out);
    if (nx.on) this.emit(sig, prefix, nx, state, out);
  };

  // Merges sorted [lo, hi] ranges that overlap or touch, in place (scan.rs merge).
  function mergeSorted(rs) {
    var w = 0;
    for (var i = 0; i < rs.length; i++) {
      if (w > 0 && rs[i][0] <= rs[w - 1][1] + 1) rs[w - 1][1] = Math.max(rs[w - 1][1], rs[i][1]);
      else rs[w++] = rs[i];
    }
    rs.length = w;
    return rs;
  }

  // Marks the tokens of the input in `present` (by token id) with `on` (1, then 0
  // to clear it again).
  Matcher.prototype.markInput = function (ids, on) {
    for (var k = 0; k < ids.length; k++) { if (ids[k] >= 0) this.present[ids[k]] = on; }
  };

  // Every (signature, position) where an anchor of the signature occurs, as
  // signature × 2^32 + position, sorted (scan.rs anchor_hits).
  Matcher.prototype.anchorHits = function (ids) {
    var total = 0;
    for (var k = 0; k < ids.length; k++) { if (ids[k] >= 0) total += this.anchors[ids[k]].length; }
    var hits = new Float64Array(total), at = 0;
    for (var i = 0; i < ids.length; i++) {
      if (ids[i] < 0) continue;
      var sigs = this.anchors[ids[i]];
      for (var q = 0; q < sigs.length; q++) hits[at++] = sigs[q] * 4294967296 + i;
    }
    return hits.sort();
  };

  // Whether signature `s` could reach the threshold with every content token the
  // input holds anywhere: if not, no window of it can (liveRegions). Heaviest
  // first, most signatures are ruled out after a few tokens: `most` is what it
  // would reach with the tokens not looked at yet all present (the margin covers
  // the rounding of summing in another order than `all`, which decides).
  Matcher.prototype.mayScore = function (s) {
    var need = this.need[s], present = this.present, c0 = this.cstart[s], c1 = this.cstart[s + 1], a;
    var most = this.most[s], hids = this.hids, hw = this.hw;
    for (a = c0; a < c1 && most >= need - 1e-7; a++) { if (!present[hids[a]]) most -= hw[a]; }
    if (this.nonNegative && most < need - 1e-7) return false;
    var all = this.free[s], cids = this.cids, cw = this.cw;
    for (a = c0; a < c1; a++) { if (present[cids[a]]) all += cw[a]; }
    return all >= need;
  };

  // The regions to align for signature `s` from its anchor hits (scan.rs
  // live_regions), `hits[from..to)` (s × 2^32 + position, ascending): a window of
  // `span` tokens slides over its content tokens near the hits; where they could
  // reach the threshold, the window is a region. Regions come out ascending.
  Matcher.prototype.liveRegions = function (s, hits, from, to, ids) {
    if (!this.mayScore(s)) return NONE;
    var n = ids.length, span = this.span[s], near = [];
    for (var h = from; h < to; h++) {
      var k = hits[h] % 4294967296;
      near.push([Math.max(0, k - span), Math.min(n - 1, k + span)]);
    }
    mergeSorted(near); // ascending, as the hits are
    // its content tokens near the hits, in input order: position and content index
    var c0 = this.cstart[s], c1 = this.cstart[s + 1], cids = this.cids, cw = this.cw;
    var index = this.contentIndex, at = [], which = [], c;
    for (c = c0; c < c1; c++) index[cids[c]] = c - c0 + 1;
    for (var r = 0; r < near.length; r++) {
      for (var p = near[r][0]; p <= near[r][1]; p++) {
        c = ids[p] >= 0 ? index[ids[p]] : 0;
        if (c > 0) { at.push(p); which.push(c - 1); }
      }
    }
    for (c = c0; c < c1; c++) index[cids[c]] = 0;
    var counts = this.scratch(c1 - c0), regions = [], need = this.need[s];
    var bound = this.free[s], lo = 0;
    for (var j = 0; j < at.length; j++) {
      if (counts[which[j]]++ === 0) bound += cw[c0 + which[j]];
      while (at[j] - at[lo] > span) {
        if (--counts[which[lo]] === 0) bound -= cw[c0 + which[lo]];
        lo++;
      }
      if (bound >= need) regions.push([Math.max(0, at[lo] - PAD), Math.min(n - 1, at[j] + PAD)]);
    }
    return mergeSorted(regions);
  };

  // Every occurrence of every signature: [[signature, occurrence]] (scan.rs find_all).
  Matcher.prototype.findAll = function (ids, weights) {
    var prefix = [0], out = [];
    for (var i = 0; i < weights.length; i++) prefix.push(prefix[i] + weights[i]);
    var hits = this.anchorHits(ids);
    // the marks by token id are cleared whatever happens, or the next paste would see them
    this.markInput(ids, 1);
    try {
      for (var g = 0; g < hits.length;) {
        var s = Math.floor(hits[g] / 4294967296), end = g + 1;
        while (end < hits.length && Math.floor(hits[end] / 4294967296) === s) end++;
        var regions = this.liveRegions(s, hits, g, end, ids);
        var occ = regions.length ? this.occurrences(s, regions, ids, weights, prefix) : NONE;
        for (var x = 0; x < occ.length; x++) out.push(occ[x]);
        g = end;
      }
    } finally {
      this.markInput(ids, 0);
    }
    return out;
  };

  // Every occurrence of signature `s` in its regions: [[s, occurrence]] (align.rs find).
  Matcher.prototype.occurrences = function (s, regions, ids, weights, prefix) {
    var sig = this.sigs[s], occ = [];
    this.markRows(sig);
    try {
      for (var r = 0; r < regions.length; r++) this.run(sig, ids, weights, prefix, regions[r][0], regions[r][1], occ);
    } finally {
      this.unmarkRows(sig);
    }
    return occ.map(function (o) { return [s, o]; });
  };

  // Tokens of a whole text: ids, weights, 1-based lines and [start, end) offsets.
  Matcher.prototype.tokens = function (text) {
    var ids = [], weights = [], lines = [], spans = [], toks = [], self = this;
    var lineStart = 0, lineNo = 1;
    var rows = String(text).split('\n');
    rows.forEach(function (row, n) {
      var line = row.replace(/\r+$/, '');
      var norm = Evidence.joinPrefixes(self.data.spelling, normalise(line));
      tokenize(norm.chars, function (tok, a, b) {
        var iw = self.inputToken(tok);
        ids.push(iw[0]); weights.push(iw[1]); lines.push(lineNo); toks.push(tok);
        var s = norm.offs[a], e = b < norm.offs.length ? norm.offs[b] : line.length;
        spans.push([lineStart + s, lineStart + Math.max(e, s + 1)]);
      });
      lineStart += row.length + 1;
      lineNo = n + 2;
    });
    return { ids: ids, weights: weights, lines: lines, spans: spans, toks: toks };
  };

  // The tokens of input lines `from`..`to` that may be codes, not framing
  // (stream.rs Window::codes).
  Matcher.prototype.codes = function (t, from, to) {
    var out = [];
    for (var k = 0; k < t.toks.length; k++) {
      if (t.lines[k] >= from && t.lines[k] <= to && !this.stop.has(t.toks[k])) out.push(t.toks[k]);
    }
    return out;
  };

  // Ranks articles for a pasted text: [{id, title, url, score, lines, ranges,
  // explain}], each occurrence judged by match-evidence.js (stream.rs scan).
  Matcher.prototype.rank = function (text, limit) {
    var t = this.tokens(text), found = new Map(), self = this;
    var occs = this.findAll(t.ids, t.weights);
    var all = { ids: t.ids, weights: t.weights, lines: t.lines, seen: function (k) { return self.inputSeen(t.toks[k], t.ids[k], t.weights[k]); } };
    for (var n = 0; n < occs.length; n++) {
      var s = occs[n][0], sig = this.sigs[s], occ = occs[n][1];
      var ev = Evidence.judge(sig, sig.kinds, all, occ, function () {
        return self.codes(t, t.lines[occ.first], t.lines[occ.last]);
      }, this.rules, this.data.tokens);
      if (!ev) continue;
      var f = found.get(sig.article);
      if (!f) { f = { article: sig.article, score: 0, weight: 0, line: Infinity, lines: new Set(), ranges: [], best: null }; found.set(sig.article, f); }
      var line = t.lines[occ.first];
      if (ev.score > f.score || (ev.score === f.score && (ev.weight > f.weight || (ev.weight === f.weight && line < f.line)))) {
        f.score = ev.score; f.weight = ev.weight; f.line = line;
        f.best = { signature: s, found: ev.found, lines: [line, t.lines[occ.last]] };
      }
      for (var k = occ.first; k <= occ.last; k++) f.lines.add(t.lines[k]);
      f.ranges.push([t.spans[occ.first][0], t.spans[occ.last][1]]);
    }
    var arts = this.data.articles;
    var list = Array.from(found.values()).sort(function (a, b) {
      return b.score - a.score || b.weight - a.weight || a.article - b.article;
    });
    return list.slice(0, limit === undefined ? 5 : limit).map(function (f) {
      var a = arts[f.article];
      return {
        id: a.id, title: a.title, url: a.url,
        score: Math.round(f.score * 1000) / 1000,
        lines: Array.from(f.lines).sort(function (x, y) { return x - y; }),
        ranges: f.ranges.sort(function (x, y) { return x[0] - y[0]; }),
        explain: Evidence.explain(self.sigs[f.best.signature], self.data.tokens, f.best)
      };
    });
  };

  // ---- browser: load signatures.json and bind the paste boxes ----

  var shared = null;
  var loading = null;

  function siteRoot() {
    var r = document.documentElement.getAttribute('data-root');
    return r === null ? '' : r;
  }

  function load() {
    if (!loading) {
      loading = fetch(siteRoot() + 'signatures.json')
        .then(function (res) { if (!res.ok) throw new Error('HTTP ' + res.status); return res.json(); })
        .then(function (data) { shared = new Matcher(data); return shared; });
    }
    return loading;
  }

  // Browsers block fetch() from file:// pages, and the index is never inlined as a
  // script, so an opened-from-disk site says how to get matching instead.
  function loadFailure() {
    if (typeof location !== 'undefined' && location.protocol === 'file:') {
      return 'Matching needs the site served over http(s): the browser does not let a page opened ' +
        'from a file load the error index (signatures.json). Run `kbgen serve`, or serve the site ' +
        'folder with any web server, then paste your error again.';
    }
    return 'The error index (signatures.json) could not be loaded.';
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function bind(box) {
    var input = box.querySelector('[data-kb-paste-input]');
    var out = box.querySelector('[data-kb-paste-results]');
    if (!input || !out) return;
    var timer = null;
    function update() {
      var text = input.value;
      load().then(function (m) { if (input.value === text) Evidence.render(document, out, text, m.rank(text, 5), siteRoot()); })
        .catch(function () {
          out.textContent = '';
          out.appendChild(el('p', 'paste-none', loadFailure()));
        });
    }
    input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(update, 120); });
    if (input.value) update();
  }

  function autoBind() {
    if (typeof document === 'undefined') return;
    var go = function () { Array.prototype.forEach.call(document.querySelectorAll('[data-kb-paste]'), bind); };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', go); else go();
  }

  return {
    create: function (data) { return new Matcher(data); },
    normalise: normalise,
    tokenize: function (text) {
      var out = [];
      tokenize(normalise(text).chars, function (t) { out.push(t); });
      return out;
    },
    // Ranks with the site's signatures; [] until they are loaded (see ready()).
    rank: function (text, limit) { return shared ? shared.rank(text, limit) : []; },
    ready: load,
    autoBind: autoBind
  };
});
