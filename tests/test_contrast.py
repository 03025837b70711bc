"""Contrast of the theme's colours (WCAG 2.x), read from the stylesheets the site ships.

Every pair of text colour and background the pages use is at least AA (4.5:1); in the
large-text (大字) mode, content text is at least AAA (7:1) and never lower than by default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

STYLESHEETS = ROOT / "site_src" / "assets" / "stylesheets"
VERDICTS = ROOT / "generator" / "vocabularies" / "verdicts.yaml"
AA, AAA = 4.5, 7.0
WHITE = "#ffffff"

Colour = tuple[float, float, float, float]


@dataclass(frozen=True)
class Rule:
    """One CSS rule: its selectors and declarations."""

    selectors: tuple[str, ...]
    declarations: dict[str, str]


def rules(css: str) -> list[Rule]:
    """The innermost rules of a stylesheet (those inside @media included)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found = []
    for selector_text, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        selectors = tuple(" ".join(s.split()) for s in selector_text.split(","))
        declarations = {}
        for declaration in body.split(";"):
            name, colon, value = declaration.partition(":")
            if colon:
                declarations[name.strip()] = " ".join(value.split())
        found.append(Rule(selectors, declarations))
    return found


def material_stylesheet() -> str:
    """Material's own main stylesheet, as installed (its default colours are declared there)."""
    folder = resources.files("material") / "templates" / "assets" / "stylesheets"
    (main,) = [f for f in folder.iterdir() if re.fullmatch(r"main\.[0-9a-f]+\.min\.css", f.name)]
    return main.read_text("utf-8")


def variables(sheet: list[Rule], selector: str) -> dict[str, str]:
    """Custom properties declared by the rules that name `selector`."""
    found: dict[str, str] = {}
    for rule in sheet:
        if selector in rule.selectors:
            found.update({k: v for k, v in rule.declarations.items() if k.startswith("--")})
    return found


OURS = rules((STYLESHEETS / "federation.css").read_text("utf-8")) + rules(
    (STYLESHEETS / "reader.css").read_text("utf-8")
)
MATERIAL = rules(material_stylesheet())
DEFAULT = {
    **variables(MATERIAL, ":root"),
    **variables(MATERIAL, "[data-md-color-scheme=default]"),
    **variables(OURS, ":root"),
}
LARGE = {**DEFAULT, **variables(OURS, ".fed-large")}
CONTRAST = {**DEFAULT, **variables(OURS, ".fed-contrast")}
MODES = {"default": DEFAULT, "large": LARGE}  # high contrast: test_high_contrast_is_aaa_everywhere


def resolve(value: str, palette: dict[str, str]) -> str:
    """A value with its `var(--name, fallback)` references replaced."""
    pattern = re.compile(r"var\((--[\w-]+)(?:,\s*([^()]*))?\)")
    for _ in range(10):
        replaced = pattern.sub(lambda m: palette.get(m.group(1), m.group(2) or m.group(0)), value)
        if replaced == value:
            break
        value = replaced
    return value.strip()


def rgba(value: str) -> Colour:
    """A CSS colour (#rgb, #rrggbb, #rrggbbaa, rgb(), rgba()) as 0–1 channels and alpha."""
    if value.startswith("#"):
        digits = value[1:]
        if len(digits) in (3, 4):
            digits = "".join(d * 2 for d in digits)
        channels = [int(digits[i : i + 2], 16) / 255 for i in range(0, len(digits), 2)]
        return (channels[0], channels[1], channels[2], channels[3] if len(channels) == 4 else 1.0)
    match = re.fullmatch(r"rgba?\(([^)]*)\)", value)
    assert match, f"not a colour this test reads: {value}"
    parts = [p.strip() for p in re.split(r"[,\s/]+", match.group(1)) if p.strip()]
    alpha = float(parts[3].rstrip("%")) / (100 if parts[3].endswith("%") else 1) if len(parts) > 3 else 1.0
    return (int(parts[0]) / 255, int(parts[1]) / 255, int(parts[2]) / 255, alpha)


def over(top: Colour, below: Colour) -> Colour:
    """`top` painted over an opaque `below`."""
    a = top[3]
    return (top[0] * a + below[0] * (1 - a), top[1] * a + below[1] * (1 - a), top[2] * a + below[2] * (1 - a), 1.0)


def luminance(colour: Colour) -> float:
    """WCAG relative luminance."""

    def linear(channel: float) -> float:
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    r, g, b, _ = colour
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast(text: str, layers: tuple[str, ...], palette: dict[str, str]) -> float:
    """Contrast of `text` on the background made by `layers`, bottom first, over white."""
    background = rgba(WHITE)
    for layer in layers:
        background = over(rgba(resolve(layer, palette)), background)
    foreground = over(rgba(resolve(text, palette)), background)
    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def badge_colour(tone: str) -> str:
    """The text colour of the badge of a tone, from its `.fed-badge--tone` rule."""
    for rule in OURS:
        if f".fed-badge--{tone}" in rule.selectors and "color" in rule.declarations:
            return rule.declarations["color"]
    raise AssertionError(f"no .fed-badge--{tone} rule gives the badge a colour")


PAGE = (WHITE,)
BOXES = {
    "page": PAGE,
    "claim box": ("var(--fed-claim-bg)",),
    "notice": ("var(--fed-notice-bg)",),
    "draft notice": ("var(--fed-draft-bg)",),
}
TONES = sorted({str(v["tone"]) for v in yaml.safe_load(VERDICTS.read_text("utf-8"))} | {"muted", "draft"})

# (what, text colour, background layers, content text held to AAA in large mode)
PAIRS: list[tuple[str, str, tuple[str, ...], bool]] = [
    *[(f"body text on {name}", "var(--md-typeset-color)", bg, True) for name, bg in BOXES.items()],
    *[(f"muted text on {name}", "var(--fed-muted)", bg, True) for name, bg in BOXES.items()],
    *[(f"link on {name}", "var(--md-typeset-a-color)", bg, True) for name, bg in BOXES.items()],
    ("link under the pointer", "var(--md-accent-fg-color)", PAGE, True),
    ("secondary text (Material's light grey)", "var(--md-default-fg-color--light)", PAGE, True),
    *[(f"{tone} badge on {name}", badge_colour(tone), bg, True) for tone in TONES for name, bg in BOXES.items()],
    ("header and tabs", "var(--md-primary-bg-color)", ("var(--md-primary-fg-color)",), False),
    ("hotline bar and card", WHITE, ("var(--md-primary-fg-color--dark)",), False),
    ("footer links", "var(--md-footer-fg-color)", ("var(--md-footer-bg-color)",), False),
    (
        "footer organisation lines",
        "var(--md-footer-fg-color--lighter)",
        ("var(--md-footer-bg-color)", "var(--md-footer-bg-color--dark)"),
        False,
    ),
]


@pytest.mark.parametrize("mode", sorted(MODES))
@pytest.mark.parametrize(("what", "text", "layers", "content"), PAIRS, ids=[p[0] for p in PAIRS])
def test_text_meets_wcag_aa(mode: str, what: str, text: str, layers: tuple[str, ...], content: bool) -> None:
    ratio = contrast(text, layers, MODES[mode])
    assert ratio >= AA, f"{what} ({mode}): {ratio:.2f}:1, needs {AA}:1"


@pytest.mark.parametrize(("what", "text", "layers"), [p[:3] for p in PAIRS if p[3]], ids=[p[0] for p in PAIRS if p[3]])
def test_large_mode_raises_contrast(what: str, text: str, layers: tuple[str, ...]) -> None:
    default, large = contrast(text, layers, DEFAULT), contrast(text, layers, LARGE)
    assert large >= max(default, AAA), f"{what}: {large:.2f}:1 in large mode, {default:.2f}:1 by default"


def test_the_contrast_arithmetic() -> None:
    # Known values: black on white is 21:1, #767676 on white the AA threshold.
    assert contrast("#000000", PAGE, {}) == pytest.approx(21.0)
    assert contrast("#767676", PAGE, {}) == pytest.approx(4.54, abs=0.01)
    assert contrast("#00000080", PAGE, {}) == pytest.approx(contrast("#7f7f7f", PAGE, {}), abs=0.01)


def test_every_verdict_tone_has_a_badge_colour_and_a_word() -> None:
    for verdict in yaml.safe_load(VERDICTS.read_text("utf-8")):
        assert verdict["label"] and verdict["icon"], f"verdict {verdict['code']} needs a word and an icon"
        assert resolve(badge_colour(str(verdict["tone"])), DEFAULT).startswith("#")


def test_the_stylesheets_name_no_web_font() -> None:
    for sheet in sorted(STYLESHEETS.glob("*.css")):
        css = sheet.read_text("utf-8")
        assert "@font-face" not in css and "@import" not in css, f"{Path(sheet).name} loads a font or sheet"
    family = DEFAULT["--md-text-font-family"]
    for font in ("PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC"):
        assert font in family, f"the system CJK font stack lacks {font}"


@pytest.mark.parametrize(("what", "text", "layers"), [p[:3] for p in PAIRS], ids=[p[0] for p in PAIRS])
def test_high_contrast_is_aaa_everywhere(what: str, text: str, layers: tuple[str, ...]) -> None:
    # The page itself is black there: the white of a plain page is the scheme's background.
    layers = tuple("var(--md-default-bg-color)" if layer == WHITE else layer for layer in layers)
    ratio = contrast(text, layers, CONTRAST)
    assert ratio >= AAA, f"{what} in high contrast: {ratio:.2f}:1, needs {AAA}:1"


def test_the_brand_red_is_aaa_as_text_on_white() -> None:
    for name in ("--md-primary-fg-color", "--md-typeset-a-color"):
        ratio = contrast(f"var({name})", PAGE, DEFAULT)
        assert ratio >= AAA, f"{name} on white: {ratio:.2f}:1"
    assert contrast("var(--md-primary-bg-color)", ("var(--md-primary-fg-color)",), DEFAULT) >= AAA
