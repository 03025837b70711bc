/*
 * The site's Chinese search: the one place its query logic lives.
 *
 * The index (generator/search.py) lists, for every character pair and every single
 * character, the stories holding it and the best field it is in. A query is read as a
 * person means it (words.json, from generator/wording.py): question words and particles
 * (吗 怎么 是什么 …) are cut out, digit and Latin runs are split from Han runs, traditional
 * characters fold to simplified, and each word brings its synonyms. Then:
 *
 * - Stories holding every word exactly come first: each is confirmed in its story's own
 *   file before it is shown, and ranks by where the words are (title, then tags and
 *   names, then summary and claim, then body), newer first.
 * - Below them, under 「没有完全相同的说法，以下文章可能相关」, the best partial matches:
 *   the query's pairs are scored BM25-style (a rarer pair weighs more: IDF from the
 *   length of its postings; a pair in the title or the facts more than in the body),
 *   times the share of the query they cover, then, once a story's file is read, raised
 *   by the longest piece of the query it holds verbatim (phrase proximity).
 *
 * Nothing is downloaded until the reader focuses the search box. In node (the tests and
 * the benchmark) this file exports its functions instead of attaching to a page. ES5
 * with Promise, for the older WebViews inside WeChat; without Promise the form goes to
 * the search page, which says search needs a newer browser and offers the browsing pages.
 */
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else if (typeof document !== "undefined") {
    root.FedSearch = api;
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () { api.attach(document); });
    } else {
      api.attach(document);
    }
  }
})(this, function () {
  "use strict";

  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  var VALUE = {};
  for (var d = 0; d < DIGITS.length; d++) VALUE[DIGITS.charCodeAt(d)] = d;
  var FIELDS = 4; // title, head (tags, district, names), lead (summary, claim), body
  var FIELD_WEIGHT = [3, 2.2, 2, 1]; // title, then the facts, then summary and claim, above the body
  var MAX_TERMS = 8;
  var MAX_PAIRS = 16; // literal pairs looked up per word; a longer question keeps an even spread
  var MAX_GRAMS = 28; // all grams of a query, synonyms' last: each may be a shard to download
  var VOCABULARY = 2; // the weight of a word the synonyms table knows, against one pair of the query
  var PROXIMITY = 0.5; // how much holding the query's words verbatim raises a partial match
  var MIN_COVER = 0.4; // a partial match holds a whole word, or at least this share of the query's pairs
  var PAGE = 10;
  var SNIPPET = 64;
  var WORD;
  try {
    WORD = new RegExp("[\\p{L}\\p{N}]+", "gu");
  } catch (e) {
    // Browsers before Unicode property escapes: Latin, digits and Han.
    WORD = /[0-9A-Za-z\u00C0-\u024F\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]+/g;
  }
  var LATIN = /[0-9a-z]+|[^0-9a-z]+/g;

  /* ------------------------------------------------------------- reading a query */

  /** A text's characters, a surrogate pair as one (an index gram is a code point). */
  function chars(text) {
    var out = [];
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      if (c >= 0xD800 && c <= 0xDBFF && i + 1 < text.length) {
        out.push(text.charAt(i) + text.charAt(i + 1));
        i++;
      } else {
        out.push(text.charAt(i));
      }
    }
    return out;
  }

  function codeOf(ch) {
    if (ch.length === 2) return (ch.charCodeAt(0) - 0xD800) * 0x400 + ch.charCodeAt(1) - 0xDC00 + 0x10000;
    return ch.charCodeAt(0);
  }

  /**
   * Fold as the index does: full-width to ASCII, letters to lower case and, with words.json's
   * `map`, traditional characters to simplified. The length never changes, so a place in the
   * folded text is the same place in the original.
   */
  function fold(text, map) {
    var out = String(text)
      .replace(/[\uFF01-\uFF5E]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xFEE0); })
      .replace(/[A-Z]+/g, function (c) { return c.toLowerCase(); });
    if (!map || !map.pattern) return out;
    return out.replace(map.pattern, function (c) { return map[c]; });
  }

  /** words.json made ready for reading queries: the fold map, frames, particles, synonyms. */
  function Wording(tables) {
    tables = tables || {};
    var map = {};
    var from = (tables.fold && tables.fold[0]) || "";
    var to = (tables.fold && tables.fold[1]) || "";
    for (var i = 0; i < from.length; i++) map[from.charAt(i)] = to.charAt(i);
    // One character class of every traditional character: the text is scanned once, natively.
    if (from) map.pattern = new RegExp("[" + from.replace(/[\\\]\[^-]/g, "\\$&") + "]", "g");
    this.map = map;
    this.frames = tables.frames || [];
    this.particles = tables.particles || "";
    this.groups = tables.synonyms || [];
    this.group = {};
    this.longest = 0;
    for (var g = 0; g < this.groups.length; g++) {
      for (var w = 0; w < this.groups[g].length; w++) {
        var word = this.groups[g][w];
        this.group[word] = g;
        this.longest = Math.max(this.longest, word.length);
      }
    }
  }

  /** A Han run cut where a question frame or a particle stands. */
  Wording.prototype.cut = function (run) {
    var pieces = [];
    var piece = "";
    for (var i = 0; i < run.length;) {
      var frame = "";
      for (var f = 0; f < this.frames.length && !frame; f++) {
        if (run.substr(i, this.frames[f].length) === this.frames[f]) frame = this.frames[f];
      }
      if (frame || this.particles.indexOf(run.charAt(i)) >= 0) {
        if (piece) pieces.push(piece);
        piece = "";
        i += frame ? frame.length : 1;
      } else {
        piece += run.charAt(i);
        i++;
      }
    }
    if (piece) pieces.push(piece);
    return pieces;
  };

  /**
   * The words of a query: runs of letters and digits, folded, digit and Latin runs apart
   * from Han runs, question words cut out, each once. A lone character left from cutting
   * a question is dropped when a longer word remains (「喝了白酒」 is 白酒).
   */
  function terms(query, wording) {
    wording = wording || new Wording();
    var runs = fold(query, wording.map).match(WORD) || [];
    var found = [];
    for (var r = 0; r < runs.length; r++) {
      var parts = runs[r].match(LATIN) || [];
      for (var p = 0; p < parts.length; p++) {
        var pieces = /^[0-9a-z]/.test(parts[p]) ? [parts[p]] : wording.cut(parts[p]);
        for (var k = 0; k < pieces.length; k++) {
          if (found.indexOf(pieces[k]) < 0) found.push(pieces[k]);
        }
      }
    }
    var longer = found.some(function (word) { return chars(word).length > 1; });
    return found.filter(function (word) { return !longer || chars(word).length > 1; }).slice(0, MAX_TERMS);
  }

  function pairsOf(list) {
    var all = [];
    for (var i = 0; i + 1 < list.length; i++) all.push(list[i] + list[i + 1]);
    return all;
  }

  /** An even spread of at most `most` of a list, first and last kept. */
  function spread(list, most) {
    if (list.length <= most) return list.slice();
    var chosen = [];
    for (var k = 0; k < most; k++) {
      var pick = list[Math.round((k * (list.length - 1)) / (most - 1))];
      if (chosen.indexOf(pick) < 0) chosen.push(pick);
    }
    return chosen;
  }

  /**
   * What to look up for each word, as concepts: a synonym group it holds is one concept
   * (any of its words will do), every other pair is one. A concept's `alts` are the gram
   * lists that express it, the word's own first; `weight` the pairs of the word it stands for.
   */
  function plan(words, wording) {
    var grams = [];
    function want(gram) { if (grams.indexOf(gram) < 0) grams.push(gram); }
    var plans = words.map(function (word) {
      var cs = chars(word);
      if (cs.length === 1) {
        want(word);
        return { word: word, own: [word], concepts: [{ alts: [[word]], weight: 1 }], variants: [] };
      }
      var own = spread(pairsOf(cs), MAX_PAIRS);
      own.forEach(want);
      var concepts = [];
      var variants = [];
      var covered = {};
      for (var i = 0; i < cs.length;) {
        var found = -1;
        var size = 0;
        for (var n = Math.min(wording.longest, cs.length - i); n >= 2 && found < 0; n--) {
          var piece = cs.slice(i, i + n).join("");
          if (Object.prototype.hasOwnProperty.call(wording.group, piece)) {
            found = wording.group[piece];
            size = n;
          }
        }
        if (found < 0) {
          i++;
          continue;
        }
        var mine = pairsOf(cs.slice(i, i + size)).filter(function (g) { return own.indexOf(g) >= 0; });
        var alts = [mine];
        var said = cs.slice(i, i + size).join("");
        var group = wording.groups[found];
        // A variant holding the word said, or another variant, finds no story more (every story
        // with 新冠肺炎 holds 新冠): only the others are looked up, each a few shards fewer.
        group.forEach(function (other) {
          var wider = other === said || other.indexOf(said) >= 0 || group.some(function (inner) {
            return inner !== other && inner !== said && other.indexOf(inner) >= 0;
          });
          if (wider) return;
          variants.push(other);
          alts.push(pairsOf(chars(other)));
        });
        mine.forEach(function (g) { covered[g] = true; });
        // A word of the synonyms table is a word of the epidemic's vocabulary: it weighs more than
        // the pairs around it, which may straddle two words (能预 of 能预防).
        if (mine.length) concepts.push({ alts: alts, weight: mine.length * VOCABULARY });
        i += size;
      }
      own.forEach(function (g) {
        if (!covered[g]) concepts.push({ alts: [[g]], weight: 1 });
      });
      return { word: word, own: own, concepts: concepts, variants: variants };
    });
    // Synonyms' grams last, as far as the budget allows; an alternative missing one is dropped.
    plans.forEach(function (p) {
      p.concepts.forEach(function (c) {
        c.alts = c.alts.filter(function (alt, n) {
          if (n === 0) return true;
          if (grams.length + alt.filter(function (g) { return grams.indexOf(g) < 0; }).length > MAX_GRAMS) return false;
          alt.forEach(want);
          return true;
        });
      });
    });
    return { words: plans, grams: grams };
  }

  /* ------------------------------------------------------------- the index files */

  /** 32-bit multiplication; Math.imul where the browser has it (not ES5). */
  var imul = Math.imul || function (a, b) {
    var low = (a & 0xFFFF) * b;
    return (low + ((((a >>> 16) * b) & 0xFFFF) << 16)) | 0;
  };

  /** The shard of a gram: the same hash as generator/search.py's bucket_of. */
  function bucket(first, second, count) {
    var h = imul(first, 0x9E3779B1) ^ second;
    h ^= h >>> 16;
    h = imul(h, 0x85EBCA6B);
    h ^= h >>> 13;
    h = imul(h, 0xC2B2AE35);
    h ^= h >>> 16;
    return (h >>> 0) & (count - 1);
  }

  /** The numbers written in DIGITS between two offsets of a shard's line. */
  function numbers(text, from, to) {
    var out = [];
    var value = 0;
    var scale = 1;
    for (var i = from; i < to; i++) {
      var digit = VALUE[text.charCodeAt(i)];
      value += (digit & 31) * scale;
      if (digit & 32) {
        scale *= 32;
      } else {
        out.push(value);
        value = 0;
        scale = 1;
      }
    }
    return out;
  }

  function parseShard(text) {
    var first = text.indexOf("\n");
    var second = text.indexOf("\n", first + 1);
    var grams = first > 0 ? text.slice(0, first).split(" ") : [];
    var lengths = numbers(text, first + 1, second);
    var runs = {};
    var at = second + 1;
    for (var i = 0; i < grams.length; i++) {
      runs[grams[i]] = [at, at + lengths[i]];
      at += lengths[i];
    }
    return { text: text, runs: runs };
  }

  /** Zone texts of a story's file, joined as search.py joins them for the index. */
  function fieldsOf(doc) {
    return [doc.t, doc.h.map(function (pair) { return pair[1]; }).join("\n"), doc.l, doc.x];
  }

  /**
   * The search engine over one built index. `load(path)` gives the text of a file under
   * assets/search/ (a Promise); `manifest.json` must be asked for fresh: it names every
   * other file, each named by its content (search.py), so those never change.
   */
  function Engine(load) {
    this.load = load;
    this.manifest = null;
    this.wording = null;
    this.ids = "";
    this.files = {};
  }

  var NAME_LENGTH = 6; // characters of a file's name from its content (search.py)

  /** The manifest, once words.json (how to read a query) and the stories' file names are here too. */
  Engine.prototype.ready = function () {
    var engine = this;
    if (!engine.manifest) {
      engine.manifest = engine.load("manifest.json").then(JSON.parse).then(function (manifest) {
        return Promise.all([engine.load(manifest.words), engine.load(manifest.ids)]).then(function (texts) {
          engine.wording = new Wording(JSON.parse(texts[0]));
          engine.ids = texts[1];
          return manifest;
        });
      });
      engine.manifest.then(null, function () { engine.manifest = null; });
    }
    return engine.manifest;
  };

  /** `folder/n.<name>.suffix`: the file of number `n`, its name read from `names`. */
  function named(folder, n, names, suffix) {
    return folder + n + "." + names.substr(n * NAME_LENGTH, NAME_LENGTH) + suffix;
  }

  Engine.prototype.file = function (path) {
    var engine = this;
    if (!engine.files[path]) {
      engine.files[path] = engine.load(path);
      engine.files[path].then(null, function () { delete engine.files[path]; });
    }
    return engine.files[path];
  };

  /** Stories holding a gram: their ids (ascending) and the best field of each. */
  Engine.prototype.postings = function (gram) {
    var engine = this;
    var cs = chars(gram);
    return engine.ready().then(function (manifest) {
      var single = cs.length === 1;
      var count = single ? manifest.singles : manifest.pairs;
      var n = bucket(codeOf(cs[0]), single ? 0 : codeOf(cs[1]), count);
      var path = single ? named("u/", n, manifest.u, ".txt") : named("b/", n, manifest.b, ".txt");
      if (!engine.files["#" + path]) {
        engine.files["#" + path] = engine.file(path).then(parseShard);
      }
      return engine.files["#" + path];
    }).then(function (shard) {
      var found = { ids: [], fields: [] };
      var run = shard.runs[gram];
      if (!run) return found;
      var doc = -1;
      numbers(shard.text, run[0], run[1]).forEach(function (value) {
        doc += Math.floor(value / 4);
        found.ids.push(doc);
        found.fields.push(value % 4);
      });
      return found;
    });
  };

  /** One story's file: title, address, section, date, badge, head facts, lead and body. */
  Engine.prototype.doc = function (id) {
    var engine = this;
    return engine.ready().then(function () {
      return engine.file(named("d/", id, engine.ids, ".json"));
    }).then(JSON.parse);
  };

  /** Search; the answer gives its hits page by page (`more`). */
  Engine.prototype.search = function (query) {
    var engine = this;
    return engine.ready().then(function (manifest) {
      var words = terms(query, engine.wording);
      var wanted = plan(words, engine.wording);
      return Promise.all(wanted.grams.map(engine.postings, engine)).then(function (lists) {
        var postings = {};
        wanted.grams.forEach(function (gram, n) { postings[gram] = lists[n]; });
        return new Result(engine, wanted, postings, manifest.docs || 1);
      });
    });
  };

  /* ------------------------------------------------------------- ranking */

  /** BM25's IDF: a pair few stories hold says more about the ones that do. */
  function idf(held, total) {
    return Math.log(1 + (total - held + 0.5) / (held + 0.5));
  }

  function Result(engine, wanted, postings, total) {
    var words = wanted.words;
    // Per story id, in typed arrays (a phone's CPU is slow, and a common pair has thousands).
    var size = total;
    wanted.grams.forEach(function (gram) {
      var ids = postings[gram].ids;
      if (ids.length) size = Math.max(size, ids[ids.length - 1] + 1);
    });
    var seen = new Uint8Array(size);
    var touched = [];
    var sum = new Float64Array(size);
    var cover = new Float64Array(size);
    var share = new Float64Array(size);
    var whole = new Uint8Array(size);
    var count = new Uint8Array(size);
    var fields = words.map(function () { return new Uint8Array(size); });
    var altSum = new Float64Array(size);
    var altHeld = new Uint8Array(size);
    var best = new Float64Array(size);
    var bestShare = new Float64Array(size);
    var allWeight = 0;
    var allCount = 0;
    words.forEach(function (word, w) {
      // The word's own pairs: which stories hold all of them (an exact hit to confirm), and the
      // worst of their best fields (the field the story promises).
      var held = new Uint8Array(size);
      var field = fields[w];
      word.rare = 0;
      word.own.forEach(function (gram) {
        var list = postings[gram];
        word.rare += idf(list.ids.length, total) / word.own.length;
        for (var i = 0; i < list.ids.length; i++) {
          var id = list.ids[i];
          field[id] = held[id] ? Math.max(field[id], list.fields[i]) : list.fields[i];
          held[id]++;
        }
      });
      var wordCover = new Float64Array(size);
      var wordWeight = 0;
      word.concepts.forEach(function (concept) {
        concept.most = 0;
        concept.held = false;
        var reached = [];
        concept.alts.forEach(function (alt) {
          var weight = 0;
          var list0 = [];
          alt.forEach(function (gram) {
            var list = postings[gram];
            var rare = idf(list.ids.length, total);
            weight += rare;
            if (list.ids.length) concept.held = true;
            for (var i = 0; i < list.ids.length; i++) {
              var id = list.ids[i];
              if (!altHeld[id]) list0.push(id);
              altSum[id] += rare * FIELD_WEIGHT[list.fields[i]];
              altHeld[id]++;
            }
          });
          concept.most = Math.max(concept.most, (weight / alt.length) * concept.weight);
          for (var j = 0; j < list0.length; j++) {
            var id = list0[j];
            var score = (altSum[id] / alt.length) * concept.weight;
            if (!bestShare[id]) reached.push(id);
            if (score > best[id] || !bestShare[id]) {
              best[id] = score;
              bestShare[id] = altHeld[id] / alt.length;
            }
            altSum[id] = 0;
            altHeld[id] = 0;
          }
        });
        wordWeight += concept.weight * concept.most;
        // The score's coverage counts only pairs the site holds somewhere: one it never holds
        // (a typo, or two words run together) says nothing about which story is better.
        if (concept.held) allWeight += concept.weight * concept.most;
        allCount += concept.weight;
        for (var r = 0; r < reached.length; r++) {
          var id = reached[r];
          if (!seen[id]) {
            seen[id] = 1;
            touched.push(id);
          }
          sum[id] += best[id];
          share[id] += bestShare[id] * concept.weight;
          wordCover[id] += bestShare[id] * concept.weight * concept.most;
          best[id] = 0;
          bestShare[id] = 0;
        }
      });
      for (var k = 0; k < touched.length; k++) {
        var id = touched[k];
        cover[id] += wordCover[id];
        if (wordWeight && wordCover[id] >= wordWeight - 1e-9) whole[id] = 1;
        if (held[id] === word.own.length) count[id]++;
      }
    });
    var exact = [];
    var partial = [];
    touched.forEach(function (id) {
      var c = { id: id, fields: words.map(function (w, n) { return fields[n][id]; }) };
      c.cover = allWeight ? cover[id] / allWeight : 0;
      c.share = allCount ? share[id] / allCount : 0;
      c.estimate = sum[id] * c.cover;
      c.count = count[id];
      if (c.count === words.length) {
        c.score = strength(c.fields, words);
        exact.push(c);
      } else if (whole[id] || c.share >= MIN_COVER) {
        c.score = 0;
        partial.push(c);
      }
    });
    exact.sort(rankExact);
    partial.sort(rankPartial);
    this.engine = engine;
    this.words = words;
    this.exactQueue = exact;
    this.partialQueue = partial;
    this.shown = 0;
    this.shownPartial = 0;
    this.full = exact.length;
    /** Whether `full` is exact: every word of one or two characters, or every candidate checked. */
    this.sure = words.every(function (w) { return chars(w.word).length <= 2; });
  }

  /** An exact hit's strength: each word's rarity times the weight of the field it is in. With
   * one word this is the order of its field (title, facts, summary and claim, body). */
  function strength(fields, words) {
    var sum = 0;
    fields.forEach(function (f, w) { if (f < FIELDS) sum += words[w].rare * FIELD_WEIGHT[f]; });
    return sum;
  }

  function rankExact(a, b) {
    return b.score - a.score || a.id - b.id;
  }

  /** A partial match's rank: its final score once its file is read, else its postings' score. */
  function key(c) {
    return c.doc ? c.final : c.estimate;
  }

  function rankPartial(a, b) {
    return key(b) - key(a) || a.id - b.id;
  }

  /** Where each word is in a story: the best field holding it, or FIELDS when absent. */
  function locate(folded, words) {
    return words.map(function (word) {
      for (var f = 0; f < FIELDS; f++) if (folded[f].indexOf(word.word) >= 0) return f;
      return FIELDS;
    });
  }

  /** The longest piece of `word` (two characters or more) that `text` holds verbatim. */
  function longestPiece(word, text) {
    var best = "";
    for (var i = 0; i + best.length < word.length; i++) {
      for (var j = i + Math.max(2, best.length + 1); j <= word.length; j++) {
        if (text.indexOf(word.slice(i, j)) < 0) break;
        best = word.slice(i, j);
      }
    }
    return best;
  }

  /** Stories holding every word (`full`), and the partial matches, as far as known now. */
  Result.prototype.counts = function () {
    var checked = this.exactQueue.every(function (c) { return c.doc; });
    var partial = this.partialQueue.length + this.shownPartial;
    return { full: this.full, partial: partial, exact: this.sure || checked };
  };

  /** Read a candidate's story: is every word there verbatim, and how much of the query is. */
  Result.prototype.read = function (c, doc) {
    var map = this.engine.wording ? this.engine.wording.map : null;
    var folded = fieldsOf(doc).map(function (text) { return fold(text, map); });
    var all = folded.join("\n");
    c.doc = doc;
    c.fields = locate(folded, this.words);
    c.count = c.fields.filter(function (f) { return f < FIELDS; }).length;
    c.score = strength(c.fields, this.words);
    var near = 0;
    var length = 0;
    c.pieces = [];
    this.words.forEach(function (word) {
      var piece = longestPiece(word.word, all);
      if (piece) c.pieces.push(piece);
      word.variants.forEach(function (v) { if (all.indexOf(v) >= 0) c.pieces.push(v); });
      near += piece.length;
      length += word.word.length;
    });
    c.final = c.estimate * (1 + PROXIMITY * (length ? near / length : 0));
  };

  /**
   * The next `count` hits, each read in its story's file, exact ones first, in rank order.
   * Partial matches come a page at a time: the best by their postings, read in one round of
   * requests (a phone's network is slow), then ordered by how much of the query each holds
   * verbatim.
   */
  Result.prototype.more = function (count) {
    var result = this;
    var map = result.engine.wording && result.engine.wording.map;
    var hits = [];
    function step() {
      if (hits.length >= count) return Promise.resolve(hits);
      var exact = result.exactQueue.length > 0;
      var queue = exact ? result.exactQueue : result.partialQueue;
      if (!queue.length) return Promise.resolve(hits);
      var want = Math.min(queue.length, Math.max(count - hits.length, 1));
      var page = exact ? queue.slice(0, want) : queue.splice(0, want);
      var batch = page.filter(function (c) { return !c.doc; });
      return Promise.all(batch.map(function (c) { return result.engine.doc(c.id); })).then(function (docs) {
        docs.forEach(function (doc, i) {
          if (exact) result.confirm(batch[i], doc);
          else result.read(batch[i], doc);
        });
        if (exact) {
          var q = result.exactQueue;
          while (hits.length < count && q.length && q[0].doc) {
            hits.push(hit(q.shift(), result.words, true, map));
            result.shown++;
          }
        } else {
          page.sort(rankPartial);
          page.forEach(function (c) {
            hits.push(hit(c, result.words, false, map));
            result.shown++;
            result.shownPartial++;
          });
        }
        return step();
      });
    }
    return step();
  };

  /** Check an exact candidate against its story's text: it moves down, or to the partial matches. */
  Result.prototype.confirm = function (c, doc) {
    this.read(c, doc);
    var queue = this.exactQueue;
    queue.splice(queue.indexOf(c), 1);
    if (c.count < this.words.length) {
      this.full--;
      var at = 0;
      while (at < this.partialQueue.length && rankPartial(this.partialQueue[at], c) <= 0) at++;
      this.partialQueue.splice(at, 0, c);
      return;
    }
    // A checked story never ranks higher than hoped, so everything before its place stays.
    var place = 0;
    while (place < queue.length && rankExact(queue[place], c) <= 0) place++;
    queue.splice(place, 0, c);
  };

  /** Split text into runs marked where any word occurs: [[text, marked], …]. */
  function marked(text, words, map) {
    var folded = fold(text, map);
    var on = new Array(text.length + 1).join("0").split("");
    words.forEach(function (word) {
      if (!word) return;
      for (var at = folded.indexOf(word); at >= 0; at = folded.indexOf(word, at + 1)) {
        for (var i = at; i < at + word.length; i++) on[i] = "1";
      }
    });
    var parts = [];
    for (var start = 0, end = 0; start < text.length; start = end) {
      end = start;
      while (end < text.length && on[end] === on[start]) end++;
      parts.push([text.slice(start, end), on[start] === "1"]);
    }
    return parts;
  }

  /** About SNIPPET characters of `text` around its first hit. */
  function around(text, words, map) {
    var folded = fold(text, map);
    var first = -1;
    words.forEach(function (word) {
      var at = folded.indexOf(word);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    });
    if (first < 0) first = 0;
    var start = Math.max(0, first - Math.floor(SNIPPET / 3));
    var end = Math.min(text.length, start + SNIPPET);
    start = Math.max(0, Math.min(start, end - SNIPPET));
    var piece = text.slice(start, end).replace(/\s+/g, " ");
    return (start > 0 ? "…" : "") + piece + (end < text.length ? "…" : "");
  }

  /** The text a hit shows under its title: the summary or claim, a fact (tags, district,
   * name…) or the body, whichever first holds a word; for a hit in the title, the summary. */
  function snippet(doc, own, words, map) {
    function piece(looked, label, text) {
      var folded = fold(text, map);
      if (!looked.some(function (w) { return folded.indexOf(w) >= 0; })) return null;
      return { label: label, parts: marked(around(text, looked, map), words, map) };
    }
    // The reader's own words first; a synonym or a piece of the query only where they are not.
    var tries = [own, words];
    for (var t = 0; t < tries.length; t++) {
      var found = doc.l && piece(tries[t], "", doc.l);
      for (var p = 0; p < doc.h.length && !found; p++) found = piece(tries[t], doc.h[p][0], doc.h[p][1]);
      found = found || piece(tries[t], "", doc.x);
      if (found) return found;
    }
    return { label: "", parts: marked(around(doc.l || doc.x, [], map), words, map) };
  }

  function hit(c, words, exact, map) {
    var doc = c.doc;
    var own = words.map(function (w) { return w.word; });
    var shown = own.concat(c.pieces || []);
    shown.sort(function (a, b) { return b.length - a.length; });
    var text = snippet(doc, own, shown, map);
    return {
      id: c.id,
      url: doc.u,
      title: doc.t,
      section: doc.s,
      date: doc.d,
      badge: doc.b,
      exact: exact,
      field: Math.min.apply(null, c.fields),
      fields: c.fields.slice(),
      words: c.count,
      titleParts: marked(doc.t, shown, map),
      label: text.label,
      snippetParts: text.parts,
    };
  }

  function zhDate(iso) {
    var p = iso.split("-");
    return +p[0] + "年" + +p[1] + "月" + +p[2] + "日";
  }

  /* ---------------------------------------------------------------- the page */

  /** A file's text by XMLHttpRequest, for browsers without fetch (or whose fetch failed). */
  function request(url, fresh) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open("GET", url);
      if (fresh) xhr.setRequestHeader("Cache-Control", "no-cache");
      xhr.onload = function () {
        if (xhr.status >= 200 && xhr.status < 300) resolve(xhr.responseText);
        else reject(new Error(xhr.status + " " + url));
      };
      xhr.onerror = function () { reject(new Error("network " + url)); };
      xhr.send();
    });
  }

  /** A file's text: fetch where it works, else XMLHttpRequest. */
  function transport(win) {
    return function (url, fresh) {
      var viaFetch;
      try {
        if (typeof win.fetch !== "function") throw new Error("no fetch");
        viaFetch = win.fetch(url, fresh ? { cache: "no-cache" } : {}).then(function (response) {
          if (!response.ok) throw new Error(response.status + " " + url);
          return response.text();
        });
      } catch (e) {
        return request(url, fresh);
      }
      return viaFetch.then(null, function (problem) {
        if (/^\d/.test(String(problem && problem.message))) throw problem; // the server answered: no retry
        return request(url, fresh);
      });
    };
  }

  function element(doc, tag, className, text) {
    var node = doc.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function appendParts(doc, parent, parts) {
    parts.forEach(function (part) {
      parent.appendChild(part[1] ? element(doc, "mark", "", part[0]) : doc.createTextNode(part[0]));
    });
  }

  /** An address resolved against the page, without the URL constructor old WebViews lack. */
  function absolute(doc, address) {
    var a = doc.createElement("a");
    a.href = address;
    return a.href;
  }

  /** Wire every search form of the page: lazy index, results as the reader types. */
  function attach(doc) {
    var win = doc.defaultView || window;
    if (typeof win.Promise !== "function" || (typeof win.fetch !== "function" && !win.XMLHttpRequest)) {
      return; // the forms go to the search page, which says search needs a newer browser
    }
    var forms = doc.querySelectorAll("form.fed-search");
    var page = doc.querySelector("[data-fed-search-page]");
    if (page) doc.documentElement.className += " fed-search-js";
    var engine = { current: null };
    for (var i = 0; i < forms.length; i++) Box(doc, win, forms[i], engine, page);
  }

  /**
   * The browsing pages an empty or failed answer offers, as [label, address]: the build writes
   * them on the header's form (data-browse), so the script holds no address of its own.
   */
  function browseFrom(doc) {
    var holder = doc.querySelector("[data-browse]");
    try {
      var links = JSON.parse(holder ? holder.getAttribute("data-browse") : "[]");
      return links instanceof Array ? links : [];
    } catch (e) {
      return [];
    }
  }

  function Box(doc, win, form, shared, page) {
    var input = form.querySelector("input[name=q]");
    var panel = form.querySelector(".fed-search__results");
    if (!input || !panel) return;
    var inPage = form.hasAttribute("data-fed-search-inline");
    var base = absolute(doc, form.getAttribute("data-index"));
    var root = absolute(doc, form.getAttribute("data-root").replace(/\/?$/, "/"));
    var load = transport(win);
    var latest = 0;
    var composing = false;
    var timer = 0;
    var pushed = false;
    var browse = browseFrom(doc);

    var bar = element(doc, "div", "fed-search__bar");
    var cancel = element(doc, "button", "fed-search__cancel", "取消");
    cancel.type = "button";
    bar.appendChild(cancel);
    var body = element(doc, "div", "fed-search__body");
    panel.textContent = "";
    if (!inPage) panel.appendChild(bar);
    panel.appendChild(body);
    var backdrop = inPage ? null : element(doc, "div", "fed-search__backdrop");
    if (backdrop) {
      backdrop.hidden = true;
      form.appendChild(backdrop);
    }

    function getEngine() {
      if (!shared.current) {
        shared.current = new Engine(function (path) {
          return load(base + path, path === "manifest.json");
        });
      }
      return shared.current;
    }

    function href(address) {
      return root + address.replace(/^\//, "");
    }

    // On a phone the hits fill the screen below the header, wherever a banner left it.
    function place() {
      if (inPage) return;
      var header = form.closest ? form.closest(".md-header") || form : form;
      var top = Math.max(0, header.getBoundingClientRect().bottom) + "px";
      panel.style.setProperty("--fed-search-top", top);
      if (backdrop) backdrop.style.setProperty("--fed-search-top", top);
    }

    function open() {
      if (panel.hidden && !inPage && win.history && win.history.pushState) {
        // Android's back button closes the results instead of leaving the page.
        try {
          win.history.pushState({ fedSearch: true }, "");
          pushed = true;
        } catch (e) {
          pushed = false;
        }
      }
      panel.hidden = false;
      if (backdrop) backdrop.hidden = false;
      form.className = form.className.replace(/\s*fed-search--open/g, "") + " fed-search--open";
      place();
    }

    function close(fromHistory) {
      clearTimeout(timer);
      latest++;
      if (inPage) return;
      var was = !panel.hidden;
      panel.hidden = true;
      if (backdrop) backdrop.hidden = true;
      form.className = form.className.replace(/\s*fed-search--open/g, "");
      if (was && pushed && !fromHistory) {
        pushed = false;
        win.history.back();
      }
      pushed = fromHistory ? false : pushed;
    }

    function browseLinks() {
      var more = element(doc, "p", "fed-search__browse", "也可以按分类浏览：");
      var links = browse;
      links.forEach(function (item, n) {
        if (n) more.appendChild(doc.createTextNode("、"));
        var a = element(doc, "a", "", item[0]);
        a.href = href(item[1]);
        more.appendChild(a);
      });
      return more;
    }

    function status(text, links, query) {
      body.textContent = "";
      body.appendChild(element(doc, "p", "fed-search__status", text));
      if (query !== undefined && !page) {
        var retry = element(doc, "p", "fed-search__browse");
        var a = element(doc, "a", "", "到搜索页面再试一次");
        a.href = absolute(doc, form.getAttribute("action")) + "?q=" + encodeURIComponent(query);
        retry.appendChild(a);
        body.appendChild(retry);
      }
      if (links && browse.length) body.appendChild(browseLinks());
      open();
    }

    function show(list, hits, state) {
      hits.forEach(function (h) {
        if (!h.exact && !state.heading) {
          state.heading = true;
          var note = element(doc, "li", "fed-search__partial", "没有完全相同的说法，以下文章可能相关");
          list.appendChild(note);
        }
        var li = element(doc, "li", "fed-search__item");
        var a = element(doc, "a", "fed-search__hit");
        a.href = href(h.url);
        a.addEventListener("click", follow);
        var title = element(doc, "span", "fed-search__title");
        appendParts(doc, title, h.titleParts);
        a.appendChild(title);
        var meta = [h.section, h.badge, zhDate(h.date)].filter(Boolean).join(" · ");
        a.appendChild(element(doc, "span", "fed-search__meta", meta));
        var text = element(doc, "span", "fed-search__snippet");
        if (h.label) text.appendChild(element(doc, "span", "fed-search__fact", h.label + "："));
        appendParts(doc, text, h.snippetParts);
        a.appendChild(text);
        li.appendChild(a);
        list.appendChild(li);
      });
    }

    // A hit opened from results that pushed a history entry: that entry is taken back first,
    // so that the back button on the story returns to the page, and once more leaves it.
    var leaving = null;
    function follow(event) {
      if (!pushed || event.button || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      var to = event.currentTarget.href;
      leaving = to;
      pushed = false;
      win.history.back();
      setTimeout(function () { if (leaving === to) go(); }, 400); // a WebView without popstate
    }
    function go() {
      var to = leaving;
      leaving = null;
      if (to) win.location.href = to;
    }

    function failed(ticket, query) {
      if (ticket !== latest) return;
      shared.current = null; // the site may have been rebuilt: start again from the manifest
      status("搜索暂时不可用，请检查网络后再试。", true, query);
    }

    function run(query) {
      var ticket = ++latest;
      if (!String(query).replace(/\s+/g, "")) {
        close();
        return;
      }
      if (!body.childNodes.length || panel.hidden) status("正在搜索…", false);
      var result;
      // However the network or the index fails, the reader is told, never left waiting.
      var watchdog = setTimeout(function () { failed(ticket, query); }, 20000);
      function done() { clearTimeout(watchdog); }
      var engine;
      try {
        engine = getEngine();
      } catch (e) {
        done();
        failed(ticket, query);
        return;
      }
      engine.ready().then(function () {
        return engine.search(query);
      }).then(function (found) {
        result = found;
        return found.words.length ? found.more(PAGE) : [];
      }).then(function (hits) {
        done();
        if (ticket !== latest) return;
        if (!hits.length) {
          var words = result.words.map(function (w) { return w.word; });
          status(
            words.length
              ? "没有找到与「" + words.join(" ") + "」有关的文章。可以换个说法，或少写几个字。"
              : "请写下要找的字词，例如「口罩」「疫苗」或你所在的区县。",
            true
          );
          return;
        }
        var counts = result.counts();
        body.textContent = "";
        var total = counts.full
          ? "找到" + (counts.exact ? " " : "约 ") + counts.full + " 篇" + (counts.partial ? "，另有 " + counts.partial + " 篇可能相关" : "")
          : "找到 " + counts.partial + " 篇可能相关的文章";
        body.appendChild(element(doc, "p", "fed-search__status", total));
        var list = element(doc, "ol", "fed-search__list");
        body.appendChild(list);
        var state = { heading: false };
        show(list, hits, state);
        if (result.exactQueue.length || result.partialQueue.length) {
          var button = element(doc, "button", "fed-search__more", "更多结果");
          button.type = "button";
          button.addEventListener("click", function () {
            button.disabled = true;
            result.more(PAGE).then(function (next) {
              show(list, next, state);
              button.disabled = false;
              if (!result.exactQueue.length && !result.partialQueue.length) body.removeChild(button);
            }, function () { button.disabled = false; });
          });
          body.appendChild(button);
        }
        open();
      }).then(null, function () {
        done();
        failed(ticket, query);
      });
    }

    function later() {
      clearTimeout(timer);
      if (!composing) timer = setTimeout(function () { run(input.value); }, 200);
    }

    input.addEventListener("focus", function () {
      try {
        getEngine().ready().then(null, function () {});
      } catch (e) {
        // Nothing to warm up; the query itself reports the failure.
      }
    });
    input.addEventListener("input", later);
    input.addEventListener("compositionstart", function () { composing = true; });
    input.addEventListener("compositionend", function () { composing = false; later(); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape" || event.keyCode === 27) { close(); input.blur(); }
    });
    cancel.addEventListener("click", function () {
      input.value = "";
      close();
      input.blur();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      run(input.value);
    });
    win.addEventListener("resize", place);
    win.addEventListener("scroll", function () { if (!panel.hidden) place(); });
    win.addEventListener("popstate", function () {
      if (leaving) go();
      else if (!panel.hidden) close(true);
    });
    doc.addEventListener("click", function (event) {
      if (!panel.hidden && (!form.contains(event.target) || event.target === backdrop)) close();
    });
    // The search page (the form's no-JavaScript target) runs the query it was given, in its own box.
    if (page && (inPage || !doc.querySelector("form[data-fed-search-inline]"))) {
      var match = /[?&]q=([^&#]*)/.exec(doc.location.search);
      var query = "";
      try {
        query = match ? decodeURIComponent(match[1].replace(/\+/g, " ")) : "";
      } catch (e) {
        query = "";
      }
      if (query) {
        input.value = query;
        run(query);
      }
    }
  }

  return {
    fold: fold,
    terms: terms,
    plan: plan,
    Wording: Wording,
    bucket: bucket,
    numbers: numbers,
    Engine: Engine,
    marked: marked,
    attach: attach,
  };
});
