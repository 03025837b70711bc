"""Roundups: the week's and the month's stories of each section, and of the whole site.

Publicity teams post them as 今日辟谣, 求真周刊 and 月度流言榜 do: the period's rumours with
their verdicts and one-line conclusions. A week runs Monday to Sunday and a story belongs
to the period of its date (a Beijing date, as editors write it), so a period's page changes
after the period only when one of its stories is corrected. Empty periods have no page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup

from generator.content import fact
from generator.core import addresses
from generator.core.outputs import Asset, Page, Site
from generator.core.sections import SECTIONS
from generator.core.settings import Settings
from generator.core.story import Story
from generator.render import feeds, roundupposter, share
from generator.render.templating import environment, render_at

ALL = "all"
_ROOT = "\x00root\x00"  # where a link from the site's root starts, in an item rendered for every roundup
KINDS = {"week": "周报", "month": "月报"}


@dataclass(frozen=True)
class Scope:
    """Whose stories a roundup holds: one section's, or the whole site's."""

    key: str
    label: str

    @property
    def url(self) -> str:
        """The scope's index of periods."""
        return addresses.roundups_address(self.key)


@dataclass(frozen=True)
class Period:
    """A week (Monday to Sunday) or a calendar month."""

    kind: str
    start: date
    end: date

    @classmethod
    def of(cls, kind: str, day: date) -> Period:
        """The week or month that holds `day`."""
        if kind == "week":
            start = day - timedelta(days=day.weekday())
            return cls(kind, start, start + timedelta(days=6))
        start = day.replace(day=1)
        following = (start + timedelta(days=32)).replace(day=1)
        return cls(kind, start, following - timedelta(days=1))

    @property
    def slug(self) -> str:
        """`2020-w06` for an ISO week, `2020-02` for a month."""
        if self.kind == "week":
            year, week, _ = self.start.isocalendar()
            return f"{year}-w{week:02d}"
        return f"{self.start.year}-{self.start.month:02d}"

    @property
    def label(self) -> str:
        """How readers name it: 2020年第6周（2月3日—2月9日） or 2020年2月."""
        if self.kind == "week":
            year, week, _ = self.start.isocalendar()
            span = f"{self.start.month}月{self.start.day}日—{self.end.month}月{self.end.day}日"
            return f"{year}年第{week}周（{span}）"
        return f"{self.start.year}年{self.start.month}月"

    def holds(self, day: date) -> bool:
        """Whether `day` falls in the period."""
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Roundup:
    """One scope's stories of one period, newest first."""

    scope: Scope
    period: Period
    stories: tuple[Story, ...]

    @property
    def url(self) -> str:
        """`/roundups/rumours/week/2020-w06/`."""
        return addresses.roundup_address(self.scope.key, self.period.kind, self.period.slug)

    @property
    def poster(self) -> str:
        """The site path of its poster (`share/roundups/rumours/week/2020-w06.jpg`)."""
        return addresses.roundup_poster_address(self.scope.key, self.period.kind, self.period.slug)

    @property
    def name(self) -> str:
        """`辟谣周报`."""
        return f"{self.scope.label}{KINDS[self.period.kind]}"

    @property
    def title(self) -> str:
        """`辟谣周报 · 2020年第6周（2月3日—2月9日）`."""
        return f"{self.name} · {self.period.label}"


def scopes() -> list[Scope]:
    """Each section, then the whole site."""
    return [Scope(s.key, s.label) for s in SECTIONS] + [Scope(ALL, "全站")]


def roundups(stories: Iterable[Story]) -> list[Roundup]:
    """Every non-empty roundup, newest period first within each scope and kind."""
    found: list[Roundup] = []
    published = list(stories)
    for scope in scopes():
        own = [s for s in published if scope.key in (ALL, s.section.key)]
        for kind in KINDS:
            groups: dict[Period, list[Story]] = defaultdict(list)
            for story in own:
                groups[Period.of(kind, story.date)].append(story)
            for period in sorted(groups, key=lambda p: p.start, reverse=True):
                members = sorted(groups[period], key=lambda s: s.sort_key, reverse=True)
                found.append(Roundup(scope, period, tuple(members)))
    return found


def find(found: Sequence[Roundup], address: str) -> Roundup | None:
    """The roundup at `rumours/week/2020-w06` (or its full address), if there is one."""
    wanted = "/" + address.strip("/") + "/"
    return next((r for r in found if r.url in (wanted, addresses.ROUNDUPS_URL.rstrip("/") + wanted)), None)


def conclusion(story: Story) -> str:
    """The one line a roundup gives a story: a rumour's fact (never its claim), else its summary's first sentence."""
    return fact.conclusion(story) or share.first_sentence(story.summary)


def sent_around(roundup: Roundup) -> list[Story]:
    """The stories a roundup passes on (its 公众号 article, its poster): not the withdrawn ones,
    which keep their pages for old links but are not sent around again."""
    return [s for s in roundup.stories if not (s.status and s.status.code == "withdrawn")]


def poster_sheet(roundup: Roundup, settings: Settings) -> roundupposter.Sheet:
    """What a roundup's poster says: each story's verdict (word, tone, icon) or section, title and fact."""
    items = []
    for story in sent_around(roundup):
        verdict = fact.verdict(story)
        status = story.status.label if story.status and story.status.code != "current" else ""
        if verdict is not None:
            items.append(
                roundupposter.Item(verdict.label, verdict.tone, verdict.icon, story.title, conclusion(story), status)
            )
        else:
            items.append(roundupposter.Item(story.section.label, "", "", story.title, conclusion(story), status))
    return roundupposter.Sheet(
        url=settings.absolute(roundup.url),
        site_name=settings.site_name or "科学防疫",
        title=roundup.name,
        period=roundup.period.label,
        items=tuple(items),
    )


def _feed(scope: Scope, mine: Sequence[Roundup], settings: Settings) -> feeds.Feed:
    absolute = settings.absolute("/")
    entries = tuple(
        feeds.Entry(
            url=absolute + r.url.lstrip("/"),
            title=r.title,
            summary="；".join(f"{s.title}" for s in r.stories[:10]),
            published=feeds.timestamp(r.period.end),
            updated=feeds.timestamp(max(s.modified for s in r.stories)),
            author=settings.site_name,
            tags=(scope.label, KINDS[r.period.kind]),
            section=scope.label,
        )
        for r in sorted(mine, key=lambda r: (r.period.end, r.period.kind), reverse=True)[: feeds.FEED_SIZE]
    )
    folder = scope.url.lstrip("/")
    return feeds.Feed(
        title=f"{settings.site_name} · {scope.label}周报和月报",
        description=f"每周、每月的{scope.label}文章汇总。",
        page_url=absolute + folder,
        atom_url=absolute + folder + addresses.ATOM_NAME,
        json_url=absolute + folder + addresses.JSON_NAME,
        updated=max((e.updated for e in entries), default=feeds.timestamp(settings.today)),
        author=settings.site_name or share.FEDERATION,
        entries=entries,
        stylesheet=feeds.stylesheet(settings),
    )


def _from_root(url: str) -> str:
    return _ROOT + url.lstrip("/")


def render(stories: Sequence[Story], settings: Settings) -> Site:
    """Each roundup's page, each scope's index of periods and feeds, and the roundups' index."""
    site = Site()
    found = roundups(stories)
    trail = [(addresses.ROUNDUPS_URL, "周报和月报")]
    # A story is in four roundups or more (its week and month, for the site and its section):
    # its item is rendered once, its link from a mark of the site's root (as listing cards are).
    items: dict[int, str] = {}
    template = environment().get_template("roundups/item.html")

    def item(story: Story) -> str:
        if id(story) not in items:
            items[id(story)] = template.render(story=story, conclusion=conclusion, link=_from_root)
        return items[id(story)]

    for roundup in found:
        # Paginated like every listing, so that no page grows with the number of stories.
        size = settings.page_size
        count = -(-len(roundup.stories) // size)
        urls = [addresses.listing_page_address(roundup.url, n) for n in range(1, count + 1)]
        lede = f"{roundup.period.label}的{roundup.scope.label}文章，共 {len(roundup.stories)} 篇。"
        for number, url in enumerate(urls, start=1):
            chunk = roundup.stories[(number - 1) * size : number * size]
            root = addresses.relative(url, "/").removeprefix("./")
            html = render_at(
                "roundups/roundup.html",
                url,
                roundup=roundup,
                items=[Markup(item(story).replace(_ROOT, root)) for story in chunk],
                first=(number - 1) * size + 1,
                pages=urls,
                current=number,
                conclusion=conclusion,
                trail=trail,
                poster="/" + roundup.poster,
            )
            title = roundup.title if number == 1 else f"{roundup.title}（第 {number} 页）"
            site.pages.append(_page(url, title, html, lede, max(s.modified for s in chunk)))
    for scope in scopes():
        mine = [r for r in found if r.scope == scope]
        html = render_at("roundups/scope.html", scope.url, scope=scope, roundups=mine, kinds=KINDS, trail=trail)
        site.pages.append(_page(scope.url, f"{scope.label}周报和月报", html, f"按周、按月汇总的{scope.label}文章。"))
        if settings.site_url and mine:
            one = _feed(scope, mine, settings)
            folder = scope.url.lstrip("/")
            site.assets.append(Asset(folder + addresses.ATOM_NAME, feeds.atom(one)))
            site.assets.append(Asset(folder + addresses.JSON_NAME, feeds.json_feed(one)))
    site.extend(roundupposter.render([(r.poster, poster_sheet(r, settings)) for r in found], settings))
    latest = {(r.scope.key, r.period.kind): r for r in reversed(found)}
    html = render_at("roundups/index.html", addresses.ROUNDUPS_URL, scopes=scopes(), latest=latest, kinds=KINDS)
    site.pages.append(_page(addresses.ROUNDUPS_URL, "周报和月报", html, "每周、每月的辟谣、防控知识和巾帼风采汇总。"))
    return site


def _page(url: str, title: str, html: str, description: str, lastmod: date | None = None) -> Page:
    return Page(
        src_uri=addresses.page_source(url), url=url, title=title, html=html, description=description, lastmod=lastmod
    )
