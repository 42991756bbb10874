/* kbgen full-text search: the client of the index `kbgen build` writes to search/.
 *
 * Index layout (src/search/mod.rs): meta.json (BM25F parameters, shard keys, facet
 * names), t/HEX.json dictionary shards (stems with gap-coded postings and surface
 * forms; surface form -> stem), d/N.json document records, facets.json.
 * Words are folded like the Rust side (NFKC, lower case, Unicode word boundaries);
 * no stemmer runs here: the dictionary maps every surface form in the corpus to
 * its stem, and a word the corpus never used is matched both through its longest
 * known prefix (an inflection) and through the words one typo away from it (in its
 * own shard and the few shards a typo in its first letters points to). Nothing from
 * the index is ever inserted as HTML.
 *
 * Browser: global `KbSearch`, binds `form[data-kb-search]` boxes (a dropdown of
 * results) and the search page (`[data-kb-search-results]`, `?q=`).
 * Node: `module.exports` (open(loader) -> Searcher) for tests and benchmarks.
 */
(function (root, factory) {
  'use strict';
  var api = factory();
  if (typeof module !== 'undefined' && module.exports) {
    module.exports = api;
  } else {
    root.KbSearch = api;
    api.autoBind();
  }
})(typeof self !== 'undefined' ? self : this, function () {
  'use strict';

  var VERSION = 1;
  var ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  var DIGIT = {};
  for (var i = 0; i < ALPHABET.length; i++) DIGIT[ALPHABET.charAt(i)] = i;
  var WORD_RE = /[\p{L}\p{N}]/u;
  var MAX_EXPANSIONS = 24;   // completions of a prefix that take part in ranking
  var MAX_CHILD_SHARDS = 4;  // shards fetched to complete a short prefix
  var MAX_TYPO_SHARDS = 3;   // other shards searched for a typo in a word's first letters
  var MAX_QUERY_WORDS = 12;  // a pasted error is searched by its first distinct words
  // Ranking (see Searcher.score): documents that match more of the query's words
  // come first; among them, BM25F plus a bonus for each query word in the title and
  // for each pair of query words next to each other there, in order (a phrase).
  var TITLE_BONUS = 1.0;     // per query word in the title, times its idf
  var PHRASE_BONUS = 0.6;    // per adjacent pair in the title, times the pair's smaller idf
  var SYNONYM_WEIGHT = 0.8;  // an article that says another member of the group

  // ---- text: the same folding and word boundaries as src/text.rs ----

  function fold(s) { return String(s).normalize('NFKC').toLowerCase(); }

  var segmenter = typeof Intl !== 'undefined' && Intl.Segmenter ? new Intl.Segmenter('en', { granularity: 'word' }) : null;

  // Words of already folded text with their offsets: [{w, start, end}].
  function wordSpans(text) {
    var out = [];
    if (segmenter) {
      for (var seg of segmenter.segment(text)) {
        if (WORD_RE.test(seg.segment)) out.push({ w: seg.segment, start: seg.index, end: seg.index + seg.segment.length });
      }
      return out;
    }
    var re = /[\p{L}\p{N}]+(?:['._:][\p{L}\p{N}]+)*/gu, m;
    while ((m = re.exec(text))) out.push({ w: m[0], start: m.index, end: m.index + m[0].length });
    return out;
  }

  function words(text) { return wordSpans(fold(text)).map(function (s) { return s.w; }); }

  // Splits a query: its words, and whether the last one is still being typed.
  function parseQuery(q, stopwords) {
    var folded = fold(q);
    var ws = wordSpans(folded);
    var open = ws.length > 0 && ws[ws.length - 1].end === folded.length;
    var seen = new Set(), list = [];
    ws.forEach(function (s, n) {
      var last = n === ws.length - 1;
      if ((!last || !open) && stopwords.has(s.w)) return;
      if (seen.has(s.w)) return;
      seen.add(s.w);
      list.push({ word: s.w, prefix: last && open });
    });
    if (list.length > MAX_QUERY_WORDS) list = list.slice(0, MAX_QUERY_WORDS);
    return list;
  }

  // A pasted error rather than search words: several lines, long, or ids and codes.
  function looksLikeError(q) {
    var t = String(q).trim();
    if (!t) return false;
    if (t.indexOf('\n') >= 0 || t.length > 100) return true;
    return /\b(?:[0-9a-f]{8}-[0-9a-f]{4}-|0x[0-9a-f]{6,}|[a-z]{2,}\d{4,}|[a-z]+_[a-z]+\b.*\b\d{3}\b)/i.test(t) ||
      /[a-z]+[=:]\s*["']?\S+["']?\s+[a-z]+[=:]/i.test(t);
  }

  function decode(s) {
    var out = [], v = 0, shift = 0;
    for (var i = 0; i < s.length; i++) {
      var d = DIGIT[s.charAt(i)];
      v += (d & 31) * Math.pow(2, shift);
      if (d & 32) { shift += 5; } else { out.push(v); v = 0; shift = 0; }
    }
    return out;
  }

  function hex(s) {
    var bytes = new TextEncoder().encode(s), out = '';
    for (var i = 0; i < bytes.length; i++) out += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    return out || '_';
  }

  function startsWith(s, p) { return s.length >= p.length && s.slice(0, p.length) === p; }


  // Damerau–Levenshtein distance, stopping early past `max`.
  function editDistance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = null, prev = [], cur;
    for (var j = 0; j <= b.length; j++) prev.push(j);
    for (var i = 1; i <= a.length; i++) {
      cur = [i];
      var rowMin = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
        cur.push(v);
        if (v < rowMin) rowMin = v;
      }
      if (rowMin > max) return max + 1;
      prev2 = prev; prev = cur;
    }
    return prev[b.length];
  }

  // ---- the index ----

  // `loader(path)` resolves to the text of a file under search/ ("meta.json", ...).
  function Searcher(loader, meta) {
    if (!meta || meta.version !== VERSION) throw new Error('search index version ' + (meta && meta.version) + ', expected ' + VERSION);
    this.loader = loader;
    this.meta = meta;
    this.keys = meta.shards.slice();
    this.keySet = new Set(this.keys);
    this.stopwords = new Set(meta.stopwords);
    this.scale = meta.k1 * meta.tf_scale;
    this.shards = new Map();
    this.chunks = new Map();
    this.postings = new Map();
    this.facets = null;
    // synonym members by first word: [{group, words}], longest first
    this.synonyms = new Map();
    var self = this;
    (meta.synonyms || []).forEach(function (members, g) {
      members.forEach(function (ws) {
        ws = ws.filter(function (w) { return !self.stopwords.has(w); });
        if (!ws.length) return;
        var list = self.synonyms.get(ws[0]) || [];
        list.push({ group: g, words: ws });
        list.sort(function (a, b) { return b.words.length - a.words.length; });
        self.synonyms.set(ws[0], list);
      });
    });
  }

  // Query items where words that make a member of a synonym group are replaced by
  // one item for the group: {word, group, typed: [words]}.
  Searcher.prototype.withSynonyms = function (items) {
    if (!this.synonyms.size) return items;
    var out = [];
    for (var i = 0; i < items.length; i++) {
      var found = null;
      (this.synonyms.get(items[i].word) || []).some(function (m) {
        var ok = m.words.every(function (w, k) { return items[i + k] && items[i + k].word === w && !items[i + k].prefix; });
        if (ok) found = m;
        return ok;
      });
      if (!found) { out.push(items[i]); continue; }
      out.push({ word: found.words.join(' '), group: found.group, typed: found.words, prefix: false });
      i += found.words.length - 1;
    }
    return out;
  };

  function open(loader) {
    return Promise.resolve(loader('meta.json')).then(function (text) { return new Searcher(loader, JSON.parse(text)); });
  }

  Searcher.prototype.file = function (cache, path) {
    var p = cache.get(path);
    if (!p) {
      p = Promise.resolve(this.loader(path)).then(JSON.parse);
      cache.set(path, p);
      p.catch(function () { cache.delete(path); });
    }
    return p;
  };

  // The key of the shard a term lives in: the longest key that is a prefix of it.
  Searcher.prototype.keyFor = function (term) {
    var chars = Array.from(term);
    for (var n = chars.length; n >= 1; n--) {
      var k = chars.slice(0, n).join('');
      if (this.keySet.has(k)) return k;
    }
    return null;
  };

  Searcher.prototype.shard = function (key) {
    if (key === null) return Promise.resolve({ t: {}, w: {} });
    return this.file(this.shards, 't/' + hex(key) + '.json');
  };

  Searcher.prototype.shardFor = function (term) { return this.shard(this.keyFor(term)); };

  // The stem a word means, if the corpus has it: surface map first, then stems.
  function exact(shard, word) {
    if (Object.prototype.hasOwnProperty.call(shard.w, word)) return shard.w[word];
    if (Object.prototype.hasOwnProperty.call(shard.t, word)) return word;
    return null;
  }

  // Candidate stems for one query word: [{stem, weight}], best first.
  Searcher.prototype.resolve = function (item) {
    var self = this, word = item.word;
    if (item.group !== undefined) return this.resolveGroup(item);
    return this.shardFor(word).then(function (shard) {
      var stem = exact(shard, word);
      var found = stem === null ? [] : [{ stem: stem, weight: 1, how: 'exact' }];
      var more = item.prefix ? self.complete(word, shard, found) : Promise.resolve(found);
      return more.then(function (list) {
        if (list.length) return list;
        // Not in the corpus: an inflection the corpus never used, or a typo. Both
        // readings compete in ranking; the better-supported one wins per document.
        return Promise.all([self.byPrefixOf(word), self.nearby(word, shard)]).then(function (r) {
          var seen = new Set(r[0].map(function (c) { return c.stem; }));
          return r[0].concat(r[1].filter(function (c) { return !seen.has(c.stem); }));
        });
      });
    });
  };

  // A synonym group: its token, scored in full where the article says the words
  // typed and at SYNONYM_WEIGHT where it says another member. With no article
  // saying any member, the typed words as one item.
  Searcher.prototype.resolveGroup = function (item) {
    var self = this, token = '~' + item.group;
    return Promise.all([this.shardFor(token)].concat(item.typed.map(function (w) { return self.shardFor(w); }))).then(function (shards) {
      var typed = item.typed.map(function (w, k) { return exact(shards[k + 1], w); });
      if (exact(shards[0], token) === token) {
        return [{ stem: token, weight: 1, how: 'synonym', typed: typed, words: self.meta.synonyms[item.group] }];
      }
      return typed.filter(function (t) { return t !== null; }).map(function (t) { return { stem: t, weight: 1, how: 'exact' }; });
    });
  };

  // Completions of a word being typed, from its shard and (if few) the shards below it.
  Searcher.prototype.complete = function (word, shard, found) {
    var self = this, key = this.keyFor(word);
    var children = this.keys.filter(function (k) { return k !== key && startsWith(k, word); });
    var shards = [Promise.resolve(shard)];
    if (children.length <= MAX_CHILD_SHARDS) children.forEach(function (k) { shards.push(self.shard(k)); });
    return Promise.all(shards).then(function (list) {
      var stems = new Map();
      list.forEach(function (s) {
        Object.keys(s.w).forEach(function (w) { if (startsWith(w, word)) stems.set(s.w[w], true); });
        Object.keys(s.t).forEach(function (t) { if (startsWith(t, word)) stems.set(t, true); });
      });
      var have = new Set(found.map(function (f) { return f.stem; }));
      var more = [];
      stems.forEach(function (_, stem) { if (!have.has(stem)) more.push(stem); });
      return self.withDf(more).then(function (withDf) {
        withDf.sort(function (a, b) { return b.df - a.df || (a.stem < b.stem ? -1 : 1); });
        return found.concat(withDf.slice(0, MAX_EXPANSIONS).map(function (x) {
          return { stem: x.stem, weight: found.length ? 0.8 : 1, how: 'prefix' };
        }));
      });
    });
  };

  Searcher.prototype.withDf = function (stems) {
    var self = this;
    return Promise.all(stems.map(function (stem) {
      return self.shardFor(stem).then(function (s) { return { stem: stem, df: s.t[stem] ? s.t[stem][0] : 0 }; });
    })).then(function (l) { return l.filter(function (x) { return x.df > 0; }); });
  };

  // A word the corpus never used in this form (provisioned when only provisioning
  // occurs): its longest prefix that is a known word or stem, at least half of it.
  Searcher.prototype.byPrefixOf = function (word) {
    var self = this, chars = Array.from(word), min = Math.max(3, Math.ceil(chars.length / 2));
    var prefixes = [];
    for (var n = chars.length - 1; n >= min; n--) prefixes.push(chars.slice(0, n).join(''));
    return Promise.all(prefixes.map(function (p) { return self.shardFor(p); })).then(function (shards) {
      for (var i = 0; i < prefixes.length; i++) {
        var stem = exact(shards[i], prefixes[i]);
        if (stem !== null) return [{ stem: stem, weight: 0.9, how: 'inflection' }];
      }
      return [];
    });
  };

  // One typo: terms within edit distance 1 (2 for long words) of the word, in its
  // own shard and in the few shards a typo in its first letters points to.
  Searcher.prototype.nearby = function (word, shard) {
    var n = Array.from(word).length;
    if (n < 4) return [];
    var max = n >= 8 ? 2 : 1, stems = new Map();
    var consider = function (term, stem) {
      var d = editDistance(word, term, max);
      if (d <= max && (!stems.has(stem) || stems.get(stem) > d)) stems.set(stem, d);
    };
    var others = this.typoKeys(word).map(this.shard, this);
    return Promise.all([shard].concat(others)).then(function (list) {
      list.forEach(function (sh) {
        Object.keys(sh.w).forEach(function (w) { consider(w, sh.w[w]); });
        Object.keys(sh.t).forEach(function (t) { consider(t, t); });
      });
      var out = [];
      stems.forEach(function (d, stem) { out.push({ stem: stem, d: d, weight: d === 1 ? 0.7 : 0.5, how: 'typo' }); });
      return out.sort(function (a, b) { return a.d - b.d || (a.stem < b.stem ? -1 : 1); }).slice(0, 4);
    });
  };

  // Shards other than the word's own that hold words one typo away from it, when
  // the typo is within the letters that pick the shard. First the shards of the
  // words that one deleted letter or one swap of neighbours makes; then keys one
  // edit from the start of the word (an added or changed letter), longest (most
  // letters agreeing) first. The first letter is taken as typed, as most spelling
  // correctors do; at most MAX_TYPO_SHARDS shards.
  Searcher.prototype.typoKeys = function (word) {
    var self = this, chars = Array.from(word), own = this.keyFor(word), out = [];
    var add = function (k) { if (k !== null && k !== own && out.indexOf(k) < 0) out.push(k); };
    var reach = this.maxKeyLength() + 1;
    for (var i = 1; i < chars.length && i <= reach; i++) {
      var del = chars.slice(), swap = chars.slice();
      del.splice(i, 1);
      add(this.keyFor(del.join('')));
      if (i + 1 < chars.length) {
        swap[i] = chars[i + 1]; swap[i + 1] = chars[i];
        add(this.keyFor(swap.join('')));
      }
    }
    var near = this.keys.filter(function (k) {
      var kc = Array.from(k);
      if (kc.length < 2 || kc[0] !== chars[0] || startsWith(word, k)) return false;
      for (var m = kc.length - 1; m <= kc.length + 1; m++) {
        if (m <= chars.length && editDistance(k, chars.slice(0, m).join(''), 1) <= 1) return true;
      }
      return false;
    });
    near.sort(function (a, b) { return b.length - a.length || (a < b ? -1 : 1); });
    near.forEach(add);
    return out.slice(0, MAX_TYPO_SHARDS);
  };

  Searcher.prototype.maxKeyLength = function () {
    if (this.maxKey === undefined) this.maxKey = this.keys.reduce(function (m, k) { return Math.max(m, Array.from(k).length); }, 0);
    return this.maxKey;
  };

  // Decoded postings of a stem: {df, docs: Uint32Array, tf: Uint16Array, surfaces}.
  Searcher.prototype.entry = function (stem) {
    var self = this;
    if (this.postings.has(stem)) return Promise.resolve(this.postings.get(stem));
    return this.shardFor(stem).then(function (shard) {
      var e = shard.t[stem];
      if (!e) return null;
      var nums = decode(e[1]), docs = new Uint32Array(nums.length / 2), tf = new Uint16Array(nums.length / 2), d = 0;
      for (var i = 0; i < docs.length; i++) { d += nums[2 * i]; docs[i] = d; tf[i] = nums[2 * i + 1]; }
      var title = new Map();
      if (e[3]) {
        var t = decode(e[3]), td = 0;
        for (var j = 0; j + 1 < t.length; j += 2) { td += t[j]; title.set(td, t[j + 1]); }
      }
      var out = { df: e[0], docs: docs, tf: tf, surfaces: e[2], title: title };
      self.postings.set(stem, out);
      return out;
    });
  };

  // Smoothed idf, log(1 + N/df): close to BM25's for rare words, but a word that
  // nearly every article uses keeps a floor of ln 2 instead of dropping to zero, so
  // where it sits (a title against a passing mention in the steps) still counts.
  function idf(n, df) { return Math.log(1 + n / df); }

  // Ranks documents for a query. Resolves to {words, terms, hits: [{doc, score, matched}]}.
  // BM25F: the index stores each posting's field-weighted, length-normalised term
  // frequency; here it is saturated with k1 and weighed by idf. A word's score in a
  // document is its best candidate stem; documents that match more of the words
  // come first (coverage squared scales the sum).
  Searcher.prototype.rank = function (q) {
    var self = this, items = this.withSynonyms(parseQuery(q, this.stopwords));
    return Promise.all(items.map(function (it) { return self.resolve(it); })).then(function (cands) {
      var stems = [];
      var need = function (s) { if (s !== null && stems.indexOf(s) < 0) stems.push(s); };
      cands.forEach(function (c) { c.forEach(function (x) { need(x.stem); (x.typed || []).forEach(need); }); });
      return Promise.all(stems.map(function (s) { return self.entry(s); })).then(function (entries) {
        var byStem = new Map();
        stems.forEach(function (s, i) { if (entries[i]) byStem.set(s, entries[i]); });
        return self.score(items, cands, byStem);
      });
    });
  };

  // Scores every document that matches a word, in the spirit of ordered ranking
  // rules (words, then title and phrase, then BM25F): a document's `matched` is the
  // number of query words it has, and hits are sorted by it first. `score` is
  // BM25F (the index stores each posting's field-weighted, per-field saturated,
  // length-normalised term frequency; here it saturates with k1 and is weighed by
  // idf), plus TITLE_BONUS for each word in the title and PHRASE_BONUS for each
  // pair of words next to each other in the title in the query's order (one word
  // between them counts half). A word's score in a document is its best candidate.
  Searcher.prototype.score = function (items, cands, byStem) {
    var n = this.meta.docs, scale = this.scale;
    var total = new Map(), matched = new Map(), terms = [];
    var inTitle = items.map(function () { return new Map(); });
    cands.forEach(function (list, k) {
      var best = new Map();
      list.forEach(function (c) {
        var e = byStem.get(c.stem);
        if (!e) return;
        terms.push({ stem: c.stem, surfaces: c.words ? [].concat.apply(e.surfaces, c.words) : e.surfaces, how: c.how });
        var w = c.weight * idf(n, e.df), says = saysTyped(c, byStem);
        for (var i = 0; i < e.docs.length; i++) {
          var d = e.docs[i], s = w * e.tf[i] / (e.tf[i] + scale) * says(d);
          if (!(best.get(d) >= s)) best.set(d, s);
        }
        e.title.forEach(function (pos, d) {
          var t = inTitle[k].get(d), tw = w * says(d);
          if (!t || t.w < tw) inTitle[k].set(d, { pos: pos, w: tw });
        });
      });
      best.forEach(function (s, d) {
        total.set(d, (total.get(d) || 0) + s);
        matched.set(d, (matched.get(d) || 0) + 1);
      });
    });
    var hits = [];
    total.forEach(function (s, d) {
      hits.push({ doc: d, score: s + titleBonus(inTitle, d), matched: matched.get(d) });
    });
    hits.sort(function (a, b) { return b.matched - a.matched || b.score - a.score || a.doc - b.doc; });
    return { words: items, terms: terms, hits: hits };
  };

  // For a synonym candidate: 1 where the document has every word typed, else
  // SYNONYM_WEIGHT; 1 for other candidates.
  function saysTyped(c, byStem) {
    if (!c.typed) return function () { return 1; };
    var entries = c.typed.map(function (t) { return t === null ? null : byStem.get(t); });
    return function (d) {
      return entries.every(function (e) { return e && hasDoc(e.docs, d); }) ? 1 : SYNONYM_WEIGHT;
    };
  }

  function hasDoc(docs, d) {
    var lo = 0, hi = docs.length - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (docs[mid] === d) return true;
      if (docs[mid] < d) lo = mid + 1; else hi = mid - 1;
    }
    return false;
  }

  function titleBonus(inTitle, d) {
    var bonus = 0;
    for (var k = 0; k < inTitle.length; k++) {
      var here = inTitle[k].get(d);
      if (!here) continue;
      bonus += TITLE_BONUS * here.w;
      var next = k + 1 < inTitle.length ? inTitle[k + 1].get(d) : null;
      if (next && next.pos > here.pos && next.pos - here.pos <= 2) {
        bonus += PHRASE_BONUS * Math.min(here.w, next.w) / (next.pos - here.pos);
      }
    }
    return bonus;
  }

  // The record of a document: {id, url, title, summary, products, tags, text}.
  Searcher.prototype.record = function (doc) {
    var chunk = this.meta.chunk;
    return this.file(this.chunks, 'd/' + Math.floor(doc / chunk) + '.json').then(function (list) { return list[doc % chunk]; });
  };

  // Per-document facet values, loaded once: {products: [[i...]...], tags: [...]}.
  Searcher.prototype.loadFacets = function () {
    var self = this;
    if (!this.facets) {
      this.facets = Promise.resolve(this.loader('facets.json')).then(JSON.parse).then(function (f) {
        var n = self.meta.docs, out = { products: [], tags: [] };
        ['products', 'tags'].forEach(function (kind) {
          var perDoc = [];
          for (var i = 0; i < n; i++) perDoc.push([]);
          f[kind].forEach(function (list, value) {
            var d = 0;
            decode(list).forEach(function (gap) { d += gap; if (perDoc[d]) perDoc[d].push(value); });
          });
          out[kind] = perDoc;
        });
        return out;
      });
      this.facets.catch(function () { self.facets = null; });
    }
    return this.facets;
  };

  // Applies product/tag filters (any selected product AND any selected tag) and
  // counts each value over the hits that pass the other kind's filter.
  Searcher.prototype.filter = function (hits, selected) {
    var self = this;
    return this.loadFacets().then(function (f) {
      var sel = { products: new Set(selected.products || []), tags: new Set(selected.tags || []) };
      var pass = function (kind, doc) {
        if (!sel[kind].size) return true;
        return f[kind][doc].some(function (v) { return sel[kind].has(self.meta[kind][v].slug); });
      };
      var counts = { products: new Map(), tags: new Map() };
      var kept = hits.filter(function (h) {
        var p = pass('products', h.doc), t = pass('tags', h.doc);
        if (t) f.products[h.doc].forEach(function (v) { counts.products.set(v, (counts.products.get(v) || 0) + 1); });
        if (p) f.tags[h.doc].forEach(function (v) { counts.tags.set(v, (counts.tags.get(v) || 0) + 1); });
        return p && t;
      });
      var list = function (kind) {
        var out = [];
        counts[kind].forEach(function (c, v) {
          var m = self.meta[kind][v];
          out.push({ name: m.name, slug: m.slug, count: c, selected: sel[kind].has(m.slug) });
        });
        return out.sort(function (a, b) { return b.count - a.count || (a.name < b.name ? -1 : 1); });
      };
      return { hits: kept, products: list('products'), tags: list('tags') };
    });
  };

  // The forms to highlight: every surface form of a matched stem, and the words
  // typed; a word still being typed also highlights words starting with it.
  function highlighter(ranked) {
    var forms = new Set(), prefixes = [];
    ranked.terms.forEach(function (t) { t.surfaces.forEach(function (s) { forms.add(s); }); });
    ranked.words.forEach(function (w) { forms.add(w.word); if (w.prefix) prefixes.push(w.word); });
    return function (word) {
      if (forms.has(word)) return true;
      for (var i = 0; i < prefixes.length; i++) if (startsWith(word, prefixes[i])) return true;
      return false;
    };
  }

  // The best window of `text` for the query: [{text, hit}], about `size` words long,
  // the one with the most distinct query words (earliest on ties).
  function excerpt(text, ranked, size) {
    size = size || 28;
    var isHit = highlighter(ranked);
    var folded = fold(text);
    var spans = wordSpans(folded);
    if (folded.length !== text.length) return [{ text: text.slice(0, 240), hit: false }];
    var hitAt = spans.map(function (s) { return isHit(s.w); });
    var best = 0, bestScore = -1;
    for (var i = 0; i < spans.length; i++) {
      if (!hitAt[i] && i !== 0) continue;
      var seen = new Set(), count = 0;
      for (var j = i; j < Math.min(spans.length, i + size); j++) if (hitAt[j]) { seen.add(spans[j].w); count++; }
      var score = seen.size * 100 + count;
      if (score > bestScore) { bestScore = score; best = i; }
    }
    var from = Math.max(0, best - 4), to = Math.min(spans.length, from + size);
    if (!spans.length) return [{ text: text.slice(0, 240), hit: false }];
    var start = spans[from].start, end = spans[to - 1].end, parts = [], pos = start;
    if (from > 0) parts.push({ text: '\u2026', hit: false });
    for (var k = from; k < to; k++) {
      if (!hitAt[k]) continue;
      if (spans[k].start > pos) parts.push({ text: text.slice(pos, spans[k].start), hit: false });
      parts.push({ text: text.slice(spans[k].start, spans[k].end), hit: true });
      pos = spans[k].end;
    }
    if (end > pos) parts.push({ text: text.slice(pos, end), hit: false });
    if (to < spans.length) parts.push({ text: '\u2026', hit: false });
    return parts;
  }


  // ---- one search: signature matches for pasted errors, then full-text hits ----

  // Ranks `q`, filters, and loads the records of the first `limit` hits.
  // opts: {matcher: KbMatch-like, selected: {products, tags}, limit, facets: bool}.
  // Resolves to {q, matches, hits, total, records, facets, ranked, ms}.
  function search(s, q, opts) {
    opts = opts || {};
    var limit = opts.limit || 10;
    var matchesP = errorMatches(opts.matcher, q);
    var t0 = now();
    return s.rank(q).then(function (ranked) {
      var ms = now() - t0;
      var needFacets = opts.facets || hasSelection(opts.selected);
      var filtered = needFacets ? s.filter(ranked.hits, opts.selected || {}) : Promise.resolve({ hits: ranked.hits, products: [], tags: [] });
      return Promise.all([filtered, matchesP]).then(function (r) {
        var f = r[0], matches = r[1];
        var shown = new Set(matches.map(function (m) { return m.id; }));
        return loadRecords(s, f.hits, 0, limit, shown).then(function (records) {
          return { q: q, matches: matches, hits: f.hits, total: f.hits.length, records: records, facets: f, ranked: ranked, ms: ms, shown: shown };
        });
      });
    });
  }

  function hasSelection(sel) { return !!sel && ((sel.products || []).length + (sel.tags || []).length) > 0; }

  function now() { return typeof performance !== 'undefined' ? performance.now() : Date.now(); }

  // Records for hits[from..from+count], skipping documents already shown as matches.
  function loadRecords(s, hits, from, count, skip) {
    var slice = hits.slice(from, from + count);
    return Promise.all(slice.map(function (h) { return s.record(h.doc); })).then(function (recs) {
      return recs.filter(function (r) { return r && !skip.has(r.id); });
    });
  }

  // The matcher's ranking for text that looks like a pasted error, else [].
  function errorMatches(matcher, q) {
    if (!matcher || typeof matcher.rank !== 'function' || !looksLikeError(q)) return Promise.resolve([]);
    var ready = typeof matcher.ready === 'function' ? matcher.ready() : null;
    return Promise.resolve(ready).then(function () { return matcher.rank(q, 5) || []; })
      .then(function (list) { return Array.isArray(list) ? list.filter(function (m) { return m && m.url && m.title; }) : []; })
      .catch(function () { return []; });
  }

  // ---- browser: the header boxes (dropdown) and the search page ----

  var shared = null;

  function siteRoot() {
    var r = document.documentElement.getAttribute('data-root');
    return r === null ? '' : r;
  }

  function searcher() {
    if (!shared) {
      var base = siteRoot() + 'search/';
      shared = open(function (path) {
        return fetch(base + path).then(function (res) {
          if (!res.ok) throw new Error('HTTP ' + res.status + ' for ' + path);
          return res.text();
        });
      });
      shared.catch(function () { shared = null; });
    }
    return shared;
  }

  function globalMatcher() { return typeof KbMatch !== 'undefined' ? KbMatch : null; }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function excerptNode(parts) {
    var p = el('p', 'search-excerpt');
    parts.forEach(function (part) {
      p.appendChild(part.hit ? el('mark', null, part.text) : document.createTextNode(part.text));
    });
    return p;
  }

  // One result: a link to the article, its excerpt, and (on the page) its products.
  // `meta` (the page) adds products and a longer excerpt; the dropdown uses divs.
  function resultItem(rec, ranked, idPrefix, n, meta) {
    var li = el(meta ? 'li' : 'div', 'search-result');
    li.setAttribute('role', 'none');
    var a = el('a', 'search-title', rec.title);
    a.href = siteRoot() + rec.url;
    a.id = idPrefix + n;
    a.setAttribute('role', 'option');
    li.appendChild(a);
    li.appendChild(excerptNode(excerpt(rec.text || rec.summary || '', ranked, meta ? 30 : 16)));
    if (meta && rec.products && rec.products.length) {
      var names = rec.products.map(function (i) { return meta.products[i] ? meta.products[i].name : ''; });
      li.appendChild(el('p', 'search-products', names.join(' \u00b7 ')));
    }
    return li;
  }

  function matchItem(m, idPrefix, n, tag) {
    var li = el(tag, 'search-result search-signature');
    li.setAttribute('role', 'none');
    var a = el('a', 'search-title', m.title);
    a.href = siteRoot() + m.url;
    a.id = idPrefix + n;
    a.setAttribute('role', 'option');
    li.appendChild(a);
    li.appendChild(el('p', 'search-badge', 'Matches your error'));
    return li;
  }

  function fillList(list, out, idPrefix, meta) {
    var n = 0;
    out.matches.forEach(function (m) { list.appendChild(matchItem(m, idPrefix, n++, meta ? 'li' : 'div')); });
    out.records.forEach(function (r) { list.appendChild(resultItem(r, out.ranked, idPrefix, n++, meta)); });
    return n;
  }

  // Arrow keys move through the options of `list`, Enter opens the active one.
  function keyboard(input, list, onEscape) {
    input.addEventListener('keydown', function (e) {
      var opts = list.querySelectorAll('[role="option"]');
      var cur = -1;
      for (var i = 0; i < opts.length; i++) if (opts[i].classList.contains('is-active')) cur = i;
      var move = function (to) {
        if (cur >= 0) { opts[cur].classList.remove('is-active'); opts[cur].removeAttribute('aria-selected'); }
        if (to < 0 || !opts.length) { input.removeAttribute('aria-activedescendant'); return; }
        opts[to].classList.add('is-active');
        opts[to].setAttribute('aria-selected', 'true');
        input.setAttribute('aria-activedescendant', opts[to].id);
        if (opts[to].scrollIntoView) opts[to].scrollIntoView({ block: 'nearest' });
      };
      if (e.key === 'ArrowDown' && opts.length) { e.preventDefault(); move(cur + 1 < opts.length ? cur + 1 : 0); }
      else if (e.key === 'ArrowUp' && opts.length) { e.preventDefault(); move(cur > 0 ? cur - 1 : opts.length - 1); }
      else if (e.key === 'Enter' && cur >= 0) { e.preventDefault(); window.location.href = opts[cur].href; }
      else if (e.key === 'Escape') { move(-1); onEscape(e); }
    });
  }

  function debounce(fn, ms) {
    var t = null;
    return function () { clearTimeout(t); t = setTimeout(fn, ms); };
  }

  var boxes = 0;

  // A header box: results drop down under the input as the reader types.
  function bindBox(form) {
    var input = form.querySelector('input[name="q"]');
    if (!input) return;
    var id = 'kb-search-list-' + (boxes++);
    var panel = el('div', 'search-dropdown');
    panel.hidden = true;
    panel.id = id;
    panel.setAttribute('role', 'listbox');
    panel.setAttribute('aria-label', 'Search results');
    var list = el('div', 'search-dropdown-list');
    list.setAttribute('role', 'presentation');
    panel.appendChild(list);
    var more = el('a', 'search-all');
    more.setAttribute('role', 'option');
    more.id = id + '-all';
    panel.appendChild(more);
    form.appendChild(panel);
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-controls', id);
    input.setAttribute('aria-expanded', 'false');
    var seq = 0;
    var close = function () { panel.hidden = true; input.setAttribute('aria-expanded', 'false'); input.removeAttribute('aria-activedescendant'); };
    var update = function () {
      var q = input.value, mine = ++seq;
      if (!q.trim()) { close(); return; }
      searcher().then(function (s) { return search(s, q, { matcher: globalMatcher(), limit: 8 }); }).then(function (out) {
        if (mine !== seq) return;
        list.textContent = '';
        var n = fillList(list, out, id + '-', null);
        if (!n) list.appendChild(el('p', 'search-none', 'No articles match \u201c' + q.trim() + '\u201d'));
        input.removeAttribute('aria-activedescendant');
        more.textContent = out.total > out.records.length ? 'All ' + out.total + ' results \u2192' : 'Open the search page \u2192';
        more.href = siteRoot() + 'search/?q=' + encodeURIComponent(q);
        panel.hidden = false;
        input.setAttribute('aria-expanded', 'true');
      }).catch(function () {
        if (mine !== seq) return;
        list.textContent = '';
        list.appendChild(el('p', 'search-none', 'The search index could not be loaded.'));
        panel.hidden = false;
      });
    };
    input.addEventListener('input', debounce(update, 60));
    input.addEventListener('focus', function () { searcher(); if (input.value.trim() && list.firstChild) { panel.hidden = false; input.setAttribute('aria-expanded', 'true'); } });
    keyboard(input, panel, function (e) { if (!panel.hidden) { e.preventDefault(); close(); } });
    document.addEventListener('click', function (e) { if (!form.contains(e.target)) close(); });
  }

  // ---- the search page: ?q= (and product=, tag=) drive the results ----

  function readUrl() {
    var p = new URLSearchParams(window.location.search);
    return { q: p.get('q') || '', selected: { products: p.getAll('product'), tags: p.getAll('tag') } };
  }

  function urlFor(state) {
    var p = new URLSearchParams();
    if (state.q) p.set('q', state.q);
    state.selected.products.forEach(function (v) { p.append('product', v); });
    state.selected.tags.forEach(function (v) { p.append('tag', v); });
    var qs = p.toString();
    return window.location.pathname + (qs ? '?' + qs : '');
  }

  function bindPage(results) {
    var status = document.querySelector('[data-kb-search-status]');
    var facetsBox = document.querySelector('[data-kb-search-facets]');
    var inputs = Array.prototype.slice.call(document.querySelectorAll('form[data-kb-search] input[name="q"], form[data-kb-search-page] input[name="q"]'));
    var state = readUrl(), seq = 0, shownUpTo = 0, last = null;
    results.setAttribute('role', 'listbox');
    results.id = results.id || 'kb-search-results';
    if (!results.hasAttribute('aria-label')) results.setAttribute('aria-label', 'Search results');
    var setStatus = function (text) { if (status) status.textContent = text; };
    var renderFacets = function (out, meta) {
      if (!facetsBox) return;
      facetsBox.textContent = '';
      [['products', 'product', 'Products'], ['tags', 'tag', 'Tags']].forEach(function (k) {
        var values = out.facets[k[0]];
        if (!values.length) return;
        var fs = el('fieldset', 'search-facet');
        fs.appendChild(el('legend', null, k[2]));
        values.forEach(function (v) {
          var label = el('label', 'search-facet-value');
          var box = el('input');
          box.type = 'checkbox';
          box.name = k[1];
          box.value = v.slug;
          box.checked = v.selected;
          box.addEventListener('change', function () {
            var list = state.selected[k[0]].filter(function (s) { return s !== v.slug; });
            if (box.checked) list.push(v.slug);
            state.selected[k[0]] = list;
            history.pushState(null, '', urlFor(state));
            run();
          });
          label.appendChild(box);
          label.appendChild(document.createTextNode(' ' + v.name + ' '));
          label.appendChild(el('span', 'search-count', '(' + v.count + ')'));
          fs.appendChild(label);
        });
        facetsBox.appendChild(fs);
      });
    };
    var renderMore = function (s, out) {
      var old = results.parentNode.querySelector('.search-more');
      if (old) old.remove();
      if (shownUpTo >= out.hits.length) return;
      var btn = el('button', 'search-more', 'Show more results');
      btn.type = 'button';
      btn.addEventListener('click', function () {
        loadRecords(s, out.hits, shownUpTo, 20, out.shown).then(function (recs) {
          var n = results.querySelectorAll('[role="option"]').length;
          recs.forEach(function (r) { results.appendChild(resultItem(r, out.ranked, 'kb-result-', n++, s.meta)); });
          shownUpTo += 20;
          renderMore(s, out);
        });
      });
      results.parentNode.insertBefore(btn, results.nextSibling);
    };
    var run = function () {
      var mine = ++seq, q = state.q;
      inputs.forEach(function (i) { if (i.value !== q) i.value = q; });
      if (!q.trim()) { results.textContent = ''; if (facetsBox) facetsBox.textContent = ''; setStatus('Type words from the article or paste an error.'); return; }
      setStatus('Searching\u2026');
      searcher().then(function (s) {
        return search(s, q, { matcher: globalMatcher(), limit: 20, selected: state.selected, facets: true }).then(function (out) {
          if (mine !== seq) return;
          last = out;
          results.textContent = '';
          shownUpTo = 20;
          fillList(results, out, 'kb-result-', s.meta);
          var total = out.total;
          setStatus(total ? total + (total === 1 ? ' result' : ' results') + ' for \u201c' + q.trim() + '\u201d' : (out.matches.length ? 'Articles matching your error' : 'No results for \u201c' + q.trim() + '\u201d. Try fewer or other words, or browse by product or tag.'));
          if (status) status.setAttribute('data-ms', out.ms.toFixed(1));
          renderFacets(out, s.meta);
          renderMore(s, out);
        });
      }).catch(function () { if (mine === seq) setStatus('The search index could not be loaded.'); });
    };
    inputs.forEach(function (input) {
      var form = input.form;
      var typed = debounce(function () { state.q = input.value; history.replaceState(null, '', urlFor(state)); run(); }, 80);
      input.addEventListener('input', typed);
      keyboard(input, results, function () {});
      input.setAttribute('aria-controls', results.id);
      if (form) form.addEventListener('submit', function (e) {
        e.preventDefault();
        state.q = input.value;
        history.pushState(null, '', urlFor(state));
        run();
      });
    });
    window.addEventListener('popstate', function () { state = readUrl(); run(); });
    run();
    return function () { return last; };
  }

  function autoBind() {
    if (typeof document === 'undefined') return;
    var go = function () {
      var page = document.querySelector('[data-kb-search-results]');
      if (page) { bindPage(page); return; }
      Array.prototype.forEach.call(document.querySelectorAll('form[data-kb-search]'), bindBox);
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', go); else go();
  }

  var api = {
    VERSION: VERSION,
    open: open,
    fold: fold,
    words: words,
    parseQuery: parseQuery,
    looksLikeError: looksLikeError,
    decode: decode,
    excerpt: excerpt,
    search: search,
    editDistance: editDistance,
    autoBind: autoBind
  };
  return api;
});
