// The figures of 《互联网网站适老化通用设计规范》 a browser can measure on the page as it is now:
// text size, line spacing, paragraph spacing, contrast of every visible text, the size of every
// tap target, and whether the site's name in the header is whole. Read by
// tests/browser/test_elders.py, which decides what passes.
(minTap) => {
  const parse = (value) => {
    const m = value.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(parseFloat);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, below) => [0, 1, 2].map((i) => top[i] * top[3] + below[i] * (1 - top[3])).concat([1]);
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const describe = (el) => el.tagName.toLowerCase() + (typeof el.className === "string" && el.className.trim()
    ? "." + el.className.trim().split(/\s+/).join(".") : "");

  // The background behind an element: its own and its ancestors' colours, composited.
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let bg = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  };
  const opacity = (el) => { let o = 1; for (let e = el; e; e = e.parentElement) o *= parseFloat(getComputedStyle(e).opacity); return o; };
  const shown = (el) => {
    if (el.closest("[hidden], svg, script, style, noscript, template")) return false;
    const style = getComputedStyle(el);
    if (style.visibility !== "visible" || style.display === "none") return false;
    const box = el.getBoundingClientRect();
    if (box.width < 2 || box.height < 2) return false; // visually hidden labels are 1px
    if (box.right <= 0 || box.left >= innerWidth) return false; // the closed drawer
    if (style.clip === "rect(0px, 0px, 0px, 0px)" || style.clipPath === "inset(50%)") return false;
    return opacity(el) > 0.05;
  };

  // Every element that holds visible text of its own.
  const texts = new Map();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (!el || texts.has(el) || !shown(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rect = range.getBoundingClientRect();
    if (rect.width === 0 || rect.right <= 0 || rect.left >= innerWidth) continue;
    texts.set(el, node.textContent.trim().slice(0, 16));
  }
  const found = { texts: [], body: null, paragraphs: [], targets: [], name: null };
  for (const [el, sample] of texts) {
    const style = getComputedStyle(el);
    const size = parseFloat(style.fontSize);
    const line = style.lineHeight === "normal" ? null : parseFloat(style.lineHeight);
    const colour = parse(style.color);
    const bg = background(el);
    const fg = over([colour[0], colour[1], colour[2], colour[3] * opacity(el)], bg);
    found.texts.push({
      what: `${describe(el)} 「${sample}」`,
      size, line: line === null ? 0 : line / size, contrast: ratio(fg, bg),
      content: !!el.closest(".md-content"),
    });
  }
  // The page's main text: a story's body, else a listing's lede or summaries, else its first paragraph.
  const body = [".fed-body p", ".md-content .fed-lede", ".md-content .fed-card__summary", ".md-content p:not(.fed-kicker)"]
    .map((selector) => [...document.querySelectorAll(selector)].find(shown)).find(Boolean);
  if (body) found.body = { size: parseFloat(getComputedStyle(body).fontSize), what: describe(body) };

  // Paragraph spacing: from one paragraph's last line to the next one's first, against the line.
  for (const p of document.querySelectorAll(".md-content .fed-body > p + p, .md-content .md-typeset > p + p")) {
    const prev = p.previousElementSibling;
    const line = parseFloat(getComputedStyle(p).lineHeight);
    const a = prev.getClientRects(), b = p.getClientRects();
    if (!a.length || !b.length || !line) continue;
    const lastLineTop = a[a.length - 1].bottom - line;
    found.paragraphs.push({ what: `「${p.textContent.trim().slice(0, 12)}」`, spacing: (b[0].top - lastLineTop) / line });
  }

  // Tap targets (links inside a sentence are exempt, as in probes.py).
  const inSentence = (el) => {
    if (getComputedStyle(el).display !== "inline") return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
    return block !== null && block.textContent.trim() !== el.textContent.trim();
  };
  const target = (el) => (el.matches("input, select, textarea") && el.closest("label")) || el;
  const caption = (el) => el.matches("label[for]") && el.control && el.control.getBoundingClientRect().width > 0;
  const seen = new Set();
  for (const control of document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary, label[for]")) {
    if (caption(control)) continue;
    const el = target(control);
    if (seen.has(el)) continue;
    seen.add(el);
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width === 0 || box.height === 0 || style.visibility === "hidden" || opacity(el) < 0.05) continue;
    if (box.right <= 0 || box.left >= innerWidth || el.closest("[hidden], [aria-hidden=true], [inert]")) continue;
    if (inSentence(el)) continue;
    found.targets.push({ what: `${describe(el)} 「${(el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 12)}」`,
      width: box.width, height: box.height });
  }

  // The site's name in the header: every character laid out inside the header, none cut off.
  const name = document.querySelector(".md-header__topic .fed-site-name");
  if (name) {
    const header = document.querySelector(".md-header").getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(name);
    const rects = [...range.getClientRects()].filter((r) => r.width > 1);
    const lines = new Set(rects.map((r) => Math.round(r.top)));
    // A glyph's box is taller than its line (line-height 1.3): it may reach past the line box by
    // half the difference, no more.
    const line = parseFloat(getComputedStyle(name).lineHeight);
    const inside = rects.every((r) => {
      const slack = Math.max(0, (r.height - line) / 2) + 0.5;
      return r.top >= header.top - slack && r.bottom <= header.bottom + slack && r.right <= innerWidth + 0.5 && r.left >= -0.5;
    });
    found.name = {
      text: name.textContent.replace(/[\s\u2060]/g, ""),
      lines: lines.size,
      inside,
      cut: name.scrollWidth > name.clientWidth + 1 || getComputedStyle(name).textOverflow === "ellipsis" && name.scrollWidth > name.clientWidth,
    };
  }
  return found;
}
