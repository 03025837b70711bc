"""The MkDocs face: a thin adapter that hands the pipeline's pages and files to MkDocs."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, Literal

import jinja2
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page as MkDocsPage

from generator import emit, pipeline, settings
from generator.chrome import Chrome, GeneratedPage, generated_file
from generator.pages import PROBLEMS_URL, Page, Site
from generator.problems import CHECK_FAILED, report

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


class FederationPlugin(BasePlugin[FederationConfig]):
    """Generates the story pages, listings, home page and redirects from `stories/`."""

    def __init__(self) -> None:
        self.serving = False
        # Kept across rebuilds under `serve` (the plugin has on_startup), so unchanged
        # files are not parsed and unchanged bodies not rendered again.
        self.cache = pipeline.Cache()
        self.site = Site()
        self.emitted: list[Page] = []
        self.generated_assets: set[str] = set()
        # The pages emit.py wrote last time, for a preview's rebuild to skip or delete them.
        self.written: list[emit.Written] = []
        self.digests: dict[str, int] = {}

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or "mkdocs.yml").resolve().parent
        options: dict[str, Any] = dict(self.config)
        options.update(docs_dir=config.docs_dir, site_name=config.site_name, site_url=config.site_url or "")
        self.settings = settings.from_options(root, options, include_drafts=self.serving)
        if self.serving:
            config.watch.append(str(self.settings.stories_dir))
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # Runs before MkDocs cleans site_dir, so bad content leaves the old site alone.
        reserved = pipeline.hand_written_addresses(Path(config.docs_dir))
        defer = not self.serving and not _THEME_RENDERS_ALL
        outcome, site = pipeline.build(self.settings, self.cache, reserved, preview=self.serving, defer=defer)
        config.extra["fed_preview_errors"] = sum(1 for p in outcome.problems if p.is_error)
        lines = report(outcome.problems).splitlines()
        for line in lines if outcome.problems else []:
            log.log(logging.INFO if outcome.ok else logging.ERROR, line)
        if site is None:
            raise PluginError(CHECK_FAILED)
        self.site = site

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        # Pages in the navigation go through MkDocs (its navigation needs their files); the
        # thousands of others are written by emit.py in on_post_build, framed by chrome.py.
        in_nav = set(_nav_sources(config.nav)) if config.nav is not None else {"index.md"}
        self.emitted = []
        for page in self.site.pages:
            if page.src_uri in in_nav or _THEME_RENDERS_ALL:
                file = generated_file(config, page, self.settings.root)
                files.append(file)
                GeneratedPage(page, file, config)  # sets file.page, so MkDocs uses it as it is
            else:
                self.emitted.append(page)
        self.generated_assets = set()
        for asset in self.site.assets:
            if asset.source is not None:
                file = File.generated(config, asset.src_uri, abs_src_path=str(asset.source))
            else:
                file = File.generated(config, asset.src_uri, content=asset.content or "")
            files.append(file)
            self.generated_assets.add(file.url)
        return files

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        return nav

    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        self.env = env
        self.files = files
        return env

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        site_dir = Path(config.site_dir)
        # The theme may link to any page MkDocs renders, any static file and the preview's
        # problems page, but not to the pictures and index files the pipeline adds.
        anchors = [f.url for f in self.files if f.url not in self.generated_assets] + [PROBLEMS_URL.strip("/") + "/"]
        chrome = Chrome(config, self.env, self.nav, self.files, anchors)
        options = emit.Options(site_dir, chrome.render, self.settings, not self.serving, self.digests)
        written = emit.write_pages(self.emitted, self.site.stories, options)
        if self.serving:
            emit.remove_gone(site_dir, self.written, written)
        self.written = written
        self.digests = {w.url: w.digest for w in written}
        self.emitted, self.site = [], Site()  # not held through the preview's idle time
        rendered = [("/" + f.page.url if f.page else "/", _lastmod(f.page)) for f in self.files.documentation_pages()]
        emit.write_sitemap(
            site_dir, [*rendered, *((w.url, w.lastmod) for w in written)], self.settings, self.settings.today
        )
        problems = pipeline.foreign_load_problems((load for w in written for load in w.loads), site_dir, self.settings)
        problems += pipeline.after_build(site_dir, self.settings, [w.dest for w in written])
        for problem in problems:
            log.error(str(problem))
        if any(p.is_error for p in problems):
            raise PluginError(CHECK_FAILED)


# For the test that compares frames with MkDocs' own rendering: every page through MkDocs.
_THEME_RENDERS_ALL = os.environ.get("FEDERATION_RENDER_ALL_WITH_MKDOCS") == "1"


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
