"""The theme's frame around generated pages: rendered once per kind of page, then filled.

MkDocs puts every page through Material's `main.html`, which costs about 1.7 ms a page and
runs on one core: at 5,000 stories that alone is more than the whole bare-Material floor.
Most of that HTML is the same on every page: the header, the tabs, the footer, the
scripts. What differs is a handful of values (title, description, canonical address, edit
link, content) and two partials (the link-preview head tags and the table of contents).

So the frame of a kind of page is rendered once, through MkDocs and Material exactly as a
page would be, for a stand-in page whose per-page values are marks; the marks are then
the frame's slots. A page is its frame with its own values in the slots, and the two
partials rendered for it alone. Relative links in the frame depend on where the page
sits, so pages share a frame only when every link the theme makes comes out the same for
them (`Chrome.key`). `tests/test_chrome.py` builds the sample site both ways and compares
every file byte for byte; a frame that would print the stand-in's own address fails the
build instead of publishing a wrong link.

This module is MkDocs glue: the pipeline and the page writer (`emit.py`) do not import it.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import os
import posixpath
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.structure.toc import get_toc
from mkdocs.utils.templates import TemplateContext

from generator.adapter import internals
from generator.adapter.emit import Rendered
from generator.core.outputs import Page

# A slot in a frame: a private-use character on each side of its name. Jinja's escaping,
# `striptags` and URL handling leave these characters alone, and no text holds them.
_OPEN, _CLOSE = "\ue000", "\ue001"
_SLOT = re.compile(f"{_OPEN}([a-z_0-9]+)[^{_CLOSE}]*{_CLOSE}")
# The stand-in's folder names: a frame that prints one has printed the page's own address.
_STAND_IN = "fed-frame-page"
# Partials rendered per page and set into the frame whole.
_PARTIALS = {"toc": "partials/toc.html"}
_PARTIAL_TEMPLATE = '{{% import "partials/language.html" as lang with context %}}{{% include "{}" %}}'


def _mark(name: str, extra: str = "") -> str:
    return f"{_OPEN}{name}{extra}{_CLOSE}"


class GeneratedPage(MkDocsPage):
    """A page whose HTML the pipeline has already made: MkDocs reads and renders nothing."""

    def __init__(self, generated: Page, file: File, config: MkDocsConfig) -> None:
        super().__init__(generated.title, file, config)
        self.generated = generated

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown = ""
        # Material prints the description into an attribute unescaped; stories' text is editors'.
        description = str(escape(self.generated.description))
        self.meta = dict(self.generated.meta, title=self.generated.title, description=description)

    def render(self, config: MkDocsConfig, files: Files) -> None:
        # MkDocs would build a Markdown converter for every page; these pages need none.
        self.content = self.generated.html
        self.toc = get_toc(self.generated.toc)  # type: ignore[arg-type]
        self.present_anchor_ids = set()


def generated_file(config: MkDocsConfig, page: Page, root: Path) -> File:
    """The MkDocs file of a generated page, with its edit link pointing at the story's file."""
    file = File.generated(config, page.src_uri, content=page.html)
    if page.edit_path:
        # abspath, not resolve: no file system calls for each of thousands of pages.
        story_file = os.path.abspath(root / page.edit_path)
        file.edit_uri = Path(os.path.relpath(story_file, os.path.abspath(config.docs_dir))).as_posix()
    return file


@dataclass(frozen=True)
class FrameKey:
    """What decides a page's frame: pages with equal keys share one (`Chrome.key`)."""

    depth: int  # how many folders deep the page's address is
    shared: tuple[str, ...]  # its leading folders that are also leading folders of theme addresses
    template: str  # the theme template it is rendered with
    description: bool
    canonical: bool
    edit: bool
    heading: bool  # whether its content holds its own <h1> (Material then prints none)
    toc: bool
    meta: str  # its other front-matter values, which the theme may print


@dataclass(frozen=True)
class Frame:
    """A page's HTML with slots: literal text at even positions, slot names at odd ones."""

    parts: tuple[str, ...]

    @classmethod
    def parse(cls, html: str) -> Frame:
        """The frame of HTML holding slot marks."""
        parts: list[str] = []
        at = 0
        for slot in _SLOT.finditer(html):
            parts += [html[at : slot.start()], slot.group(1)]
            at = slot.end()
        parts.append(html[at:])
        return cls(tuple(parts))

    def fill(self, values: dict[str, str]) -> str:
        """The HTML with each slot holding its value."""
        out = list(self.parts)
        out[1::2] = [values[name] for name in self.parts[1::2]]
        return "".join(out)

    @functools.cached_property
    def digest(self) -> bytes:
        """A digest of the frame's text and slots."""
        return _digest(b"", self.parts)

    def made_from(self, values: dict[str, str]) -> bytes:
        """A digest of the frame and the values `fill` puts into it: equal digests, equal HTML."""
        return _digest(self.digest, [values[name] for name in self.parts[1::2]])


class Chrome:
    """Material's page around generated pages, for one build."""

    def __init__(
        self, config: MkDocsConfig, env: jinja2.Environment, nav: Navigation, files: Files, anchors: Iterable[str]
    ) -> None:
        self.config = config
        self.env = env
        self.nav = nav
        self.doc_files = files.documentation_pages()
        self.root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        # Every leading run of folders of an address the theme may link to (`anchors`: the
        # pages MkDocs renders, the static files, the problems page of a preview).
        self.prefixes = {tuple(parts[:n]) for parts in map(_parts, anchors) for n in range(len(parts) + 1)}
        self.frames: dict[FrameKey, Frame] = {}
        self.contexts: dict[FrameKey, TemplateContext] = {}
        self.toc_frames: dict[tuple[Any, ...], Frame] = {}
        self.scanned: set[FrameKey] = set()
        self.partials = {name: env.from_string(_PARTIAL_TEMPLATE.format(path)) for name, path in _PARTIALS.items()}

    def context(self, page: MkDocsPage, key: FrameKey | None = None) -> dict[str, Any]:
        """What MkDocs gives the template of `page` (see mkdocs.commands.build._build_page).

        Pages of one frame share all of it but the page itself (the relative addresses of the
        scripts and stylesheets among it), so with `key` it is made once for them."""
        base = self.contexts.get(key) if key is not None else None
        if base is None:
            base = internals.template_context(self.nav, self.doc_files, self.config, page)
            if key is not None:
                self.contexts[key] = base
        context = TemplateContext(**{**base, "page": page})
        return dict(self.config.plugins.on_page_context(context, page=page, config=self.config, nav=self.nav))

    def mkdocs_page(self, page: Page) -> GeneratedPage:
        """The page as MkDocs holds it: address, canonical and edit links, meta and content."""
        made = GeneratedPage(page, generated_file(self.config, page, self.root), self.config)
        made.read_source(self.config)
        made.render(self.config, Files([]))
        return made

    def full(self, made: GeneratedPage) -> str:
        """The page rendered whole by MkDocs and Material, as MkDocs' own page loop would."""
        made.active = True
        template = self.env.get_template(made.meta.get("template", "main.html"))
        return self.config.plugins.on_post_page(template.render(self.context(made)), page=made, config=self.config)

    def _framed(self, page: Page) -> tuple[GeneratedPage, FrameKey | None, Frame | None]:
        """The page as MkDocs holds it, with its frame and the frame's key; no frame for a page
        that takes the whole way: another kind of address (no use_directory_urls; a frame
        stands in with a folder's index page), or a plugin that reworks each page's HTML."""
        made = self.mkdocs_page(page)
        if not made.url.endswith("/") or self.config.plugins.events["post_page"]:
            return made, None, None
        key = self.key(made)
        frame = self.frames.get(key)
        if frame is None:
            frame = self.frames[key] = self.frame(key, made)
        return made, key, frame

    def identify(self, page: Page) -> tuple[str, int] | None:
        """Where the page goes, and a digest of everything its HTML is made from, frame
        included, without making it (None for a page rendered the whole way)."""
        made, _, frame = self._framed(page)
        if frame is None:
            return None
        made_from = (page.src_uri, page.url, page.html, page.title, page.description, page.edit_path)
        return made.file.dest_uri, hash((frame.parts, made_from, repr(page.meta), repr(page.toc)))

    def render(self, page: Page) -> Rendered:
        """Where the page is written under site_dir, and its HTML."""
        made, key, frame = self._framed(page)
        if key is None or frame is None:
            return Rendered(made.file.dest_uri, self.full(made), url="/" + made.url)
        # The frame's own text is read by the host check with the first page written in it.
        varying: tuple[str, ...] = ()
        if key not in self.scanned:
            self.scanned.add(key)
            varying = frame.parts[0::2]
        context = self.context(made, key)
        values = {
            "title": str(escape(page.title)),
            "rawtitle": page.title,
            "description": made.meta.get("description", ""),
            "canonical": made.canonical_url or "",
            "absurl": made.abs_url or "",
            "edit": made.edit_url or "",
            "content": page.html,
            "tocid": made.toc.items[0].id if made.toc.items else "",
        }
        values["head"] = context["fed_head"]  # made by the plugin's on_page_context
        values["toc"] = self.toc(made, context)
        # Titles and descriptions are escaped, addresses sit in links: only these can load.
        varying += (values["content"], values["head"], values["toc"])
        fill = functools.partial(frame.fill, values)
        return Rendered(made.file.dest_uri, "", varying, "/" + made.url, frame.made_from(values), fill)

    def toc(self, made: MkDocsPage, context: dict[str, Any]) -> str:
        """Material's table of contents of the page: a frame per shape of contents (how many
        headings, how nested), rendered once for a stand-in and filled with the headings."""
        items = list(made.toc.items)
        shape = _shape(items)
        frame = self.toc_frames.get(shape)
        if frame is None:
            numbered = iter(range(1_000_000))

            def tokens(shape: tuple[Any, ...]) -> list[dict[str, Any]]:
                made_tokens = []
                for level, children in shape:
                    n = next(numbered)
                    name, anchor = _mark(f"tt{n}"), _mark(f"ti{n}")
                    made_tokens.append({"level": level, "id": anchor, "name": name, "children": tokens(children)})
                return made_tokens

            stand_in = copy.copy(made)
            stand_in.toc = get_toc(tokens(shape))  # type: ignore[arg-type]
            html = self.partials["toc"].render(dict(context, page=stand_in))
            seen: dict[str, int] = {}

            def by_occurrence(slot: re.Match[str]) -> str:
                # A heading's title is printed as it is, then (for one with sub-headings)
                # as an attribute: each occurrence is its own slot.
                count = seen[slot.group(1)] = seen.get(slot.group(1), -1) + 1
                return _mark(f"{slot.group(1)}_{count}")

            frame = self.toc_frames[shape] = Frame.parse(_SLOT.sub(by_occurrence, html))
        values: dict[str, str] = {}
        for n, item in enumerate(_preorder(items)):
            values[f"tt{n}_0"], values[f"ti{n}_0"] = item.title, item.id
            values[f"tt{n}_1"] = str(escape(Markup(item.title).striptags()))
        return frame.fill(values)

    def key(self, made: MkDocsPage) -> FrameKey:
        """What decides a page's frame: its place relative to every address the theme links to,
        and which optional parts it has."""
        parts = _parts(made.url)
        # The relative link from this page to an address depends only on the page's depth
        # and on how many leading folders it shares with that address.
        shared = 0
        while shared < len(parts) and tuple(parts[: shared + 1]) in self.prefixes:
            shared += 1
        meta = {k: v for k, v in made.meta.items() if k not in ("title", "description", "share")}
        return FrameKey(
            depth=len(parts),
            shared=tuple(parts[:shared]),
            template=made.meta.get("template", "main.html"),
            description=bool(made.meta.get("description")),
            canonical=made.canonical_url is not None,
            edit=made.edit_url is not None,
            heading="<h1" in (made.content or ""),
            toc=bool(made.toc.items),
            meta=repr(sorted(meta.items())),
        )

    def frame(self, key: FrameKey, real: GeneratedPage) -> Frame:
        """Render the frame for pages of `key`, from a stand-in page holding marks."""
        depth, shared = key.depth, key.shared
        folder = "/".join(list(shared) + [_STAND_IN] * (depth - len(shared)))
        generated = real.generated
        stand_in = Page(
            src_uri=posixpath.join(folder, "index.md"),
            url=f"/{folder}/",
            title=_mark("rawtitle"),
            # Material writes the title as a heading unless the content holds one.
            html=_mark("content", "<h1" if "<h1" in generated.html else ""),
            description=_mark("description") if generated.description else "",
            toc=[{"level": 2, "id": _mark("tocid"), "name": "", "children": []}] if generated.toc else [],
            meta={k: v for k, v in generated.meta.items() if k != "share"},
        )
        made = self.mkdocs_page(stand_in)
        made.meta["title"] = _mark("title")
        made.canonical_url = _mark("canonical") if real.canonical_url is not None else None
        made.abs_url = _mark("absurl") if real.abs_url is not None else None
        made.edit_url = _mark("edit") if real.edit_url is not None else None
        made.active = True
        context = self.context(made)
        context["fed_head"] = _mark("head")
        html = self.env.get_template(made.meta.get("template", "main.html")).render(context)
        for name, template in self.partials.items():
            own = template.render(context)
            if html.count(own) != 1:
                raise ValueError(f"主题模板中找不到唯一的 {_PARTIALS[name]} 输出，无法生成页面框架。")
            html = html.replace(own, _mark(name))
        if _STAND_IN in html:
            raise ValueError(f"主题模板输出了页面自身的地址（{folder}），无法共用页面框架。")
        return Frame.parse(html)


def _digest(start: bytes, texts: Iterable[str]) -> bytes:
    """A digest of `start` and `texts` in order, each with its length (no two lists alike)."""
    digest = hashlib.blake2b(start, digest_size=16)
    for text in texts:
        data = text.encode("utf-8", errors="surrogatepass")
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.digest()


def _shape(items: Iterable[Any]) -> tuple[Any, ...]:
    """The levels and nesting of headings, without their text."""
    return tuple((item.level, _shape(item.children)) for item in items)


def _preorder(items: Iterable[Any]) -> Iterator[Any]:
    for item in items:
        yield item
        yield from _preorder(item.children)


def _parts(url: str) -> list[str]:
    return [part for part in url.split("/") if part]
