"""Site-wide settings, read from `mkdocs.yml` without importing MkDocs."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")  # China keeps one offset, no DST.
PLUGIN_NAME = "federation"


def today_in_china() -> date:
    """Today's date in Beijing time, which is the date editors write."""
    return datetime.now(CHINA).date()


@dataclass(frozen=True)
class Settings:
    """What the pipeline needs to know about the site; the plugin and the CLI both build one."""

    root: Path
    stories_dir: Path
    docs_dir: Path
    site_name: str = ""
    site_url: str = ""
    review_period_days: int = 30
    page_size: int = 20
    home_latest: int = 5
    include_drafts: bool = False
    read_aloud: bool = True  # make each story's read-aloud audio (generator/speech.py)
    today: date = field(default_factory=today_in_china)
    cache_dir: Path | None = None  # where made files are kept between builds; None: `.cache` of the project
    review_levels: tuple[str, ...] = ()  # 三审: the levels every published story is signed at (content/reviewlevels.py)
    report_by_commit: bool = True  # the district report counts a story by its first commit (render/browse.py)

    def cache(self, kind: str) -> Path:
        """The cache folder of one kind of made file (`photos`, `share`, `listen`): the one
        place that says where each is kept."""
        return (self.cache_dir or self.root / ".cache") / kind

    def absolute(self, address: str) -> str:
        """A site address (`/rumours/baijiu/`) as the absolute URL that shared links and feeds need."""
        return self.site_url.rstrip("/") + address if self.site_url else address

    def display(self, path: Path) -> str:
        """A path as messages show it: relative to the project when inside it."""
        # abspath, not resolve: no file system calls (this runs for every story of every build).
        absolute, root = os.path.abspath(path), os.path.abspath(self.root)
        if absolute == root or absolute.startswith(root.rstrip(os.sep) + os.sep):
            return Path(os.path.relpath(absolute, root)).as_posix()
        return path.as_posix()


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml as MkDocs would, but only the parts the pipeline needs."""


def _env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    # MkDocs' `!ENV [NAME, default]` and `!ENV NAME`, so the CLI sees what `mkdocs` sees.
    names = [str(n.value) for n in node.value] if isinstance(node, yaml.SequenceNode) else [str(node.value)]
    variables, default = (names[:-1], names[-1]) if len(names) > 1 else (names, None)
    for name in variables:
        if name in os.environ:
            return os.environ[name]
    return default


def _ignore(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_Loader.add_constructor("!ENV", _env)
_Loader.add_multi_constructor("!", _ignore)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _ignore)


def plugin_options(config: dict[str, Any]) -> dict[str, Any]:
    """The options given to this project's plugin in a parsed mkdocs.yml."""
    for entry in config.get("plugins") or []:
        if isinstance(entry, dict) and PLUGIN_NAME in entry:
            return dict(entry[PLUGIN_NAME] or {})
    return {}


def from_options(root: Path, options: dict[str, Any], **overrides: Any) -> Settings:
    """Settings from the plugin's options; relative paths are taken from the project root."""
    values: dict[str, Any] = {
        "root": root,
        "stories_dir": root / str(options.get("stories_dir") or "stories"),
        "docs_dir": root / str(options.get("docs_dir") or "site_src"),
    }
    for key in ("site_name", "site_url"):
        if options.get(key):
            values[key] = str(options[key])
    for key in ("review_period_days", "page_size", "home_latest"):
        if options.get(key) is not None:
            values[key] = int(options[key])
    if options.get("cache_dir"):
        values["cache_dir"] = root / str(options["cache_dir"])
    if options.get("read_aloud") is not None:  # a bool from the plugin; text from `!ENV` in the CLI
        values["read_aloud"] = str(options["read_aloud"]).strip().lower() not in ("false", "0", "no", "off")
    levels = options.get("review_levels")
    if isinstance(levels, (list, tuple)):
        values["review_levels"] = tuple(dict.fromkeys(str(level).strip() for level in levels if str(level).strip()))
    if options.get("report_by_commit") is not None:
        values["report_by_commit"] = str(options["report_by_commit"]).strip().lower() not in ("false", "0", "no", "off")
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)


def load(config_file: Path, **overrides: Any) -> Settings:
    """Settings from a mkdocs.yml, for the CLI's `check` and `new`."""
    config = yaml.load(config_file.read_text("utf-8"), Loader=_Loader) or {}
    options = plugin_options(config)
    options.setdefault("docs_dir", config.get("docs_dir"))
    options.setdefault("site_name", config.get("site_name"))
    options.setdefault("site_url", config.get("site_url"))
    return from_options(config_file.parent, options, **overrides)
