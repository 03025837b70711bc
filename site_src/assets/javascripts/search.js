/*
 * The site's Chinese search: the one place its query logic lives.
 *
 * The index (generator/search.py) lists, for every character pair and every single
 * character, the stories holding it and the best field it is in. A query loads the
 * shards of its own pairs only, ranks the candidates, then downloads each shown hit's
 * file and confirms the exact words in its text before showing it, so every hit holds
 * the query and ranks by where it really is: title, then tags and names, then summary,
 * then body; stories with every word above those with some; newer first.
 *
 * Nothing is downloaded until the reader focuses the search box. In node (the tests and
 * the benchmark) this file exports its functions instead of attaching to a page.
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
  var MAX_TERMS = 8;
  var MAX_PAIRS = 6; // pairs looked up per word; the text check makes up for the rest
  var PAGE = 10;
  var SNIPPET = 64;
  var WORD;
  try {
    WORD = new RegExp("[\\p{L}\\p{N}]+", "gu");
  } catch (e) {
    // Browsers before Unicode property escapes: Latin, digits and Han.
    WORD = /[0-9A-Za-z\u00C0-\u024F\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]+/g;
  }

  /** Lower-case ASCII and full-width letters, as the index does; the length never changes. */
  function fold(text) {
    return text
      .replace(/[\uFF01-\uFF5E]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xFEE0); })
      .replace(/[A-Z]+/g, function (c) { return c.toLowerCase(); });
  }

  /** The words of a query: runs of letters and digits, folded, each once. */
  function terms(query) {
    var found = fold(String(query)).match(WORD) || [];
    var seen = [];
    for (var i = 0; i < found.length && seen.length < MAX_TERMS; i++) {
      if (seen.indexOf(found[i]) < 0) seen.push(found[i]);
    }
    return seen;
  }

  /** The shard of a gram: the same hash as generator/search.py's bucket_of. */
  function bucket(first, second, count) {
    var h = Math.imul(first, 0x9E3779B1) ^ second;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85EBCA6B);
    h ^= h >>> 13;
    h = Math.imul(h, 0xC2B2AE35);
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

  /** The words that search.py's pairs cover: every pair, or an even spread of MAX_PAIRS. */
  function pairsOf(chars) {
    var all = [];
    for (var i = 0; i + 1 < chars.length; i++) all.push(chars[i] + chars[i + 1]);
    if (all.length <= MAX_PAIRS) return all;
    var chosen = [];
    for (var k = 0; k < MAX_PAIRS; k++) {
      var pick = all[Math.round((k * (all.length - 1)) / (MAX_PAIRS - 1))];
      if (chosen.indexOf(pick) < 0) chosen.push(pick);
    }
    return chosen;
  }

  /** Zone texts of a story's file, joined as search.py joins them for the index. */
  function fieldsOf(doc) {
    return [doc.t, doc.h.map(function (pair) { return pair[1]; }).join("\n"), doc.l, doc.x];
  }

  /** Where each word is in a story: the best field holding it, or FIELDS when absent. */
  function locate(doc, words) {
    var folded = fieldsOf(doc).map(fold);
    return words.map(function (word) {
      for (var f = 0; f < FIELDS; f++) if (folded[f].indexOf(word) >= 0) return f;
      return FIELDS;
    });
  }

  /**
   * The search engine over one built index. `load(path)` gives the text of a file under
   * assets/search/ (a Promise); `manifest.json` must be asked for fresh, it names the build.
   */
  function Engine(load) {
    this.load = load;
    this.manifest = null;
    this.files = {};
    this.bytes = 0;
  }

  Engine.prototype.ready = function () {
    var engine = this;
    if (!engine.manifest) {
      engine.manifest = engine.load("manifest.json").then(JSON.parse);
      engine.manifest.catch(function () { engine.manifest = null; });
    }
    return engine.manifest;
  };

  Engine.prototype.file = function (path) {
    var engine = this;
    if (!engine.files[path]) {
      engine.files[path] = engine.ready().then(function (manifest) {
        return engine.load(manifest.build + "/" + path);
      });
      engine.files[path].catch(function () { delete engine.files[path]; });
    }
    return engine.files[path];
  };

  /** Stories holding a gram, as a map from story id to the best field. */
  Engine.prototype.postings = function (gram) {
    var engine = this;
    var chars = Array.from(gram);
    return engine.ready().then(function (manifest) {
      var single = chars.length === 1;
      var count = single ? manifest.singles : manifest.pairs;
      var first = chars[0].codePointAt(0);
      var second = single ? 0 : chars[1].codePointAt(0);
      var path = (single ? "u/" : "b/") + bucket(first, second, count) + ".txt";
      if (!engine.files["#" + path]) {
        engine.files["#" + path] = engine.file(path).then(parseShard);
      }
      return engine.files["#" + path];
    }).then(function (shard) {
      var found = new Map();
      var run = shard.runs[gram];
      if (!run) return found;
      var doc = -1;
      numbers(shard.text, run[0], run[1]).forEach(function (value) {
        doc += Math.floor(value / 4);
        found.set(doc, value % 4);
      });
      return found;
    });
  };

  /** One story's file: title, address, section, date, badge, head facts, lead and body. */
  Engine.prototype.doc = function (id) {
    return this.file("d/" + id + ".json").then(JSON.parse);
  };

  /** Candidates for one word: exact for one or two characters, to be confirmed for longer. */
  Engine.prototype.word = function (word) {
    var chars = Array.from(word);
    var grams = chars.length === 1 ? [word] : pairsOf(chars);
    return Promise.all(grams.map(this.postings, this)).then(function (lists) {
      lists.sort(function (a, b) { return a.size - b.size; });
      var found = new Map();
      lists[0].forEach(function (field, doc) {
        var worst = field;
        for (var i = 1; i < lists.length; i++) {
          if (!lists[i].has(doc)) return;
          worst = Math.max(worst, lists[i].get(doc));
        }
        found.set(doc, worst);
      });
      return { word: word, exact: chars.length <= 2, stories: found };
    });
  };

  /** Search; the answer gives its hits page by page (`more`). */
  Engine.prototype.search = function (query) {
    var engine = this;
    var words = terms(query);
    return Promise.all(words.map(engine.word, engine)).then(function (found) {
      return new Result(engine, words, found);
    });
  };

  function rank(a, b) {
    return b.count - a.count || a.score - b.score || a.id - b.id;
  }

  function Result(engine, words, found) {
    var byId = new Map();
    found.forEach(function (entry, w) {
      entry.stories.forEach(function (field, id) {
        var candidate = byId.get(id);
        if (!candidate) {
          candidate = { id: id, fields: words.map(function () { return FIELDS; }), sure: true };
          byId.set(id, candidate);
        }
        candidate.fields[w] = field;
        candidate.sure = candidate.sure && entry.exact;
      });
    });
    var queue = Array.from(byId.values());
    queue.forEach(score);
    queue.sort(rank);
    this.engine = engine;
    this.words = words;
    this.queue = queue;
    this.shown = 0;
    this.full = queue.filter(function (c) { return c.count === words.length; }).length;
    /** Whether `full` is exact: every word of one or two characters, or every candidate checked. */
    this.exact = found.every(function (entry) { return entry.exact; });
  }

  function score(candidate) {
    candidate.count = candidate.fields.filter(function (f) { return f < FIELDS; }).length;
    candidate.score = candidate.fields.reduce(function (sum, f) { return sum + f; }, 0);
  }

  /** Stories holding every word (`full`) and some of them, as far as known now. */
  Result.prototype.counts = function () {
    var checked = this.queue.every(function (c) { return c.doc; });
    return { full: this.full, partial: this.queue.length + this.shown - this.full, exact: this.exact || checked };
  };

  /** The next `count` hits, each confirmed in its story's text, in rank order. */
  Result.prototype.more = function (count) {
    var result = this;
    var hits = [];
    function step() {
      if (hits.length >= count || !result.queue.length) return Promise.resolve(hits);
      var want = Math.min(result.queue.length, Math.max(count - hits.length, 1));
      var batch = result.queue.slice(0, want).filter(function (c) { return !c.doc; });
      return Promise.all(batch.map(function (c) { return result.engine.doc(c.id); })).then(function (docs) {
        docs.forEach(function (doc, i) { result.confirm(batch[i], doc); });
        while (hits.length < count && result.queue.length && result.queue[0].doc) {
          hits.push(hit(result.queue.shift(), result.words));
          result.shown++;
        }
        return step();
      });
    }
    return step();
  };

  /** Check a candidate against its story's text; it moves down (or out) if it was hoped too high. */
  Result.prototype.confirm = function (candidate, doc) {
    var before = candidate.count;
    candidate.doc = doc;
    candidate.fields = locate(doc, this.words);
    score(candidate);
    var queue = this.queue;
    queue.splice(queue.indexOf(candidate), 1);
    if (candidate.count === 0) {
      this.full -= before === this.words.length ? 1 : 0;
      return;
    }
    if (before === this.words.length && candidate.count < before) this.full--;
    // A checked story never ranks higher than hoped, so everything before its place stays.
    var at = 0;
    while (at < queue.length && rank(queue[at], candidate) <= 0) at++;
    queue.splice(at, 0, candidate);
  };

  /** Split text into runs marked where any word occurs: [[text, marked], …]. */
  function marked(text, words) {
    var folded = fold(text);
    var on = new Array(text.length + 1).join("0").split("");
    words.forEach(function (word) {
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
  function around(text, words) {
    var folded = fold(text);
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
  function snippet(doc, words) {
    function holds(text) {
      var folded = fold(text);
      return words.some(function (w) { return folded.indexOf(w) >= 0; });
    }
    if (doc.l && holds(doc.l)) return { label: "", parts: marked(around(doc.l, words), words) };
    for (var p = 0; p < doc.h.length; p++) {
      if (holds(doc.h[p][1])) return { label: doc.h[p][0], parts: marked(around(doc.h[p][1], words), words) };
    }
    if (holds(doc.x)) return { label: "", parts: marked(around(doc.x, words), words) };
    return { label: "", parts: marked(around(doc.l || doc.x, []), words) };
  }

  function hit(candidate, words) {
    var doc = candidate.doc;
    var text = snippet(doc, words);
    return {
      id: candidate.id,
      url: doc.u,
      title: doc.t,
      section: doc.s,
      date: doc.d,
      badge: doc.b,
      field: Math.min.apply(null, candidate.fields),
      fields: candidate.fields.slice(),
      words: candidate.count,
      titleParts: marked(doc.t, words),
      label: text.label,
      snippetParts: text.parts,
    };
  }

  function zhDate(iso) {
    var p = iso.split("-");
    return +p[0] + "年" + +p[1] + "月" + +p[2] + "日";
  }

  /* ---------------------------------------------------------------- the page */

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

  /** Wire every search form of the page: lazy index, results as the reader types. */
  function attach(doc) {
    var forms = doc.querySelectorAll("form.fed-search");
    for (var i = 0; i < forms.length; i++) Box(doc, forms[i]);
  }

  function Box(doc, form) {
    var input = form.querySelector("input[name=q]");
    var panel = form.querySelector(".fed-search__results");
    if (!input || !panel) return;
    var base = new URL(form.getAttribute("data-index"), doc.baseURI).href;
    var root = new URL(form.getAttribute("data-root").replace(/\/?$/, "/"), doc.baseURI);
    var engine = null;
    var latest = 0;
    var composing = false;
    var timer = 0;

    function getEngine() {
      if (!engine) {
        engine = new Engine(function (path) {
          var options = path === "manifest.json" ? { cache: "no-cache" } : {};
          return fetch(base + path, options).then(function (response) {
            if (!response.ok) throw new Error(response.status + " " + path);
            return response.text();
          });
        });
      }
      return engine;
    }

    function href(address) {
      return new URL(address.replace(/^\//, ""), root).href;
    }

    // On a phone the hits fill the screen below the header, wherever a banner left it.
    function place() {
      var header = form.closest(".md-header") || form;
      panel.style.setProperty("--fed-search-top", Math.max(0, header.getBoundingClientRect().bottom) + "px");
    }

    function open() {
      panel.hidden = false;
      form.classList.add("fed-search--open");
      place();
    }
    function close() { panel.hidden = true; form.classList.remove("fed-search--open"); }

    function status(text, links) {
      panel.textContent = "";
      var p = element(doc, "p", "fed-search__status", text);
      panel.appendChild(p);
      if (links) {
        var more = element(doc, "p", "fed-search__browse", "也可以按分类浏览：");
        [["区县动态", "districts/"], ["标签", "tags/"], ["按月浏览", "archive/"]].forEach(function (item, n) {
          if (n) more.appendChild(doc.createTextNode("、"));
          var a = element(doc, "a", "", item[0]);
          a.href = href(item[1]);
          more.appendChild(a);
        });
        panel.appendChild(more);
      }
      open();
    }

    function show(list, hits) {
      hits.forEach(function (h) {
        var li = element(doc, "li", "fed-search__item");
        var a = element(doc, "a", "fed-search__hit");
        a.href = href(h.url);
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

    function run(query) {
      var ticket = ++latest;
      var words = terms(query);
      if (!words.length) {
        if (query.trim()) status("请输入要找的字词。", false);
        else close();
        return;
      }
      if (!panel.childNodes.length || panel.hidden) status("正在搜索…", false);
      var result;
      getEngine().search(query).then(function (found) {
        result = found;
        return found.more(PAGE);
      }).then(function (hits) {
        if (ticket !== latest) return;
        var counts = result.counts();
        if (!hits.length) {
          status("没有找到含有「" + words.join(" ") + "」的文章。可以换个说法，或少写几个字。", true);
          return;
        }
        panel.textContent = "";
        var total = counts.full
          ? "找到" + (counts.exact ? " " : "约 ") + counts.full + " 篇"
          : "没有文章同时含有这些词；以下文章含有其中一部分";
        panel.appendChild(element(doc, "p", "fed-search__status", total));
        var list = element(doc, "ol", "fed-search__list");
        panel.appendChild(list);
        show(list, hits);
        if (result.queue.length) {
          var button = element(doc, "button", "fed-search__more", "更多结果");
          button.type = "button";
          button.addEventListener("click", function () {
            button.disabled = true;
            result.more(PAGE).then(function (next) {
              show(list, next);
              button.disabled = false;
              if (!result.queue.length) button.remove();
            }, function () { button.disabled = false; });
          });
          panel.appendChild(button);
        }
        open();
      }).catch(function () {
        if (ticket !== latest) return;
        engine = null; // the site may have been rebuilt: start again from the manifest
        status("搜索暂时不可用，请检查网络后再试。", true);
      });
    }

    function later() {
      clearTimeout(timer);
      if (!composing) timer = setTimeout(function () { run(input.value); }, 200);
    }

    input.addEventListener("focus", function () { getEngine().ready().catch(function () {}); });
    input.addEventListener("input", later);
    input.addEventListener("compositionstart", function () { composing = true; });
    input.addEventListener("compositionend", function () { composing = false; later(); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { close(); input.blur(); }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(timer);
      run(input.value);
    });
    window.addEventListener("resize", place);
    window.addEventListener("scroll", function () { if (!panel.hidden) place(); }, { passive: true });
    doc.addEventListener("click", function (event) {
      if (!form.contains(event.target)) close();
    });
    // The search page (the form's no-JavaScript target) runs the query it was given.
    if (doc.querySelector("[data-fed-search-page]")) {
      doc.documentElement.classList.add("fed-search-js");
      var query = new URLSearchParams(doc.location.search).get("q");
      if (query) {
        input.value = query;
        run(query);
      }
    }
  }

  return {
    fold: fold,
    terms: terms,
    bucket: bucket,
    numbers: numbers,
    Engine: Engine,
    marked: marked,
    attach: attach,
  };
});
