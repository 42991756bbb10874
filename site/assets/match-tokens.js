/* kbgen error matcher, the reading half: the normalisation and the tokeniser of
 * src/signature/normalise.rs and src/signature/tokens.rs, character for character,
 * so that templates/static/match.js sees a paste as `kbgen match` does. Linear scans
 * and single-character class tests only: no regular expression runs over the pasted
 * text. Plain script: global `KbMatchTokens` (also `module.exports` under Node);
 * load it before match.js.
 */
(function (root, factory) {
  'use strict';
  var api = factory();
  root.KbMatchTokens = api;
  if (typeof module !== 'undefined' && module.exports) module.exports = api;
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  var MASKS = ['<email>', '<url>', '<ip>', '<uuid>', '<hex>', '<date>', '<num>'];
  var WORD_RE = /[\p{Alphabetic}\p{N}]/u;
  var SPACE_RE = /\s/u;

  // ---- normalisation (src/signature/normalise.rs) ----

  function isAsciiDigit(ch) { return ch >= '0' && ch <= '9'; }
  function isHex(ch) { return isAsciiDigit(ch) || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F'); }
  function isLower(ch) { return ch >= 'a' && ch <= 'z'; }
  function isAsciiAlnum(ch) { return isAsciiDigit(ch) || isLower(ch) || (ch >= 'A' && ch <= 'Z'); }
  function isAscii(ch) { return ch.codePointAt(0) < 128; }
  function isWord(ch) {
    if (ch === undefined) return false;
    return isAsciiAlnum(ch) || ch === '_' || (!isAscii(ch) && WORD_RE.test(ch));
  }
  function isSpace(ch) { return ch !== '\uFEFF' && SPACE_RE.test(ch); }

  function hexValue(c, from, len) {
    if (from + len > c.length) return null;
    var v = 0;
    for (var k = from; k < from + len; k++) {
      if (!isHex(c[k])) return null;
      v = v * 16 + parseInt(c[k], 16);
    }
    return v;
  }
  function fromCode(v) {
    if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) return ' ';
    return String.fromCodePoint(v);
  }

  function entityBody(c, from) {
    var end = -1;
    for (var k = from; k < Math.min(c.length, from + 10); k++) { if (c[k] === ';') { end = k; break; } }
    if (end < 0) return null;
    var name = c.slice(from, end).join('').replace(/[A-Z]/g, function (x) { return x.toLowerCase(); });
    var named = { quot: '"', amp: '&', lt: '<', gt: '>', apos: "'", nbsp: ' ' };
    if (Object.prototype.hasOwnProperty.call(named, name)) return [named[name], end + 1];
    if (name[0] !== '#') return null;
    var num = name.slice(1), v;
    if (num[0] === 'x') {
      var h = num.slice(1);
      if (h.length === 0 || h.length > 6) return null;
      for (var i = 0; i < h.length; i++) { if (!isHex(h[i])) return null; }
      v = parseInt(h, 16);
    } else {
      if (num.length === 0 || num.length > 7) return null;
      for (var j = 0; j < num.length; j++) { if (!isAsciiDigit(num[j])) return null; }
      v = parseInt(num, 10);
    }
    return [fromCode(v), end + 1];
  }

  // One escape at c[i]: [text or null, next index].
  function escapeAt(c, i) {
    var ch = c[i];
    if (ch === '\\') {
      var n = c[i + 1];
      if (n === 'n' || n === 'r' || n === 't') return [' ', i + 2];
      if (n === '"' || n === "'" || n === '\\' || n === '/') return [n, i + 2];
      if (n === 'u') {
        var v = hexValue(c, i + 2, 4);
        return v === null ? [null, i + 1] : [fromCode(v), i + 6];
      }
      return [null, i + 1];
    }
    if (ch === '&') {
      var e = entityBody(c, i + 1);
      if (!e) return [null, i + 1];
      if (e[0] === '&') {
        var e2 = entityBody(c, e[1]);
        return e2 ? e2 : ['&', e[1]];
      }
      return e;
    }
    if (ch === '%') {
      var k = i, hex = '';
      while (c[k] === '%') {
        var b = hexValue(c, k + 1, 2);
        if (b === null) break;
        hex += '%' + c[k + 1] + c[k + 2];
        k += 3;
      }
      if (!hex) return [null, i + 1];
      try { return [decodeURIComponent(hex), k]; } catch (err) { return [' ', k]; }
    }
    if (ch === '+') return [' ', i + 1];
    return [null, i + 1];
  }

  // Normalises one line. Returns {chars, offs}: code points and, for each, the
  // code-unit offset in `line` it came from (for highlighting).
  function normalise(line) {
    var src = [], soff = [];
    for (var p = 0; p < line.length;) {
      var cp = String.fromCodePoint(line.codePointAt(p));
      src.push(cp); soff.push(p); p += cp.length;
    }
    var plain = true;
    for (var q = 0; q < src.length; q++) {
      var x = src[q];
      if (!isAscii(x) || x === '\\' || x === '&' || x === '%' || x === '+') { plain = false; break; }
    }
    if (plain) return { chars: src.map(function (ch) { return ch.toLowerCase(); }), offs: soff };
    var u = [], uoff = [];
    for (var i = 0; i < src.length;) {
      var r = escapeAt(src, i);
      if (r[0] === null) { u.push(src[i]); uoff.push(soff[i]); } else {
        var pieces = Array.from(r[0]);
        for (var k = 0; k < pieces.length; k++) { u.push(pieces[k]); uoff.push(soff[i]); }
      }
      i = r[1];
    }
    return fold(u, uoff);
  }

  // NFKC + lower case, one whitespace-separated group at a time.
  function fold(u, uoff) {
    var chars = [], offs = [];
    var i = 0;
    while (i < u.length) {
      var j = i;
      if (isSpace(u[i])) j = i + 1; else { while (j < u.length && !isSpace(u[j])) j++; }
      var group = u.slice(i, j);
      var ascii = group.every(isAscii);
      var out = ascii ? group : Array.from(group.join('').normalize('NFKC'));
      for (var k = 0; k < out.length; k++) {
        var low = Array.from(out[k].toLowerCase());
        var off = ascii ? uoff[i + k] : uoff[i];
        for (var m = 0; m < low.length; m++) { chars.push(low[m]); offs.push(off); }
      }
      i = j;
    }
    return { chars: chars, offs: offs };
  }

  // ---- tokeniser (src/signature/tokens.rs) ----

  function at(c, i) { return i < c.length ? c[i] : ' '; }
  function boundary(c, i) { return !isWord(at(c, i)); }
  function count(c, i, max, pred) { var n = 0; while (n < max && pred(at(c, i + n))) n++; return n; }
  function digits(c, i, max) { return count(c, i, max, isAsciiDigit); }
  function hexes(c, i, max) { return count(c, i, max, isHex); }
  function letters(c, i, max) { return count(c, i, max, isLower); }
  function spaces(c, i) { return count(c, i, 3, function (ch) { return ch === ' '; }); }

  function url(c, i) {
    var k = i + letters(c, i, 16);
    while (k - i < 16 && (isLower(at(c, k)) || isAsciiDigit(at(c, k)) || '+.-'.indexOf(at(c, k)) >= 0)) k++;
    if (k === i || at(c, k) !== ':' || at(c, k + 1) !== '/' || at(c, k + 2) !== '/') return null;
    k += 3;
    while (k < c.length && !isSpace(c[k]) && '"\'<>`?#'.indexOf(c[k]) < 0) k++;
    while (k > i && '.,;:!?)]}'.indexOf(c[k - 1]) >= 0) k--;
    return k;
  }

  function uuid(c, i) {
    var k = i, groups = [8, 4, 4, 4, 12];
    for (var n = 0; n < groups.length; n++) {
      if (n > 0) { if (at(c, k) !== '-') return null; k++; }
      if (hexes(c, k, groups[n] + 1) !== groups[n]) return null;
      k += groups[n];
    }
    return boundary(c, k) ? k : null;
  }

  function ipv4(c, i) {
    var k = i;
    for (var n = 0; n < 4; n++) {
      if (n > 0) { if (at(c, k) !== '.') return null; k++; }
      var d = digits(c, k, 4);
      if (d === 0 || d > 3) return null;
      k += d;
    }
    if (!boundary(c, k) || (at(c, k) === '.' && isAsciiDigit(at(c, k + 1)))) return null;
    if (at(c, k) === ':') {
      var p = digits(c, k + 1, 6);
      if (p >= 1 && p <= 5 && boundary(c, k + 1 + p)) k += 1 + p;
    }
    return k;
  }

  function ipv6(c, i) {
    var k = i, colons = 0, dbl = false;
    while (k - i < 45) {
      var h = hexes(c, k, 5);
      if (h > 4) return null;
      k += h;
      if (at(c, k) !== ':') break;
      colons++; k++;
      if (at(c, k) === ':') { dbl = true; colons++; k++; }
    }
    return colons >= 2 && (dbl || colons === 7) && boundary(c, k) ? k : null;
  }

  function email(c, i) {
    var local = function (ch) { return isAsciiAlnum(ch) || '._%-'.indexOf(ch) >= 0; };
    var k = i;
    while (k - i < 64 && (local(at(c, k)) || (!isAscii(at(c, k)) && isWord(at(c, k))))) k++;
    if (at(c, k) !== '@') return null;
    k++;
    var dots = 0, label = 0;
    for (;;) {
      var ch = at(c, k);
      if (isWord(ch) || ch === '-') label++;
      else if (ch === '.' && label > 0 && isWord(at(c, k + 1))) { dots++; label = 0; } else break;
      k++;
    }
    return dots > 0 && label >= 2 ? k : null;
  }

  function dashCode(c, i) {
    var l = letters(c, i, 6);
    if (l < 2 || l > 5 || at(c, i + l) !== '-') return null;
    var d = digits(c, i + l + 1, 9);
    var end = i + l + 1 + d;
    return d >= 3 && d <= 8 && boundary(c, end) ? end : null;
  }

  function number(c, i) {
    var k = i + digits(c, i, Infinity);
    if (k === i) return null;
    while ((at(c, k) === '.' || at(c, k) === ',') && isAsciiDigit(at(c, k + 1))) k += 1 + digits(c, k + 1, Infinity);
    return boundary(c, k) ? k : null;
  }

  var MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec',
    'january', 'february', 'march', 'april', 'june', 'july', 'august', 'sept',
    'september', 'october', 'november', 'december'];
  var WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'monday', 'tuesday', 'tues',
    'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

  function nameIn(c, i, names) {
    var l = letters(c, i, 10);
    if (l < 3 || l > 9 || isWord(at(c, i + l))) return null;
    return names.indexOf(c.slice(i, i + l).join('')) >= 0 ? i + l : null;
  }

  function date(c, i) {
    var end = numericDate(c, i);
    if (end === null) end = textDate(c, i);
    if (end !== null) return timeAfter(c, end);
    var k = nameIn(c, i, WEEKDAYS);
    if (k !== null) {
      if (at(c, k) === ',') k++;
      var s = spaces(c, k);
      if (s > 0) {
        var e = textDate(c, k + s);
        if (e === null) e = monthDay(c, k + s);
        if (e !== null) {
          e = timeAfter(c, e);
          var s2 = spaces(c, e);
          var y = digits(c, e + s2, 5);
          return s2 > 0 && y === 4 && boundary(c, e + s2 + 4) ? e + s2 + 4 : e;
        }
      }
      return null;
    }
    return time(c, i);
  }

  function numericDate(c, i) {
    var a = digits(c, i, 5);
    var sep = at(c, i + a);
    if (sep !== '-' && sep !== '/' && sep !== '.') return null;
    var b = digits(c, i + a + 1, 3);
    if (b === 0 || b > 2 || at(c, i + a + 1 + b) !== sep) return null;
    var k = i + a + 2 + b;
    var d = digits(c, k, 5);
    var ok = (a === 4 && d >= 1 && d <= 2) || (a >= 1 && a <= 2 && (d === 2 || d === 4));
    ok = ok && (sep !== '.' || a === 4 || d === 4);
    var end = k + d;
    var tailOk = !(at(c, end) === sep && isAsciiDigit(at(c, end + 1)));
    var t = at(c, end) === 't' && isAsciiDigit(at(c, end + 1));
    return ok && tailOk && (boundary(c, end) || t) ? end : null;
  }

  function textDate(c, i) {
    var d = digits(c, i, 3);
    if (d >= 1 && d <= 2) {
      var sep = at(c, i + d);
      if (sep !== ' ' && sep !== '-') return null;
      var m = nameIn(c, i + d + 1, MONTHS);
      if (m === null || at(c, m) !== sep || digits(c, m + 1, 5) !== 4) return null;
      return boundary(c, m + 5) ? m + 5 : null;
    }
    var k = monthDay(c, i);
    if (k === null) return null;
    var k2 = k + (at(c, k) === ',' ? 1 : 0);
    var s = spaces(c, k2);
    return s > 0 && digits(c, k2 + s, 5) === 4 && boundary(c, k2 + s + 4) ? k2 + s + 4 : null;
  }

  function monthDay(c, i) {
    var m = nameIn(c, i, MONTHS);
    if (m === null) return null;
    var s = spaces(c, m);
    var d = digits(c, m + s, 3);
    return s > 0 && d >= 1 && d <= 2 && boundary(c, m + s + d) ? m + s + d : null;
  }

  function timeAfter(c, end) {
    var ch = at(c, end), gap;
    if (ch === 't') gap = 1; else if (ch === ',') gap = 1 + spaces(c, end + 1); else gap = spaces(c, end);
    if (gap === 0) return end;
    var t = time(c, end + gap);
    return t === null ? end : t;
  }

  function time(c, i) {
    var h = digits(c, i, 3);
    if (h < 1 || h > 2 || at(c, i + h) !== ':' || digits(c, i + h + 1, 3) !== 2) return null;
    var k = i + h + 3;
    if (at(c, k) === ':' && digits(c, k + 1, 3) === 2) {
      k += 3;
      if (at(c, k) === '.' || at(c, k) === ',') {
        var f = digits(c, k + 1, 10);
        if (f >= 1 && f <= 9) k += 1 + f;
      }
    }
    var s = spaces(c, k);
    if ((at(c, k + s) === 'a' || at(c, k + s) === 'p') && at(c, k + s + 1) === 'm' && boundary(c, k + s + 2)) k += s + 2;
    k = zone(c, k);
    return boundary(c, k) ? k : null;
  }

  function zone(c, k) {
    function offset(k) {
      if ((at(c, k) !== '+' && at(c, k) !== '-') || digits(c, k + 1, 3) !== 2) return k;
      var colon = at(c, k + 3) === ':' ? 1 : 0;
      return digits(c, k + 3 + colon, 3) === 2 ? k + 5 + colon : k + 3;
    }
    if (at(c, k) === 'z' && boundary(c, k + 1)) return k + 1;
    var s = spaces(c, k);
    if (s > 0) {
      var names = ['gmt', 'utc', 'z'];
      for (var n = 0; n < names.length; n++) {
        var name = names[n], l = name.length, hit = true;
        for (var q = 0; q < l; q++) { if (at(c, k + s + q) !== name[q]) { hit = false; break; } }
        if (hit && !isAsciiAlnum(at(c, k + s + l))) return offset(k + s + l);
      }
    }
    return offset(k);
  }

  var SCANS = [[url, '<url>'], [uuid, '<uuid>'], [ipv4, '<ip>'], [date, '<date>'], [ipv6, '<ip>'],
    [email, '<email>'], [dashCode, null], [number, '<num>']];

  function classify(w) {
    var len = Array.from(w).length;
    var digit = false, letter = false, hex = true;
    for (var i = 0; i < w.length; i++) {
      var ch = w[i];
      if (isAsciiDigit(ch)) digit = true; else if (ch !== '_') letter = true;
      if (!isHex(ch)) hex = false;
    }
    if (!letter && w.indexOf('_') < 0) return '<num>';
    if (w.length > 2 && w.slice(0, 2) === '0x') {
      var allHex = true;
      for (var j = 2; j < w.length; j++) { if (!isHex(w[j])) { allHex = false; break; } }
      if (allHex) return w;
    }
    var startsDigit = isAsciiDigit(w[0]);
    if (len > 40 || (hex && digit && letter && (len >= 16 || (len >= 8 && startsDigit))) ||
        (digit && letter && len >= 20 && w.indexOf('_') < 0)) return '<hex>';
    return w;
  }

  // Tokens of normalised code points: emit(token, firstIndex, endIndex).
  function tokenize(c, emit) {
    var lastDate = false, i = 0;
    while (i < c.length) {
      if (!isWord(c[i])) { i++; continue; }
      var end = null, mask = null;
      for (var s = 0; s < SCANS.length; s++) {
        end = SCANS[s][0](c, i);
        if (end !== null) { mask = SCANS[s][1]; break; }
      }
      if (end === null) { end = i; while (end < c.length && isWord(c[end])) end++; }
      if (mask === '<date>' && lastDate) { i = end; continue; }
      lastDate = mask === '<date>';
      emit(mask !== null ? mask : classify(c.slice(i, end).join('')), i, end);
      i = end;
    }
  }

  return { MASKS: MASKS, isAsciiDigit: isAsciiDigit, normalise: normalise, tokenize: tokenize };
});
