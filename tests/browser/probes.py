"""What the browser tests look for in an open page; each probe returns the problems it found."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page

TAP = 44  # CSS pixels, WCAG 2.5.5
BLOCKING_IMPACTS = ("serious", "critical")

_OVERFLOW = """() => {
  const root = document.scrollingElement || document.documentElement;
  return [root.scrollWidth, root.clientWidth];
}"""

# Links inside a sentence are exempt from the tap-target size (WCAG 2.5.5); anything else a
# finger can tap and that is on screen is measured. The closed drawer sits off-canvas.
_TAP_TARGETS = """(min) => {
  const describe = (el) => el.tagName.toLowerCase() + (el.className && typeof el.className === "string"
    ? "." + el.className.trim().split(/\\s+/).join(".") : "") + " 「" + (el.innerText || el.value || el.getAttribute("aria-label") || "").trim().slice(0, 20) + "」";
  const inSentence = (el) => {
    if (getComputedStyle(el).display !== "inline") return false;
    let block = el.parentElement;
    while (block && getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
    return block !== null && block.textContent.trim() !== el.textContent.trim();
  };
  // A field wrapped in its label is tapped through the label; a label whose field is on
  // screen is a caption, while Material's labels for hidden checkboxes are the buttons.
  const target = (el) => (el.matches("input, select, textarea") && el.closest("label")) || el;
  const caption = (el) => el.matches("label[for]") && el.control && el.control.getBoundingClientRect().width > 0;
  const found = [];
  for (const control of document.querySelectorAll("a[href], button, input:not([type=hidden]), select, textarea, summary, label[for]")) {
    if (caption(control)) continue;
    const el = target(control);
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width === 0 || box.height === 0 || style.visibility === "hidden" || style.opacity === "0") continue;
    if (box.right <= 0 || box.left >= innerWidth || el.closest("[hidden], [aria-hidden=true], [inert]")) continue;
    if (inSentence(el)) continue;
    if (box.width < min - 0.5 || box.height < min - 0.5) {
      found.push(`${describe(el)} is ${Math.round(box.width)}×${Math.round(box.height)} px`);
    }
  }
  return found;
}"""

_EAGER_BELOW_FOLD = """() => [...document.images]
  .filter((img) => img.getBoundingClientRect().top >= innerHeight && img.loading !== "lazy")
  .map((img) => img.getAttribute("src"))"""

_BADGES_WITHOUT_WORD = """() => {
  const found = [];
  for (const badge of document.querySelectorAll(".fed-badge")) {
    if (!badge.innerText.trim()) found.push(badge.outerHTML.slice(0, 100));
  }
  for (const verdict of document.querySelectorAll("[data-verdict]:not(.fed-badge)")) {
    // A badge, or the verdict banner's large word, carries the verdict in words.
    const word = verdict.querySelector(".fed-badge, .fed-verdict-banner__word");
    if (!word || !word.innerText.trim()) found.push(verdict.outerHTML.slice(0, 100));
  }
  return found;
}"""

# Every block of text in the article is laid out, inside the screen's width, and on top
# (nothing covers it) once scrolled to the middle of the screen.
_UNREADABLE_BLOCKS = """(selector) => {
  const found = [];
  const blocks = document.querySelectorAll(selector);
  for (const block of blocks) {
    if (!block.textContent.trim()) continue;
    block.scrollIntoView({block: "center"});
    const box = block.getBoundingClientRect();
    const text = block.textContent.trim().slice(0, 24);
    if (box.width === 0 || box.height === 0) { found.push(`「${text}」 is not laid out`); continue; }
    if (box.left < -0.5 || box.right > innerWidth + 0.5) { found.push(`「${text}」 runs off the screen`); continue; }
    const x = box.left + Math.min(8, box.width / 2), y = box.top + Math.min(8, box.height / 2);
    const hit = document.elementFromPoint(x, y);
    if (!hit || !(block === hit || block.contains(hit) || hit.contains(block))) {
      found.push(`「${text}」 is covered by ${hit ? hit.tagName.toLowerCase() + "." + hit.className : "nothing"}`);
    }
    if (getComputedStyle(block).color === getComputedStyle(block).backgroundColor) found.push(`「${text}」 is invisible`);
  }
  window.scrollTo(0, 0);
  return found;
}"""

_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
  }));
}"""


def horizontal_overflow(page: Page) -> list[str]:
    """The page is wider than the screen, so the reader has to scroll sideways."""
    scroll_width, client_width = page.evaluate(_OVERFLOW)
    if scroll_width > client_width:
        return [f"scrolls sideways: {scroll_width} px of content in {client_width} px"]
    return []


def small_tap_targets(page: Page) -> list[str]:
    """Buttons and links (outside sentences) smaller than a fingertip."""
    found: list[str] = page.evaluate(_TAP_TARGETS, TAP)
    return [f"tap target under {TAP} px: {item}" for item in found]


def eager_images_below_fold(page: Page) -> list[str]:
    """Pictures below the first screen that load before the reader scrolls to them."""
    found: list[str] = page.evaluate(_EAGER_BELOW_FOLD)
    return [f"picture below the fold without loading=lazy: {src}" for src in found]


def colour_only_badges(page: Page) -> list[str]:
    """A verdict or status shown without a word."""
    found: list[str] = page.evaluate(_BADGES_WITHOUT_WORD)
    return [f"verdict or status without a word: {html}" for html in found]


TEXT_BLOCKS = ":is(p, li, h1, h2, h3, dt, dd, figcaption, blockquote, td, th)"


def unreadable_blocks(page: Page, selector: str) -> list[str]:
    """Blocks of text matching `selector` (see TEXT_BLOCKS) that a reader could not read."""
    found: list[str] = page.evaluate(_UNREADABLE_BLOCKS, selector)
    return found


def axe_violations(page: Page, script: Path) -> list[dict[str, Any]]:
    """axe-core's violations of the page as it is now."""
    page.add_script_tag(path=str(script))
    violations: list[dict[str, Any]] = page.evaluate(_AXE)
    return violations


def blocking(violations: list[dict[str, Any]]) -> list[str]:
    """The serious and critical violations, one line each."""
    return [
        f"axe {v['impact']}: {v['id']} ({v['help']}) at {', '.join(v['targets'])}"
        for v in violations
        if v["impact"] in BLOCKING_IMPACTS
    ]
