"""The MkDocs face: a thin adapter that hands the pipeline's pages and files to MkDocs."""

from __future__ import annotations

import contextlib
import logging
import posixpath
import shutil
from collections.abc import Iterator
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any, Literal

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, get_files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.utils import CountHandler
from mkdocs.utils.templates import TemplateContext

from generator import pipeline
from generator.adapter import emit, internals
from generator.adapter.chrome import Chrome, GeneratedPage, generated_file
from generator.content import official
from generator.content.problems import CHECK_FAILED, report
from generator.core import addresses, settings, workers
from generator.core.outputs import Page, Site
from generator.publish import cachesweep
from generator.publish import staging as publish
from generator.render import cms, govmeta, search, share, stored, templating

log = logging.getLogger("mkdocs.plugins.federation")


class FederationConfig(base.Config):
    """Options of the `federation` plugin in mkdocs.yml."""

    stories_dir = c.Type(str, default="stories")
    """Folder of the stories, relative to mkdocs.yml."""

    review_period_days = c.Type(int, default=30)
    """Days after `reviewed` when a knowledge story is due for review, unless it sets `review_due`."""

    page_size = c.Type(int, default=20)
    """Stories per listing page."""

    home_latest = c.Type(int, default=5)
    """Stories of each section on the home page."""

    cache_dir = c.Type(str, default=".cache")
    """Folder where made pictures, cards, posters and audio are kept between builds, relative to mkdocs.yml."""

    read_aloud = c.Type(bool, default=True)
    """Make each story's read-aloud audio at build time (espeak-ng; generator/speech.py)."""

    production = c.Type(bool, default=False)
    """Refuse the placeholders of mkdocs.yml's `extra` (generator/official.py); else one warning names them."""

    review_levels = c.ListOfItems(c.Type(str), default=[])
    """The review levels (三审) every published story is signed at, e.g. `[编辑, 初审, 复审, 终审]`;
    empty (the default): no signatures required (content/reviewlevels.py)."""

    report_by_commit = c.Type(bool, default=True)
    """Count the district report (/districts/) by each story's first commit in git; `false`, or
    outside git, by its `date`."""

    frames = c.Type(bool, default=True)
    """Fill the theme's frame, rendered once per kind of page, with each generated page (chrome.py);
    `false` puts every page through MkDocs' own page loop: the same files, made more slowly. A
    plugin that works on pages MkDocs' loop alone would show it (on_page_markdown, on_page_content …)
    turns the frames off by itself."""


class FederationPlugin(BasePlugin[FederationConfig]):
    """Generates the story pages, listings, home page and redirects from `stories/`."""

    def __init__(self) -> None:
        self.serving = False
        # Kept across rebuilds under `serve` (the plugin has on_startup), so unchanged
        # files are not parsed and unchanged bodies not rendered again.
        self.cache = pipeline.Cache()
        self.site = Site()
        self.emitted: list[Page] = []
        # The pages emit.py wrote last time, for a preview's rebuild to skip or delete them.
        self.written: list[emit.Written] = []
        self.writing: workers.Running[emit.Written] | None = None
        self.background: workers.Background[list[emit.Written]] | None = None
        # A plain `mkdocs build` (or gh-deploy) builds beside the live site and swaps it in
        # at the end of on_post_build, as `generator build` does, so a failed build leaves
        # the site whole.
        self.staging = False
        self.live: Path | None = None
        self.staging_dir: Path | None = None
        self.warnings: CountHandler | None = None  # strict mode's warnings, counted as MkDocs counts them
        self.holding = contextlib.ExitStack()
        self.framed = True  # whether generated pages are filled into frames (on_config decides)
        self.earlier: emit.Earlier | None = None  # the last full build's files, which this one may link

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.serving = command == "serve"
        # MkDocs' command line (and scripts that follow it) call on_startup before a build;
        # `generator build` stages itself (its site_dir is already a staging folder), and a
        # dirty build keeps its folder on purpose.
        self.staging = not self.serving and not dirty

    @event_priority(100)  # first: the staging folder is set before any other plugin reads site_dir
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        options: dict[str, Any] = dict(self.config)
        options.update(docs_dir=config.docs_dir, site_name=config.site_name, site_url=config.site_url or "")
        self.settings = settings.from_options(root, options, include_drafts=self.serving)
        trouble = addresses.site_dir_trouble(
            Path(config.site_dir), root, self.settings.stories_dir, self.settings.docs_dir
        )
        if trouble:  # refused before MkDocs empties site_dir
            raise PluginError(
                f"不能构建：{trouble}；构建会清空这个文件夹。请换一个输出文件夹（-d 或 site_dir），例如 site/。"
            )
        if self.staging and not publish.is_staging(Path(config.site_dir)):
            self._stage(config)
        templating.environment().bytecode_cache = templating.compiled_templates(root)
        self.framed = self.config.frames
        others = internals.page_handlers(config, internals.UNSEEN_EVENTS, self)
        if self.framed and others:
            # Pages written outside MkDocs' loop would miss these handlers: all go through it.
            self.framed = False
            named = "、".join(sorted({f"{plugin}（on_{event}）" for event, plugin in others}))
            log.info(f"插件 {named} 要处理每个页面：所有页面改由 MkDocs 逐页生成（不用页面框架），构建会慢一些。")
        if self.serving:
            config.watch.append(str(self.settings.stories_dir))
        return config

    def _stage(self, config: MkDocsConfig) -> None:
        """Point MkDocs at a staging folder beside the live site, holding the build lock."""
        live = Path(config.site_dir).resolve()
        live.parent.mkdir(parents=True, exist_ok=True)
        self.holding.close()
        try:
            self.holding.enter_context(publish.lock(live))
        except publish.BusyError:
            raise PluginError(f"另一个构建正在写入 {live}：请等它结束后再试。原网站保持不变。") from None
        self.live = live
        self.staging_dir = publish.stage(live)
        config.site_dir = str(self.staging_dir)
        if config.strict:
            self.warnings = CountHandler(level=logging.WARNING)
            logging.getLogger("mkdocs").addHandler(self.warnings)

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # Runs before MkDocs cleans site_dir, so bad content leaves the old site alone.
        reserved = pipeline.hand_written_addresses(Path(config.docs_dir))
        defer = not self.serving and self.framed
        # The hand-written pages and files, so that no generated file lands on one of them.
        taken = [(f.dest_uri, addresses.Source(f"{Path(config.docs_dir).name}/{f.src_uri}")) for f in get_files(config)]
        outcome, site = pipeline.build(
            self.settings, self.cache, reserved, preview=self.serving, defer=defer, taken=taken
        )
        # mkdocs.yml's own placeholders (the footer, the contacts): refused in production.
        config_file = Path(config.config_file_path or "mkdocs.yml")
        check_config = official.problems if self.config.production else official.reminder
        refused = check_config(config_file, Path(config.docs_dir), self.settings.display(config_file))
        outcome.problems.extend(refused)
        if any(p.is_error for p in refused):
            site = None
        config.extra["fed_preview_errors"] = sum(1 for p in outcome.problems if p.is_error)
        lines = report(outcome.problems).splitlines()
        for line in lines if outcome.problems else []:
            log.log(logging.INFO if outcome.ok else logging.ERROR, line)
        if site is None:
            raise PluginError(CHECK_FAILED)
        self.site = site
        self.earlier = None if self.serving else _earlier(self.settings, Path(config.site_dir))
        if site.later:  # forked now, so it works while the rest of the build goes on
            options = emit.Options(
                Path(config.site_dir), None, self.settings, not self.serving, {}, earlier=self.earlier
            )
            self.background = workers.Background(partial(emit.write_later, site.later, options))

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        # Pages in the navigation go through MkDocs (its navigation needs their files); the
        # thousands of others, and the generated files, are written by emit.py, on every
        # core, while MkDocs writes its own (from on_env to on_post_build).
        in_nav = set(_nav_sources(config.nav)) if config.nav is not None else {"index.md"}
        self.emitted = []
        for page in self.site.pages:
            if page.src_uri in in_nav or not self.framed:
                file = generated_file(config, page, self.settings.root)
                files.append(file)
                internals.attach(GeneratedPage(page, file, config), file)  # so MkDocs uses it as it is
            else:
                self.emitted.append(page)
        # The web editor's form, made from the sections table (docs/web-editor.md).
        stories = cms.stories_folder(self.settings.root, self.settings.stories_dir)
        editor = cms.editor_config_yaml(stories, config.extra.get("editor"), self.settings.review_levels)
        files.append(File.generated(config, cms.CONFIG_URI, content=editor))
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        self.columns = govmeta.columns(nav.items)
        self.gov_site = govmeta.Site.from_extra(config.site_name, config.site_url or "", config.extra)
        return nav

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        # MkDocs makes a new environment for every build, and each worker would compile the
        # theme's templates again: keep them compiled, as Python keeps __pycache__.
        env.bytecode_cache = templating.compiled_templates(self.settings.root)
        # What the header's search form offers when an answer is empty (partials/fed-search.html).
        env.globals["search_browse"] = search.browse_links()
        # Everything the pages' frame needs is known now, and site_dir is clean.
        self.files = files
        chrome = Chrome(config, env, self.nav, files, self._anchors(files))
        identify = chrome.identify if self.serving else None  # only a preview's rebuild skips pages
        previous = {w.dest: w.digest for w in self.written}
        make_page = partial(self.cache.story_page, settings=self.settings)
        options = emit.Options(
            Path(config.site_dir),
            chrome.render,
            self.settings,
            not self.serving,
            previous,
            identify,
            make_page,
            self.earlier,
        )
        # Every file, those made in a cache (cards, posters) too: emit.py links those in.
        self.writing = emit.start(self.emitted, self.site.stories, self.site.assets, options)
        if self.background is not None:
            self.background.release()  # MkDocs has emptied site_dir: the background may write
        return env

    def _anchors(self, files: Files) -> list[str]:
        """Every address the theme may link to: MkDocs' pages and static files, the files the
        pipeline makes (but not pictures inside a story's own folder) and the problems page."""
        folders = {p.url.strip("/") for p in self.emitted} | {s.url.strip("/") for s, _ in self.site.stories}
        made = [a.src_uri for a in self.site.assets if posixpath.dirname(a.src_uri) not in folders]
        return (
            [f.url for f in files]
            + made
            + [addresses.PROBLEMS_URL.strip("/") + "/", addresses.TODO_URL.strip("/") + "/"]
        )

    def on_page_context(
        self, context: TemplateContext, *, page: MkDocsPage, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        meta = page.meta or {}
        head = self._head(meta.get("share") or {}, meta.get("title") or page.title or "", page, config)
        context["fed_head"] = head  # type: ignore[typeddict-unknown-key]  # read by main.html
        return context

    def on_template_context(
        self, context: TemplateContext, *, template_name: str, config: MkDocsConfig
    ) -> TemplateContext:
        context["fed_head"] = self._head({}, "", None, config)  # type: ignore[typeddict-unknown-key]  # the 404 page
        return context

    def _head(self, share_meta: dict[str, Any], title: str, page: MkDocsPage | None, config: MkDocsConfig) -> str:
        description = str((page.meta or {}).get("description") or "") if page is not None else ""
        canonical = page.canonical_url if page is not None else None
        # The government-site metadata (govmeta.py); the 404 page belongs to no column.
        column = govmeta.column_of(page.url, self.columns, config.site_name) if page is not None else ""
        gov = govmeta.head_tags(
            self.gov_site,
            column,
            str(share_meta.get("title") or title or config.site_name),
            str(share_meta.get("description") or description or config.site_description or ""),
            share_meta,
        )
        return gov + share.head_html(
            share_meta,
            title,
            description,
            canonical,
            config.site_name,
            config.site_url or "",
            config.site_description or "",
        )

    @event_priority(-100)  # last: after every other plugin has written its files
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        site_dir = Path(config.site_dir)
        assert self.writing is not None  # started in on_env
        written, self.writing = self.writing.results(), None
        if self.background is not None:
            written += self.background.result()
            self.background = None
        if self.serving:
            emit.remove_gone(site_dir, self.written, written)
        self.written = written
        cache_used = self.site.cache_used
        self.emitted, self.site = [], Site()  # not held through the preview's idle time
        rendered = [("/" + f.page.url if f.page else "/", _lastmod(f.page)) for f in self.files.documentation_pages()]
        framed = [(w.url, w.lastmod) for w in written if w.url]
        sitemaps = emit.write_sitemap(site_dir, [*rendered, *framed], self.settings, self.settings.today)
        problems = pipeline.foreign_load_problems((load for w in written for load in w.loads), site_dir, self.settings)
        # What MkDocs wrote: its pages and static files, its theme's templates, and our sitemap.
        theirs = [f.dest_uri for f in self.files] + list(config.theme.static_templates) + sitemaps
        problems += pipeline.after_build(site_dir, self.settings, [site_dir / name for name in dict.fromkeys(theirs)])
        for problem in problems:
            log.error(str(problem))
        if any(p.is_error for p in problems):
            raise PluginError(CHECK_FAILED)
        if not self.serving:  # a full build: the made files it did not use go
            cachesweep.sweep(self.settings, cache_used)
        kept = {w.dest: w.kept for w in written if w.kept is not None}
        if self.live is not None:
            if self._publish(config):
                _keep_written(self.settings, Path(config.site_dir), kept)
        elif not self.serving:  # `generator build` swaps its staging folder in once this returns
            _keep_written(self.settings, publish.live_of(site_dir) if publish.is_staging(site_dir) else site_dir, kept)

    def _publish(self, config: MkDocsConfig) -> bool:
        """Swap the staged site in, the last thing of the build; whether it was. Strict mode
        would abort after this event on any warning: counted here first, so a build it fails
        swaps nothing."""
        staging, live, self.live, self.staging_dir = self.staging_dir, self.live, None, None
        assert staging is not None and live is not None
        try:
            counted = sum(count for _, count in self.warnings.get_counts()) if self.warnings is not None else 0
            if counted:
                log.error(f"严格模式下有 {counted} 个警告：构建失败，原网站 {live} 保持不变。")
                return False  # MkDocs aborts right after this event
            publish.swap(staging, live)
            config.site_dir = str(live)  # gh-deploy pushes site_dir after the build
            return True
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            self._release()

    def _release(self) -> None:
        if self.warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self.warnings)
            self.warnings = None
        self.holding.close()

    def on_shutdown(self) -> None:
        self._discard()

    def _discard(self) -> None:
        """A staged build that did not get to its end: the live site stays as it was."""
        if self.staging_dir is not None:
            shutil.rmtree(self.staging_dir, ignore_errors=True)
            log.error(f"构建失败：原网站 {self.live} 保持不变。")
        self.live = self.staging_dir = None
        self._release()

    def on_build_error(self, *, error: Exception) -> None:
        self._discard()
        if self.writing is not None:
            self.writing.stop()
            self.writing = None
        if self.background is not None:
            self.background.stop()
            self.background = None


WRITTEN_TABLE = "written"


def _earlier(site_settings: settings.Settings, site_dir: Path) -> emit.Earlier | None:
    """The files the last full build wrote (emit.Earlier), if it left a record that this code
    made for this host, of a site folder other than this build's."""
    record = stored.table(site_settings, WRITTEN_TABLE).get("site")
    if not (isinstance(record, tuple) and len(record) == 3):
        return None
    folder, host, files = record
    if host != site_settings.site_url or not isinstance(files, dict) or not isinstance(folder, str):
        return None
    earlier = Path(folder)
    if not earlier.is_dir() or earlier.resolve() == site_dir.resolve():
        return None
    return emit.Earlier(earlier, files)


def _keep_written(site_settings: settings.Settings, site_dir: Path, files: dict[str, emit.Kept]) -> None:
    """Record what this full build wrote, where, for the next build (a cache it may go without).
    With the site's address: a reused file was checked for loads from other hosts against it."""
    record = (str(site_dir.resolve()), site_settings.site_url, files)
    with contextlib.suppress(OSError):
        stored.keep_table(site_settings, WRITTEN_TABLE, {"site": record})


def _nav_sources(nav: Any) -> Iterator[str]:
    """The source files the `nav` of mkdocs.yml names (not external links)."""
    if isinstance(nav, str):
        if "://" not in nav:
            yield nav
    elif isinstance(nav, dict):
        for value in nav.values():
            yield from _nav_sources(value)
    elif isinstance(nav, list):
        for value in nav:
            yield from _nav_sources(value)


def _lastmod(page: MkDocsPage | None) -> date | None:
    return page.generated.lastmod if isinstance(page, GeneratedPage) else None
