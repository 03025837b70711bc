"""The page metadata Chinese government-site inspection tools read (《政府网站发展指引》's 网页元数据).

Every page names the site (SiteName, SiteDomain, SiteIDCode where mkdocs.yml's
`extra.organisation.site_id_code` gives one) and its column (ColumnName: the top-level tab of
the navigation it sits under), with Keywords and Description. A story, the site's article,
adds ArticleTitle, PubDate, ContentSource, Author and Url. Values are plain text, escaped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup, escape

HOME_COLUMN = "首页"
# Top-level folders outside the navigation, by the column their pages belong to.
OUTSIDE_NAV = {"roundups": "周报和月报", "check": "检查结果"}


@dataclass(frozen=True)
class Site:
    """What every page says about the site."""

    name: str
    url: str
    id_code: str = ""
    keywords: str = ""
    source: str = ""  # who publishes: the ContentSource of a story without its own author

    @property
    def domain(self) -> str:
        """The site's host, as SiteDomain wants it (no scheme, no path)."""
        return (urlsplit(self.url).hostname or "") if self.url else ""

    @classmethod
    def from_extra(cls, name: str, url: str, extra: Mapping[str, Any]) -> Site:
        """From mkdocs.yml's site_name, site_url and `extra`."""
        org = extra.get("organisation") or {}
        return cls(
            name=name,
            url=url,
            id_code=str(org.get("site_id_code") or ""),
            keywords=str(org.get("keywords") or ""),
            source=str(org.get("name") or name),
        )


def columns(items: Iterable[Any]) -> dict[str, str]:
    """First folder of an address → the title of the top-level navigation item it is under.

    `items`: MkDocs' navigation items (a page has `.url`, a section `.children`)."""
    found: dict[str, str] = {}
    for item in items:
        for url in _urls(item):
            found.setdefault(_first(url), item.title)
    for folder, title in OUTSIDE_NAV.items():
        found.setdefault(folder, title)
    found[""] = HOME_COLUMN
    return found


def _urls(item: Any) -> Iterable[str]:
    if getattr(item, "children", None):
        for child in item.children:
            yield from _urls(child)
    elif getattr(item, "url", None) is not None:
        yield str(item.url)


def _first(url: str) -> str:
    return next((part for part in url.split("/") if part and "://" not in url), "")


def column_of(url: str, known: Mapping[str, str], fallback: str) -> str:
    """The column of the page at `url` (a site address, with or without its leading slash)."""
    return known.get(_first(url), fallback)


def _plain(text: str) -> str:
    return str(escape(Markup(str(text)).striptags()))


def head_tags(site: Site, column: str, title: str, description: str, share: Mapping[str, Any]) -> str:
    """The meta tags of one page; `share` is a generated page's link-preview data (a story's has `published`)."""
    tags: list[tuple[str, str]] = [("SiteName", site.name), ("SiteDomain", site.domain)]
    if site.id_code:
        tags.append(("SiteIDCode", site.id_code))
    tags.append(("ColumnName", column))
    story_tags = [str(t) for t in share.get("tags") or []]
    keywords = ",".join(dict.fromkeys([*story_tags, column, *filter(None, site.keywords.split(","))]))
    if share.get("published"):  # an article: a story
        tags += [
            ("ArticleTitle", title),
            ("PubDate", str(share["published"])),
            ("ContentSource", str(share.get("source") or site.source)),
            ("Author", str(share.get("source") or site.source)),
        ]
        if share.get("url"):
            tags.append(("Url", str(share["url"])))
    tags += [("Keywords", keywords), ("Description", description)]
    return "".join(f'\n<meta name="{name}" content="{_plain(value)}">' for name, value in tags if value)
