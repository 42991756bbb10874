/* kbgen error matcher, the evidence half: the rules of src/signature/evidence.rs
 * and src/signature/spelling.rs, which templates/static/match.js applies to every
 * occurrence its alignment finds (same arithmetic in the same order as the Rust,
 * so both give the same scores), and the results under a paste box: each with
 * the matched error text, its found words marked (text nodes only: nothing from
 * an article or a paste runs as script). Plain script: global `KbMatchEvidence`
 * (also `module.exports` under Node); load it before match.js.
 */
(function (root, factory) {
  'use strict';
  var api = factory();
  root.KbMatchEvidence = api;
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  var WILD = -1;

  // spelling.rs join_prefixes on normalise()'s {chars, offs}: drops the hyphen
  // between a prefix word and an ASCII letter (pre-login -> prelogin), and the
  // space or hyphen between the words of a compound (log in -> login).
  function joinPrefixes(tables, norm) {
    var c = norm.chars, o = norm.offs, keepC = [], keepO = [], cut = false;
    function alnum(ch) { return ch !== undefined && /^[a-z0-9_]$/i.test(ch); }
    function ascii(ch) { return ch.charCodeAt(0) < 128; }
    for (var k = 0; k < c.length; k++) {
      var next = k + 1 < c.length ? c[k + 1] : '';
      var hyphen = c[k] === '-' && /^[a-z]$/.test(next);
      if (hyphen || (c[k] === ' ' && 'abdiou'.indexOf(next) >= 0 && next !== '')) {
        var s = k;
        while (s > 0 && c[s - 1].length === 1 && ascii(c[s - 1]) && alnum(c[s - 1])) s--;
        var wordStart = s === 0 || ascii(c[s - 1]);
        var before = c.slice(s, k).join('');
        if (wordStart && hyphen && tables.prefixes.indexOf(before) >= 0) { cut = true; continue; }
        var e = k + 1;
        while (e < c.length && c[e].length === 1 && ascii(c[e]) && alnum(c[e])) e++;
        var particle = c.slice(k + 1, e).join('');
        var endsWord = e === c.length || ascii(c[e]);
        var pair = wordStart && endsWord && tables.compounds.some(function (p) { return p[0] === before && p[1] === particle; });
        if (pair) { cut = true; continue; }
      }
      keepC.push(c[k]); keepO.push(o[k]);
    }
    return cut ? { chars: keepC, offs: keepO } : norm;
  }

  // spelling.rs canon: the American, -ize spelling of a token.
  function canon(tables, tok) {
    var words = tables.words;
    for (var w = 0; w < words.length; w++) { if (words[w][0] === tok) return words[w][1]; }
    if (tok.indexOf('is') < 0) return tok;
    for (var s = 0; s < tables.stems.length; s++) {
      var stem = tables.stems[s];
      if (tok.slice(0, stem.length) === stem && tables.endings.indexOf(tok.slice(stem.length)) >= 0) {
        return stem.slice(0, stem.length - 1) + 'z' + tok.slice(stem.length);
      }
    }
    return tok;
  }

  // evidence.rs family: what comes before a code's first digit, or 0x.
  function family(code) {
    var at = 0;
    while (at < code.length && !(code[at] >= '0' && code[at] <= '9')) at++;
    if (at === 0 && code.slice(0, 2) === '0x') return '0x';
    return code.slice(0, at);
  }

  // evidence.rs subsequence: the heaviest in-order matching, [[j, i]] ascending.
  function subsequence(sig, input) {
    var m = sig.ids.length, n = input.length, w = n + 1, dp = new Float64Array((m + 1) * w);
    for (var j = 1; j <= m; j++) {
      for (var i = 1; i <= n; i++) {
        var best = Math.max(dp[(j - 1) * w + i], dp[j * w + i - 1]);
        if (sig.ids[j - 1] === input[i - 1]) best = Math.max(best, dp[(j - 1) * w + i - 1] + sig.weights[j - 1]);
        dp[j * w + i] = best;
      }
    }
    var pairs = [], a = m, b = n;
    while (a > 0 && b > 0) {
      var here = dp[a * w + b];
      if (sig.ids[a - 1] === input[b - 1] && dp[(a - 1) * w + b - 1] + sig.weights[a - 1] === here) {
        pairs.push([a - 1, b - 1]); a--; b--;
      } else if (dp[(a - 1) * w + b] === here) a--; else b--;
    }
    return pairs.reverse();
  }

  function explainedByPair(sig, ids, weights, pairs, wildMax) {
    var out = new Array(pairs.length).fill(0);
    for (var k = 1; k < pairs.length; k++) {
      var ja = pairs[k - 1][0], ia = pairs[k - 1][1], jb = pairs[k][0], ib = pairs[k][1], wild = 0;
      for (var q = ja + 1; q < jb; q++) { if (sig.ids[q] === WILD) wild++; }
      var room = wild * wildMax, sum = 0;
      for (var i = ia + 1; i < ib; i++) {
        if (room === 0) break;
        room--;
        if (sig.ids.indexOf(ids[i]) < 0) sum += weights[i];
      }
      out[k] = sum + weights[ib];
    }
    return out;
  }

  // evidence.rs best_run: [from, to, score, weight] or null.
  function bestRun(sig, kinds, ids, weights, pairs, rules, loose) {
    var explained = explainedByPair(sig, ids, weights, pairs, rules.wildMax);
    var tokens = 0, j, q;
    for (q = 0; q < sig.ids.length; q++) { if (sig.ids[q] !== WILD) tokens++; }
    var ma = sig.message[0], mb = sig.message[1], msum = 0, saidAll = 0, telling = false;
    for (q = ma; q < mb; q++) {
      msum += sig.weights[q];
      if (sig.ids[q] !== WILD) saidAll++;
      if (distinctive(kinds[q])) telling = true;
    }
    var need = rules.messageShare * msum, best = null;
    // what a found token is evidence of: itself, or the qualified name it is part of
    var thing = sig.ids.slice();
    for (var nk = 0; nk < sig.names.length; nk++) {
      for (q = sig.names[nk][0]; q < sig.names[nk][1]; q++) thing[q] = 'name' + nk;
    }
    for (var from = 0; from < pairs.length; from++) {
      var found = 0, expl = 0, stretch = 0, code = false, count = 0, said = 0, saidN = 0, specific = [];
      var tight = true;
      for (var to = from; to < pairs.length; to++) {
        j = pairs[to][0];
        var i = pairs[to][1];
        found += sig.weights[j];
        count++;
        if (j >= ma && j < mb) { said += sig.weights[j]; saidN++; }
        if (to > from && loose[to]) tight = false;
        if (to === from) { expl += weights[i]; stretch += weights[i]; } else {
          expl += explained[to];
          var gap = 0;
          for (var g = pairs[to - 1][1] + 1; g <= i; g++) gap += weights[g];
          stretch += gap;
        }
        if (kinds[j] === 'numbered') code = true;
        else if ((kinds[j] === 'code' || kinds[j] === 'word') && specific.indexOf(thing[j]) < 0) specific.push(thing[j]);
        var message = telling && saidN === saidAll;
        // the whole text or message of common words counts only as printed
        var whole = tight && (count === tokens || message);
        var evidence = code || whole || specific.length >= rules.minSpecific;
        if (!evidence || (said < need && !code)) continue;
        var r = found / sig.total;
        var p = stretch > 0 ? Math.min(expl / stretch, 1) : 1;
        var score = Math.sqrt(r * p);
        if (score >= rules.confidence && (best === null || score > best[2])) best = [from, to, score, found];
      }
    }
    return best;
  }

  // evidence.rs judge: {score, weight, found} or null. `kinds[j]` is the class of
  // signature token j ('stop', 'common', 'numbered', 'code', 'word'); `all` the
  // input ({ids, weights, lines, seen(k)}); `codes()` the tokens of the
  // occurrence's input lines.
  function judge(sig, kinds, all, occ, codes, rules, vocab) {
    var ids = all.ids, weights = all.weights;
    var input = ids.slice(occ.first, occ.last + 1), w = weights.slice(occ.first, occ.last + 1);
    var pairs = subsequence(sig, input);
    if (!pairs.length) return null;
    var run = bestRun(sig, kinds, input, w, pairs, rules, looseGaps(sig, pairs, occ.first, all));
    if (!run) return null;
    var found = sig.ids.map(function () { return false; });
    for (var k = run[0]; k <= run[1]; k++) found[pairs[k][0]] = true;
    var coded = sig.named.some(function (nc) { return found[nc[0]]; });
    for (var q = 0; q < sig.ids.length; q++) { if (found[q] && kinds[q] === 'numbered') coded = true; }
    // vendors reword messages, not codes: a found code is the error
    if (!coded && (substituted(sig, kinds, pairs, occ.first, all, rules.swap) ||
      anotherCode(sig, kinds, codes, vocab, rules))) return null;
    return { score: run[2], weight: run[3], found: found };
  }

  // evidence.rs loose_gaps: per pair k > 0, a word (not a value) of the input
  // between pairs k - 1 and k where the signature has no placeholder.
  function looseGaps(sig, pairs, first, all) {
    var out = pairs.map(function () { return false; });
    for (var k = 1; k < pairs.length; k++) {
      var ja = pairs[k - 1][0], ia = pairs[k - 1][1], jb = pairs[k][0], ib = pairs[k][1];
      if (sig.ids.slice(ja + 1, jb).indexOf(WILD) >= 0) continue;
      for (var i = first + ia + 1; i < first + ib; i++) { if (all.seen(i) !== 'value') { out[k] = true; break; } }
    }
    return out;
  }

  // evidence.rs distinctive: a word or a code, not framing, a mask or common.
  function distinctive(kind) { return kind === 'word' || kind === 'code' || kind === 'numbered'; }

  // evidence.rs substituted: the input says something else where the signature
  // has words, over every pair of the occurrence, not only the best run.
  function substituted(sig, kinds, pairs, first, all, swap) {
    return replacedBetween(sig, kinds, pairs, first, all, swap) || reordered(sig, kinds, pairs, first, all) ||
      replacedEnd(sig, kinds, pairs, first, all, swap);
  }

  // evidence.rs said: signature tokens a..b hold content and no placeholder.
  function said(sig, kinds, a, b) {
    var any = false;
    for (var j = a; j < b; j++) {
      if (sig.ids[j] === WILD) return false;
      if (kinds[j] !== 'stop') any = true;
    }
    return any;
  }

  // evidence.rs replaced_between.
  function replacedBetween(sig, kinds, pairs, first, all, swap) {
    for (var r = 1; r < pairs.length; r++) {
      var ja = pairs[r - 1][0], ia = pairs[r - 1][1], jb = pairs[r][0], ib = pairs[r][1];
      if (jb === ja + 2 && ib === ia + 2 && distinctive(kinds[ja + 1]) && all.seen(first + ia + 1) !== 'value') return true;
      if (!said(sig, kinds, ja + 1, jb) || ib - ia - 1 > jb - ja + swap) continue;
      for (var k = first + ia + 1; k < first + ib; k++) { if (all.seen(k) === 'content') return true; }
    }
    return false;
  }

  // evidence.rs reordered.
  function reordered(sig, kinds, pairs, first, all) {
    if (!pairs.length) return false;
    var used = pairs.map(function (p) { return first + p[1]; });
    var i0 = first + pairs[0][1], il = first + pairs[pairs.length - 1][1];
    // evidence.rs whole_lines: the stretch widened to its whole lines
    while (i0 > 0 && all.lines[i0 - 1] === all.lines[i0]) i0--;
    while (il + 1 < all.ids.length && all.lines[il + 1] === all.lines[il]) il++;
    for (var j = 0; j < sig.ids.length; j++) {
      if (!distinctive(kinds[j]) || pairs.some(function (p) { return p[0] === j; })) continue;
      for (var q = i0; q <= il; q++) { if (all.ids[q] === sig.ids[j] && used.indexOf(q) < 0) return true; }
    }
    return false;
  }

  // evidence.rs replaced_end.
  function replacedEnd(sig, kinds, pairs, first, all, swap) {
    if (!pairs.length) return false;
    var jl = pairs[pairs.length - 1][0], k = first + pairs[pairs.length - 1][1], end = sig.message[1];
    if (!(jl >= sig.message[0] && jl < end) || end - jl > swap || !said(sig, kinds, jl + 1, end)) return false;
    var other = false;
    for (var n = k + 1; n < all.ids.length && n <= k + swap && all.lines[n] === all.lines[k]; n++) {
      // the missing words a little later is an inserted word, not a replaced one
      for (var j = jl + 1; j < end; j++) { if (sig.ids[j] === all.ids[n]) return false; }
      if (all.seen(n) === 'content') other = true;
    }
    return other;
  }

  // evidence.rs another_code: the input lines (`codes()`: their tokens) of an
  // occurrence that found none of the signature's codes hold another of the same
  // family, numbered (family) or named (named.rs other_member).
  function anotherCode(sig, kinds, codes, vocab, rules) {
    var missing = [];
    for (var j = 0; j < sig.ids.length; j++) { if (kinds[j] === 'numbered') missing.push(vocab[sig.ids[j]]); }
    if (!missing.length && !sig.named.length) return false;
    return codes().some(function (c) {
      var numbered = rules.kind(c) === 'numbered' && missing.indexOf(c) < 0 &&
        missing.some(function (m) { return family(m) === family(c); });
      return numbered || sig.named.some(function (nc) {
        var fam = nc[1], code = vocab[sig.ids[nc[0]]];
        return c !== code && c.length > fam.length && c.slice(0, fam.length) === fam;
      });
    });
  }

  // Why an article matched (match_explain.rs): its signature's tokens with their
  // weights and whether each was found, and the input lines of the occurrence.
  function explain(sig, vocab, best) {
    return {
      lines: best.lines,
      tokens: sig.ids.map(function (id, j) {
        return { token: id === WILD ? '*' : vocab[id], weight: sig.weights[j], found: best.found[j] };
      })
    };
  }

  // The matched error text under a result, its found words in <mark>: built with
  // text nodes only, so nothing from an article or a paste can run as script.
  function why(doc, ex) {
    var p = doc.createElement('p');
    p.className = 'paste-why';
    p.appendChild(doc.createTextNode('Matched error text: '));
    ex.tokens.forEach(function (t, k) {
      if (k > 0) p.appendChild(doc.createTextNode(' '));
      if (t.token === '*') { p.appendChild(doc.createTextNode('<…>')); return; }
      var w = doc.createElement(t.found ? 'mark' : 'span');
      if (!t.found) w.className = 'paste-missing';
      w.textContent = t.token;
      p.appendChild(w);
    });
    return p;
  }

  // ---- browser: the results under a paste box (match.js binds the boxes) ----

  // The paste around the first matched range, with the range in <mark>; a very
  // long range is cut, and then nothing after it is shown.
  function excerpt(el, text, range) {
    var p = el('p', 'paste-excerpt');
    var ctx = 60, max = 600;
    var a = range[0], b = Math.min(range[1], a + max), cut = b < range[1];
    var from = Math.max(0, a - ctx), to = cut ? b : Math.min(text.length, b + ctx);
    p.appendChild(document.createTextNode((from > 0 ? '…' : '') + text.slice(from, a)));
    p.appendChild(el('mark', null, text.slice(a, b) + (cut ? '…' : '')));
    p.appendChild(document.createTextNode(text.slice(b, to) + (!cut && to < text.length ? '…' : '')));
    return p;
  }

  function render(doc, out, text, results, root) {
    function el(tag, cls, txt) {
      var e = doc.createElement(tag);
      if (cls) e.className = cls;
      if (txt !== undefined) e.textContent = txt;
      return e;
    }
    out.textContent = '';
    if (!text.trim()) return;
    if (results.length === 0) {
      out.appendChild(el('p', 'paste-none', 'No article matches this error. Try pasting only the error message, or search for its words.'));
      return;
    }
    var list = el('ol', 'paste-list');
    results.forEach(function (r) {
      var li = el('li', 'paste-match');
      var link = el('a', null, r.title);
      link.href = root + r.url;
      var head = el('p', 'paste-title');
      head.appendChild(link);
      head.appendChild(el('span', 'paste-score', ' ' + Math.round(r.score * 100) + '% match'));
      li.appendChild(head);
      var lines = r.lines.length === 1 ? 'line ' + r.lines[0] : 'lines ' + r.lines[0] + '–' + r.lines[r.lines.length - 1];
      li.appendChild(el('p', 'paste-lines', 'Matched ' + lines + ' of your paste'));
      if (r.ranges.length) li.appendChild(excerpt(el, text, r.ranges[0]));
      if (r.explain) li.appendChild(why(doc, r.explain));
      list.appendChild(li);
    });
    out.appendChild(list);
  }

  return { render: render, joinPrefixes: joinPrefixes, canon: canon, family: family, judge: judge, explain: explain, why: why };
});
