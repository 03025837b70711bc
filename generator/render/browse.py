"""Browsing pages: by district (with the monthly report and its CSV), tag, honour, audience,
month, and each section filtered by its vocabulary fields (verdict, status).

The district report (各区县开展情况) counts each story in the month it was sent: the day its
file was first committed (core/gitrepo.first_added, passed in as `added`), else, outside git
or before its first commit, its `date`; the page says which.

Every listing is paginated by `pages.listing_pages`; the index pages grow with the number
of districts, tags or months, never with the number of stories.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from generator.core import addresses, vocab
from generator.core.outputs import Asset, Page, Site
from generator.core.sections import FACETS, SECTIONS, Facet, Kind, Section
from generator.core.settings import Settings
from generator.core.story import Story
from generator.render.pages import Cards, listing_pages
from generator.render.templating import render_at

REPORT_NAME = "report.csv"
REPORT_DOWNLOAD = "各区县开展情况.csv"
NO_DISTRICT = "未注明区县"
# The newest months the district index lists by title, and the titles of each district in each: the
# index stays bounded (41 districts × 3 months × 3 titles); the rest are counted in its table, listed
# on each district's page and in the CSV.
REPORT_MONTHS = 3
REPORT_TITLES = 3


# The fields readers browse by are those the table gives a facet (sections.FACETS). Districts
# and honours are vocabularies (one page per term, its slug from the data file); tags and
# audiences are free text (slug from pinyin).


def facet_url(facet: Facet) -> str:
    """The address of the facet's index page."""
    return addresses.facet_address(facet.folder)


@dataclass(frozen=True)
class Value:
    """One value of a facet: its label, the slug of its page, and its place in the vocabulary."""

    label: str
    slug: str
    order: int = 0


@dataclass(frozen=True)
class Entry:
    """A line of an index page: a value, its page and how many stories it has."""

    label: str
    url: str
    count: int
    order: int = 0
    slug: str = ""


@dataclass
class DistrictRow:
    """One district's line of the report (各区县开展情况)."""

    label: str
    slug: str
    stories: list[Story]
    url: str = ""
    added: Mapping[str, date] = field(default_factory=dict)  # each story's first commit, by its path

    @property
    def count(self) -> int:
        """How many stories the district has."""
        return len(self.stories)

    @property
    def by_section(self) -> list[int]:
        """Its stories in each section, in the sections table's order."""
        return [sum(1 for s in self.stories if s.section is section) for section in SECTIONS]

    @property
    def months(self) -> Counter[tuple[int, int]]:
        """Its stories in each (year, month) they were sent."""
        return month_counts(self.stories, self.added)

    @property
    def years(self) -> list[tuple[int, list[tuple[int, int]]]]:
        """Its (month, count) pairs grouped by year, newest first."""
        by_year: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for (year, month), count in sorted(self.months.items(), reverse=True):
            by_year[year].append((month, count))
        return sorted(by_year.items(), reverse=True)


def values(story: Story, facet: Facet) -> list[Value]:
    """A story's values of one facet: of the fields its section gives that facet."""
    found = []
    for spec in story.section.fields:
        if spec.facet != facet.folder:
            continue
        raw = story.get(spec.key)
        items: Iterable[object] = raw if isinstance(raw, (tuple, list)) else ([raw] if raw else [])
        for item in items:
            term = getattr(item, "term", item)  # an Honour holds its Term
            if isinstance(term, vocab.Term):
                found.append(Value(term.label, term.slug, _term_order(spec.vocabulary, term.code)))
            elif isinstance(term, str) and term.strip():
                found.append(Value(term.strip(), addresses.text_slug(term.strip())))
    return found


def _term_order(vocabulary: str, code: str) -> int:
    terms = vocab.by_name(vocabulary).terms
    return next((n for n, term in enumerate(terms) if term.code == code), len(terms))


def _with_trail(pages: list[Page], trail: list[tuple[str, str]]) -> list[Page]:
    """Listing pages with a line above them that leads back up (区县动态 › 渝中区)."""
    return [dataclasses.replace(p, html=render_at("browse/trail.html", p.url, trail=trail) + p.html) for p in pages]


def _index_page(url: str, title: str, html: str, description: str) -> Page:
    return Page(src_uri=addresses.page_source(url), url=url, title=title, html=html, description=description)


def facet_pages(
    facet: Facet,
    stories: Sequence[Story],
    settings: Settings,
    cards: Cards | None = None,
    added: Mapping[str, date] | None = None,
) -> list[Page]:
    """The facet's index page and one paginated listing for each of its values."""
    groups: dict[str, list[Story]] = defaultdict(list)
    names: dict[str, list[Value]] = defaultdict(list)
    for story in stories:
        for value in dict.fromkeys(values(story, facet)):
            if not groups[value.slug] or groups[value.slug][-1] is not story:
                groups[value.slug].append(story)
            if value not in names[value.slug]:
                names[value.slug].append(value)
    entries: list[Entry] = []
    pages: list[Page] = []
    for slug, members in groups.items():
        label = "、".join(v.label for v in sorted(names[slug], key=lambda v: v.label))
        url = addresses.facet_address(facet.folder, slug)
        lede = f"{facet.heading}：{label}，共 {len(members)} 篇。"
        listing = listing_pages(members, url, label, lede, facet.folder, settings.page_size, cards=cards)
        pages.extend(_with_trail(listing, [(facet_url(facet), facet.heading)]))
        order = min(v.order for v in names[slug])
        entries.append(Entry(label, url, len(members), order, slug))
    if facet.report:
        pages.append(district_index(facet, stories, entries, added))
    else:
        entries.sort(key=lambda e: (-e.count, e.order, e.slug))
        url = facet_url(facet)
        html = render_at("browse/index.html", url, heading=facet.heading, lede=facet.lede, entries=entries)
        pages.append(_index_page(url, facet.heading, html, facet.lede))
    return pages


def sent_on(story: Story, added: Mapping[str, date]) -> date:
    """The day a story was sent: its first commit when known, else its `date`."""
    return added.get(story.path, story.date)


def month_counts(stories: Iterable[Story], added: Mapping[str, date] | None = None) -> Counter[tuple[int, int]]:
    """How many stories each (year, month) has: by the day each was sent when `added` is given, else by `date`."""
    if added is None:
        return Counter((s.date.year, s.date.month) for s in stories)
    return Counter((day.year, day.month) for day in (sent_on(s, added) for s in stories))


@dataclass(frozen=True)
class MonthReport:
    """One month of the district report: each district that sent stories then, with them, newest first."""

    year: int
    month: int
    districts: list[tuple[DistrictRow, list[Story]]]  # every story of the month, newest first

    @property
    def count(self) -> int:
        """How many stories the month has."""
        return sum(len(members) for _, members in self.districts)

    @property
    def shown(self) -> list[tuple[DistrictRow, list[Story], int]]:
        """Each district's newest titles of the month, and how many more it sent."""
        return [(row, members[:REPORT_TITLES], len(members) - REPORT_TITLES) for row, members in self.districts]


def monthly_report(
    rows: Sequence[DistrictRow], added: Mapping[str, date], limit: int = REPORT_MONTHS
) -> list[MonthReport]:
    """The newest `limit` months with stories, newest first; in each, the districts in the table's order."""
    months: dict[tuple[int, int], list[tuple[DistrictRow, list[Story]]]] = defaultdict(list)
    for row in rows:
        by_month: dict[tuple[int, int], list[Story]] = defaultdict(list)
        for story in row.stories:
            day = sent_on(story, added)
            by_month[(day.year, day.month)].append(story)
        for key, members in by_month.items():
            members.sort(key=lambda s: (sent_on(s, added), s.url), reverse=True)
            months[key].append((row, members))
    newest = sorted(months, reverse=True)[:limit]
    return [MonthReport(year, month, months[(year, month)]) for year, month in newest]


def district_report(stories: Sequence[Story], added: Mapping[str, date] | None = None) -> list[DistrictRow]:
    """各区县开展情况: every district (those without stories too), and stories without one."""
    by_district: dict[str, list[Story]] = defaultdict(list)
    for story in stories:
        by_district[story.district.code if story.district else ""].append(story)
    sent = added if added is not None else {}
    rows = [DistrictRow(t.label, t.slug, by_district.get(t.code, []), added=sent) for t in vocab.districts().terms]
    if by_district.get(""):
        rows.append(DistrictRow(NO_DISTRICT, "", by_district[""], added=sent))
    return rows


def report_csv(stories: Sequence[Story], added: Mapping[str, date] | None = None) -> str:
    """The district report as CSV, with a byte-order mark so Excel and WPS read the Chinese: a
    column for each month that has stories (by the day sent), and each district's titles."""
    sent = added if added is not None else {}
    rows = district_report(stories, sent)
    counts = month_counts(stories, sent)
    months = sorted(counts)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    header = [
        "区县",
        "合计",
        *(s.label for s in SECTIONS),
        *(f"{y}-{m:02d}" for y, m in months),
        "文章（报送日期 标题）",
    ]
    writer.writerow(header)
    for row in rows:
        own = row.months
        titles = "\n".join(
            f"{sent_on(s, sent).isoformat()} {s.title}"
            for s in sorted(row.stories, key=lambda s: (sent_on(s, sent), s.url), reverse=True)
        )
        writer.writerow([row.label, row.count, *row.by_section, *(own.get(m, 0) for m in months), titles])
    totals = [sum(1 for s in stories if s.section is section) for section in SECTIONS]
    writer.writerow(["合计", len(stories), *totals, *(counts.get(m, 0) for m in months), ""])
    return "\ufeff" + buffer.getvalue()


def district_index(
    facet: Facet, stories: Sequence[Story], entries: list[Entry], added: Mapping[str, date] | None = None
) -> Page:
    """The district index: the newest months' stories per district, each district's count and
    months, and the report as CSV; counted by the day each story was sent (`added`)."""
    sent = added if added is not None else {}
    rows = district_report(stories, sent)
    linked = {e.slug for e in entries}
    for row in rows:
        row.url = addresses.facet_address(facet.folder, row.slug) if row.slug in linked else ""
    by_commit = sum(1 for s in stories if s.path in sent)
    html = render_at(
        "browse/districts.html",
        facet_url(facet),
        heading=facet.heading,
        lede=facet.lede,
        rows=rows,
        report=f"{facet_url(facet)}{REPORT_NAME}",
        download=REPORT_DOWNLOAD,
        total=len(stories),
        months=monthly_report(rows, sent),
        by_commit=by_commit,
        by_date=len(stories) - by_commit,
        shown_months=REPORT_MONTHS,
    )
    return _index_page(facet_url(facet), facet.heading, html, facet.lede)


def archive_pages(stories: Sequence[Story], settings: Settings, cards: Cards | None = None) -> list[Page]:
    """One paginated listing per month, and the archive index of years and months."""
    by_month: dict[tuple[int, int], list[Story]] = defaultdict(list)
    for story in stories:
        by_month[(story.date.year, story.date.month)].append(story)
    pages: list[Page] = []
    years: dict[int, list[Entry]] = defaultdict(list)
    for (year, month), members in sorted(by_month.items(), reverse=True):
        url = addresses.month_address(year, month)
        label = f"{year}年{month}月"
        listing = listing_pages(
            members,
            url,
            label,
            f"{label}发布的文章，共 {len(members)} 篇。",
            "archive",
            settings.page_size,
            cards=cards,
        )
        pages.extend(_with_trail(listing, [(addresses.ARCHIVE_URL, "按月浏览")]))
        years[year].append(Entry(f"{month}月", url, len(members)))
    lede = "按发布月份浏览全部文章。"
    html = render_at(
        "browse/archive.html",
        addresses.ARCHIVE_URL,
        heading="按月浏览",
        lede=lede,
        years=sorted(years.items(), reverse=True),
    )
    pages.append(_index_page(addresses.ARCHIVE_URL, "按月浏览", html, lede))
    return pages


def filter_fields(section: Section) -> list[tuple[str, str, str]]:
    """The section's fields a listing can be filtered by: vocabulary terms other than facets."""
    return [
        (f.key, f.label, f.vocabulary) for f in section.fields if f.kind is Kind.TERM and f.vocabulary and not f.facet
    ]


def _term_of(story: Story, key: str) -> vocab.Term | None:
    return story.get(key, vocab.Term)


def filter_pages(
    section: Section, stories: Sequence[Story], settings: Settings, cards: Cards | None = None
) -> list[Page]:
    """The section's listing filtered by each term of each filter field (/rumours/verdict/false/ …)."""
    own = [s for s in stories if s.section is section]
    chips: list[dict[str, Any]] = []
    groups: list[tuple[str, str, vocab.Term, list[Story]]] = []
    for key, label, vocabulary in filter_fields(section):
        field = section.field(key)
        for term in vocab.by_name(vocabulary).terms:
            if field is not None and term.code == field.default:
                continue  # the default (现行) is nearly the whole section: its listing already shows it
            members = [s for s in own if (t := _term_of(s, key)) is not None and t.code == term.code]
            if members:
                url = addresses.filter_address(section.key, key, term.slug)
                chips.append({"field": label, "label": term.label, "url": url, "count": len(members), "key": key})
                groups.append((url, label, term, members))
    by_field = [
        {"label": label, "chips": [c for c in chips if c["key"] == key]} for key, label, _ in filter_fields(section)
    ]
    pages: list[Page] = []
    for url, label, term, members in groups:
        heading = f"{section.label}：{term.label}"
        lede = f"{label}为「{term.label}」的{section.label}文章，共 {len(members)} 篇。"
        for page in listing_pages(members, url, heading, lede, section.key, settings.page_size, cards=cards):
            chip_html = render_at("browse/filters.html", page.url, section=section, groups=by_field, current=url)
            pages.append(dataclasses.replace(page, html=chip_html + page.html))
    for key, label, _ in filter_fields(section):
        url = addresses.filter_address(section.key, key)
        lede = f"按{label}筛选{section.label}文章。"
        mine = [c for c in chips if c["key"] == key]
        html = render_at(
            "browse/index.html", url, heading=f"{section.label}：按{label}", lede=lede, entries=mine, section=section
        )
        pages.append(_index_page(url, f"{section.label}：按{label}", html, lede))
    return pages


def poster_pages(section: Section, stories: Sequence[Story], settings: Settings) -> list[Page]:
    """The section's 海报 listing: every story's poster, newest first, to save and post."""
    own = sorted((s for s in stories if s.section is section), key=lambda s: s.sort_key, reverse=True)
    base = addresses.poster_listing_address(section.key)
    count = max(1, -(-len(own) // settings.page_size))
    urls = [addresses.listing_page_address(base, n) for n in range(1, count + 1)]
    heading = f"{section.label}海报"
    lede = f"每篇{section.label}文章的海报（长图），共 {len(own)} 张。长按图片保存，发到朋友圈、微信群；海报上的二维码通往原文。"
    pages = []
    for number, url in enumerate(urls, start=1):
        chunk = own[(number - 1) * settings.page_size : number * settings.page_size]
        title = heading if number == 1 else f"{heading}（第 {number} 页）"
        entries = [{"story": s, "poster": "/" + addresses.poster_address(s.section.key, s.slug)} for s in chunk]
        html = render_at(
            "browse/posters.html", url, heading=title, lede=lede, entries=entries, pages=urls, current=number
        )
        pages.append(_index_page(url, title, html, lede))
    return pages


def index_links() -> list[tuple[str, str]]:
    """The browsing index pages, for the search page and the 404 page."""
    links = [(facet_url(f), f.heading) for f in FACETS] + [(addresses.ARCHIVE_URL, "按月浏览")]
    for section in SECTIONS:
        links.append((addresses.section_address(section.key), section.label))
        links.extend(
            (addresses.filter_address(section.key, key), f"{section.label}：按{label}")
            for key, label, _ in filter_fields(section)
        )
    return links


def render(
    stories: Sequence[Story], settings: Settings, cards: Cards | None = None, added: Mapping[str, date] | None = None
) -> Site:
    """Every browsing page, and the district report as CSV (counted by `added`, each story's first commit)."""
    site = Site()
    cards = cards if cards is not None else Cards()
    for facet in FACETS:
        site.pages.extend(facet_pages(facet, stories, settings, cards, added))
    site.pages.extend(archive_pages(stories, settings, cards))
    for section in SECTIONS:
        site.pages.extend(filter_pages(section, stories, settings, cards))
        site.pages.extend(poster_pages(section, stories, settings))
    site.assets.append(
        Asset(addresses.facet_address("districts").lstrip("/") + REPORT_NAME, report_csv(stories, added))
    )
    return site
