"""The MkDocs face: a thin adapter that hands the pipeline's pages and files to MkDocs."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Literal

from markupsafe import escape
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.structure.toc import get_toc

from generator import pipeline, settings
from generator.pages import Page, Site
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
        outcome, site = pipeline.build(self.settings, self.cache, reserved, preview=self.serving)
        config.extra["fed_preview_errors"] = sum(1 for p in outcome.problems if p.is_error)
        lines = report(outcome.problems).splitlines()
        for line in lines if outcome.problems else []:
            log.log(logging.INFO if outcome.ok else logging.ERROR, line)
        if site is None:
            raise PluginError(CHECK_FAILED)
        self.site = site

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        docs_dir = Path(config.docs_dir).resolve()
        # A page whose HTML and head tags are the same as at the last build is not written
        # again by a `serve --dirty` rebuild; a plain build writes every page anyway.
        previous, self.digests = self.digests, {}
        errors = config.extra.get("fed_preview_errors", 0)
        for page in self.site.pages:
            digest = hash((page.html, page.title, page.description, repr(page.meta), errors))
            self.digests[page.src_uri] = digest
            file = GeneratedFile.generated(config, page.src_uri, content=page.html)
            assert isinstance(file, GeneratedFile)  # File.generated makes an instance of its class
            file.changed = previous.get(page.src_uri) != digest
            if page.edit_path:
                story_file = (self.settings.root / page.edit_path).resolve()
                file.edit_uri = Path(os.path.relpath(story_file, docs_dir)).as_posix()
            files.append(file)
            GeneratedPage(page, file, config)  # sets file.page, so MkDocs uses it as it is
        for asset in self.site.assets:
            if asset.source is not None:
                files.append(File.generated(config, asset.src_uri, abs_src_path=str(asset.source)))
            else:
                files.append(File.generated(config, asset.src_uri, content=asset.content or ""))
        return files

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        problems = pipeline.after_build(Path(config.site_dir), self.settings)
        for problem in problems:
            log.error(str(problem))
        if any(p.is_error for p in problems):
            raise PluginError(CHECK_FAILED)


class GeneratedFile(File):
    """A generated page's file, which knows whether its page changed since the last build."""

    changed = True

    def is_modified(self) -> bool:
        return self.changed


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
