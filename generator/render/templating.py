"""The Jinja environments of the generator's own templates (generator/templates/), with their
filters and globals: every address a template links to comes from core/addresses.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache, partial
from pathlib import Path
from typing import Any

import jinja2

from generator.core import addresses
from generator.core.sections import Role


def zh_date(value: date) -> str:
    """A date as Chinese readers write it: 2020年2月1日."""
    return f"{value.year}年{value.month}月{value.day}日"


# Filters a template applies to a value to get its page's address: `link(tag | tag_address)`.
ADDRESS_FILTERS: dict[str, Callable[..., str]] = {
    "section_address": addresses.section_address,
    "tag_address": addresses.tag_address,
    "audience_address": addresses.audience_address,
    "honour_address": addresses.honour_address,
    "district_address": addresses.district_address,
    "roundups_address": addresses.roundups_address,
    "atom_feed_address": addresses.atom_feed_address,
    "json_feed_address": addresses.json_feed_address,
    "copy_address": addresses.copy_address,
}
# The fixed addresses, as globals: `link(search_address)`.
ADDRESS_GLOBALS = {
    "home_address": addresses.HOME_URL,
    "search_address": addresses.SEARCH_URL,
    "search_index_address": "/" + addresses.SEARCH_INDEX_FOLDER + "/",
    "problems_address": addresses.PROBLEMS_URL,
    "todo_address": addresses.TODO_URL,
    "corrections_address": addresses.CORRECTIONS_URL,
    "corrections_policy_address": addresses.CORRECTIONS_POLICY_URL,
}


def url_parts(url: str) -> tuple[str, list[str]]:
    """An address cut where it may break on screen: its scheme, then each host label with its
    `.` (the last with the first `/`) and each path segment with its `/`."""
    scheme, rest = url.split("://", 1) if "://" in url else ("", url)
    host, slash, path = rest.partition("/")
    labels = host.split(".")
    parts = [label + ("." if n < len(labels) - 1 else slash) for n, label in enumerate(labels)]
    segments = path.split("/") if slash else []
    parts += [segment + ("/" if n < len(segments) - 1 else "") for n, segment in enumerate(segments) if segment]
    return scheme, parts


@cache
def environment() -> jinja2.Environment:
    """The Jinja environment of the generated pages' templates."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        autoescape=True,
        trim_blocks=False,
        undefined=jinja2.StrictUndefined,
        # The templates are the program's, not content: no stat of every template at every use.
        auto_reload=False,
    )
    env.filters["zh_date"] = zh_date
    env.filters["url_parts"] = url_parts
    env.globals["ask_url"] = addresses.ASK_URL  # 我要求证 on rumour pages
    env.globals["roles"] = Role  # story.get(roles.VERDICT): a field by what it does, not its name
    env.filters.update(ADDRESS_FILTERS)
    env.globals.update(ADDRESS_GLOBALS)
    return env


@cache
def text_environment() -> jinja2.Environment:
    """The templates of new story files: YAML and Markdown, so nothing is HTML-escaped."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
    )


@cache
def compiled_templates(root: Path) -> jinja2.BytecodeCache:
    """Compiled templates kept in `.cache/templates` of the project, as Python keeps __pycache__:
    each build, worker and preview rebuild loads them instead of compiling them again. Jinja
    checks each against its source, so an edited template is compiled afresh."""
    folder = root / ".cache" / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    return jinja2.FileSystemBytecodeCache(str(folder))


def render_at(template: str, url: str, **context: Any) -> str:
    """A template rendered for the page at `url`: its `link(address)` makes addresses relative to it."""
    link: Callable[[str], str] = partial(addresses.relative, url)
    return environment().get_template(template).render(link=link, **context)
