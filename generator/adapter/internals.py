"""The parts of MkDocs and Material the frames rely on beyond their documented plugin API, in
one place: an upgrade of either reads this list (README, "Upgrading MkDocs or Material").

Checked against MkDocs 1.6.1 and Material 9.8 (`VERIFIED`); tests/test_chrome.py builds the
sites both ways (frames, and every page through MkDocs' own loop) and compares every file
byte for byte, and fails on a version not verified.

MkDocs 1.6.1:
- `mkdocs.commands.build.get_context`: the template context of a page, undocumented
  (`template_context`).
- `mkdocs.structure.pages.Page.__init__` sets `file.page` to the new page, so a page made
  in `on_files` is the one MkDocs renders (`attach`); `Page.read_source` and `Page.render`
  are overridden by `chrome.GeneratedPage`, which hands over HTML already made.
- `PluginCollection.events`: the handlers registered for each event, read to know whether
  any plugin but ours works on pages (`page_handlers`).
- `File.generated` for a file whose content is given; `TemplateContext` as the context type.
- The staged `mkdocs build` (plugin.FederationPlugin._stage, _publish): `build()` runs
  `on_config` before it reads or cleans `site_dir`, and strict mode's only check after
  `on_post_build` is its count of warnings, which the plugin makes first with MkDocs' own
  `mkdocs.utils.CountHandler`.
- Pages written by `emit.py` outside MkDocs' loop see `on_page_context` (chrome.Chrome.context)
  and `on_post_page` (a page then goes the whole way, `Chrome.full`), never `on_pre_page`,
  `on_page_read_source`, `on_page_markdown` or `on_page_content` (`UNSEEN_EVENTS`): a plugin
  with one of these turns the frames off for the build (`plugin.FederationPlugin.on_config`).

Material 9.8:
- `main.html` renders `partials/toc.html` exactly once, importing `partials/language.html`
  as `lang` (chrome._PARTIALS, chrome._PARTIAL_TEMPLATE); the page's own address appears in
  it only through the values the frame fills (chrome checks: a frame printing the stand-in's
  folder stops the build).
- Its scripts fetch from unpkg.com (ResizeObserver polyfill, mermaid) from
  `assets/javascripts/bundle.*.min.js`: publish/themejs.py points them at the site's copies.
- Its search plugin is not used (the site has its own, render/search.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.utils.templates import TemplateContext

# The versions this list was checked against: "major.minor" of each distribution.
VERIFIED = {"mkdocs": "1.6", "mkdocs-material": "9.8"}
# Page events a page written outside MkDocs' own loop never sees.
UNSEEN_EVENTS = ("pre_page", "page_read_source", "page_markdown", "page_content")


def template_context(nav: Navigation, files: Sequence[File], config: MkDocsConfig, page: MkDocsPage) -> TemplateContext:
    """What MkDocs gives the template of `page` (mkdocs.commands.build._build_page does the same)."""
    from mkdocs.commands.build import get_context  # the module loads MkDocs' whole build

    return get_context(nav, files, config, page)


def attach(page: MkDocsPage, file: File) -> None:
    """Make sure `file` is rendered as `page` (Page.__init__ has set it already)."""
    assert file.page is page, "MkDocs' Page.__init__ no longer sets file.page: see generator/adapter/internals.py"


def page_handlers(config: MkDocsConfig, events: tuple[str, ...], ours: object) -> list[tuple[str, str]]:
    """(event, plugin name) for each handler of `events` registered by a plugin other than `ours`."""
    names = {id(plugin): name for name, plugin in config.plugins.items()}
    found = []
    for event in events:
        for handler in config.plugins.events.get(event, []):
            owner = _owner(handler)
            if owner is not ours:
                found.append((event, names.get(id(owner), getattr(handler, "__module__", "") or "?")))
    return found


def _owner(handler: Callable[..., Any]) -> object:
    return getattr(handler, "__self__", None)
