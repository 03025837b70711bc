"""Generate a synthetic, valid corpus of Chinese stories for benchmarks and search tests.

Usage: python benchmarks/corpus.py OUT_DIR --n 1000 --seed 1
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import random
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import yaml
from PIL import Image, ImageDraw

PHRASES_FILE = Path(__file__).with_name("phrases.yaml")
SECTION_SHARES = {"knowledge": 0.45, "rumours": 0.30, "exemplars": 0.25}
FIRST_DAY = dt.date(2020, 1, 25)
LAST_DAY = dt.date(2023, 12, 31)
FAR_REVIEW_DUE = dt.date(2099, 12, 31)
CITY = "市妇联"
IMAGE_SHARE = 0.10
IMAGE_POOL_SIZE = 12
IMAGE_SIZE = (800, 500)
PLANTED_WORDS = ("勤洗手", "蒲公英核酸")
TITLE_MAX = 40
SUMMARY_MAX = 100
BODY_CHARS = (1300, 1700)
DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")
# The project refuses private mobile numbers and ID numbers; keep every digit run short.
LONG_DIGITS = re.compile(r"\d{7,}")

Phrases = dict[str, Any]


@dataclass(frozen=True)
class Plants:
    """Which stories carry the search-test words."""

    handwash: frozenset[int]
    rare: frozenset[int]
    liangjiang: frozenset[int]
    image: frozenset[int]


class Slots(dict[str, str]):
    """Template values fixed per story; count-like slots get a fresh number on every use."""

    RANGES: ClassVar[dict[str, tuple[int, int]]] = {
        "n": (12, 3000),
        "small": (3, 60),
        "month": (1, 12),
        "day": (1, 28),
        "years": (3, 25),
    }

    def __init__(self, rng: random.Random, **values: str) -> None:
        super().__init__(values)
        self.rng = rng

    def __missing__(self, key: str) -> str:
        low, high = self.RANGES[key]
        return str(self.rng.randint(low, high))


@dataclass
class Draft:
    """One story being composed: its template values, headline, then front matter in file order."""

    section: str
    date: dt.date
    slots: Slots
    slug_word: str = ""
    title: str = ""
    summary: str = ""
    topic_tag: str = ""
    front: dict[str, Any] = field(default_factory=dict)


def load_phrases(path: Path = PHRASES_FILE) -> Phrases:
    """Load the text pools and refuse pools where a planted search word leaked in."""
    phrases: Phrases = yaml.safe_load(path.read_text(encoding="utf-8"))
    # 两江新区 is a real district, so only the district list may hold it besides `planted`.
    elsewhere = {key: pool for key, pool in phrases.items() if key not in ("planted", "districts")}
    text = json.dumps(elsewhere, ensure_ascii=False)
    for word in (*PLANTED_WORDS, phrases["planted"]["tag"]):
        if word in text:
            raise ValueError(f"{path}: search word {word!r} appears outside `planted`")
    return phrases


def generate(
    root: Path,
    n: int,
    seed: int = 1,
    *,
    handwash: float = 0.3,
    rare: int = 3,
    liangjiang: float = 0.05,
) -> None:
    """Write n valid stories under root/{knowledge,rumours,exemplars} and images under root/images."""
    phrases = load_phrases()
    rng = random.Random(seed)
    sections = assign_sections(n, rng)
    plants = choose_plants(n, rng, handwash=handwash, rare=rare, liangjiang=liangjiang)
    jpegs = jpeg_pool(random.Random(seed)) if plants.image else []
    prepare_dirs(root, bool(jpegs))
    for index, section in enumerate(sections):
        draft = compose(index, section, rng, phrases, plants)
        name = f"{draft.date.isoformat()}-{draft.slug_word}-{index:05d}"
        if index in plants.image:
            (root / "images" / f"{name}.jpg").write_bytes(rng.choice(jpegs))
            draft.front["image"] = f"../images/{name}.jpg"
            draft.front["image_alt"] = fill(rng.choice(phrases[section]["image_alts"]), draft)
        text = "---\n" + front_matter(draft.front) + "---\n\n" + body(draft, rng, phrases, plants, index)
        (root / section / f"{name}.md").write_text(text, encoding="utf-8")


def assign_sections(n: int, rng: random.Random) -> list[str]:
    """Give each story index a section, in the configured shares, shuffled."""
    counts = {name: int(n * share) for name, share in SECTION_SHARES.items()}
    counts["knowledge"] += n - sum(counts.values())
    sections = [name for name, count in counts.items() for _ in range(count)]
    rng.shuffle(sections)
    return sections


def choose_plants(n: int, rng: random.Random, *, handwash: float, rare: int, liangjiang: float) -> Plants:
    """Pick exact numbers of stories for each planted word, so tests can count hits."""
    everyone = range(n)
    return Plants(
        handwash=frozenset(rng.sample(everyone, round(n * handwash))),
        rare=frozenset(rng.sample(everyone, min(rare, n))),
        liangjiang=frozenset(rng.sample(everyone, round(n * liangjiang))),
        image=frozenset(rng.sample(everyone, round(n * IMAGE_SHARE))),
    )


def prepare_dirs(root: Path, with_images: bool) -> None:
    """Create the section folders; refuse to mix with an earlier corpus."""
    for folder in (*SECTION_SHARES, "images"):
        path = root / folder
        if path.is_dir() and any(path.iterdir()):
            raise FileExistsError(f"{path} is not empty; generate into a fresh directory")
        if folder != "images" or with_images:
            path.mkdir(parents=True, exist_ok=True)


def jpeg_pool(rng: random.Random) -> list[bytes]:
    """Encode a few colour-block photos once; stories get copies, which keeps 10,000 fast."""
    pool = []
    for _ in range(IMAGE_POOL_SIZE):
        image = Image.new("RGB", IMAGE_SIZE, random_colour(rng))
        draw = ImageDraw.Draw(image)
        for _ in range(12):
            x, y = rng.randrange(IMAGE_SIZE[0]), rng.randrange(IMAGE_SIZE[1])
            box = (x, y, x + rng.randint(40, 400), y + rng.randint(40, 300))
            draw.rectangle(box, fill=random_colour(rng))
        # Phone photos carry GPS; the site must strip it, so the benchmark pays for that too.
        exif = Image.Exif()
        exif[0x010F] = "HUAWEI"
        gps = exif.get_ifd(0x8825)
        gps.update({1: "N", 2: (29.0, 33.0, 30.0), 3: "E", 4: (106.0, 33.0, 0.0)})
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=80, exif=exif)
        pool.append(buffer.getvalue())
    return pool


def random_colour(rng: random.Random) -> tuple[int, int, int]:
    """A random RGB colour."""
    return (rng.randrange(256), rng.randrange(256), rng.randrange(256))


def random_date(rng: random.Random) -> dt.date:
    """A publication date; half fall in the first months of 2020, when most was written."""
    last = dt.date(2020, 6, 30) if rng.random() < 0.5 else LAST_DAY
    return FIRST_DAY + dt.timedelta(days=rng.randint(0, (last - FIRST_DAY).days))


def compose(index: int, section: str, rng: random.Random, phrases: Phrases, plants: Plants) -> Draft:
    """Draw the front matter of one story."""
    district = rng.choice(phrases["districts"])
    district_name = "重庆市" if district == CITY else district
    place, expert = rng.choice(phrases["places"]), rng.choice(phrases["experts"])
    slots = Slots(rng, district=district_name, place=place, expert=expert)
    draft = Draft(section=section, date=random_date(rng), slots=slots)
    specific = SECTION_FIELDS[section](draft, rng, phrases)
    planted_tag = phrases["planted"]["tag"] if index in plants.liangjiang else None
    draft.front = {"title": draft.title, "date": draft.date}
    # Some stories leave the summary to the generator, which takes the first paragraph.
    if rng.random() < 0.85 and len(draft.summary) <= SUMMARY_MAX:
        draft.front["summary"] = draft.summary
    draft.front["tags"] = tags(rng, phrases["tags"], draft.topic_tag, planted_tag)
    draft.front["district"] = district
    draft.front["author"] = f"{district_name}妇联"
    draft.front.update(specific)
    return draft


def knowledge(draft: Draft, rng: random.Random, phrases: Phrases) -> dict[str, Any]:
    """Headline and fields of a prevention-knowledge story."""
    pool = phrases["knowledge"]
    topic, draft.slug_word, draft.topic_tag = rng.choice(pool["topics"])
    title = fill(rng.choice(pool["title_prefixes"]) + topic + rng.choice(pool["title_suffixes"]), draft)
    draft.title = title if len(title) <= TITLE_MAX else topic
    draft.summary = fill(rng.choice(pool["summaries"]).replace("{topic}", topic), draft)
    draft.slots["reviewed_by"] = fill(rng.choice(pool["reviewed_by"]), draft)
    fields: dict[str, Any] = {
        "sources": [
            {
                "title": title_of_source(rng, pool["sources"]),
                "url": authority_url(rng, "www.nhc.gov.cn", rng.choice(pool["source_paths"]), draft.date),
            }
            for _ in range(rng.randint(1, 2))
        ],
        "reviewed": draft.date,
        "reviewed_by": draft.slots["reviewed_by"],
    }
    # The rest fall back to the site's review period and show as overdue, as old stories do.
    if rng.random() < 0.9:
        fields["review_due"] = FAR_REVIEW_DUE
    if rng.random() < 0.4:
        fields["audience"] = rng.sample(pool["audience"], rng.randint(1, 2))
    return fields


def rumour(draft: Draft, rng: random.Random, phrases: Phrases) -> dict[str, Any]:
    """Headline and fields of a rumour-rebuttal story."""
    pool = phrases["rumours"]
    claim, verdict, draft.slug_word = rng.choice(pool["claims"])
    core = claim.removeprefix("网传").removesuffix("？")
    draft.slots["claim_text"] = core
    label = phrases["verdict_labels"][verdict]
    draft.title = fill(rng.choice(pool["title_templates"]).replace("{core}", core).replace("{label}", label), draft)
    summary = rng.choice(pool["summaries"]).replace("{core}", core)
    draft.summary = summary.replace("{verdict_phrase}", phrases["verdict_phrases"][verdict])
    draft.topic_tag = "谣言"
    seen = max(FIRST_DAY, draft.date - dt.timedelta(days=rng.randint(1, 10)))
    return {
        "claim": claim,
        "verdict": verdict,
        "claim_seen": f"{rng.choice(pool['platforms'])}，{seen.isoformat()}",
        "sources": [
            {"title": source_title, "url": authority_url(rng, host, "xcs/fkdt", draft.date)}
            for source_title, host in rng.sample(pool["sources"], rng.randint(1, 2))
        ],
    }


def exemplar(draft: Draft, rng: random.Random, phrases: Phrases) -> dict[str, Any]:
    """Headline and fields of an exemplary-woman story."""
    pool = phrases["exemplars"]
    role, organisation, draft.slug_word = rng.choice(pool["roles"])
    name = rng.choice(phrases["surnames"]) + rng.choice(("某", "某某"))
    draft.slots.update(name=name, role=role, org=fill(organisation, draft))
    draft.title = f"{role}{name}：{rng.choice(pool['title_phrases'])}"
    draft.summary = fill(rng.choice(pool["summaries"]), draft)
    draft.topic_tag = "巾帼志愿者" if role == "巾帼志愿者" else rng.choice(("医护人员", "基层妇联", "巾帼建功"))
    fields: dict[str, Any] = {"name": name, "role": role, "organisation": draft.slots["org"]}
    if rng.random() < 0.6:
        fields["honours"] = honours(draft, rng, pool["honours"])
    fields["consent"] = True
    return fields


SECTION_FIELDS: dict[str, Callable[[Draft, random.Random, Phrases], dict[str, Any]]] = {
    "knowledge": knowledge,
    "rumours": rumour,
    "exemplars": exemplar,
}


def honours(draft: Draft, rng: random.Random, known: dict[str, list[str]]) -> list[Any]:
    """One or two honours, mixing plain names with {title, year, level, issuer}."""
    chosen = rng.sample(sorted(known), rng.randint(1, 2))
    entries: list[Any] = []
    for title in chosen:
        if rng.random() < 0.5:
            entries.append(title)
            continue
        level, issuer = known[title]
        year = rng.randint(2020, max(2020, draft.date.year))
        entries.append({"title": title, "year": year, "level": level, "issuer": fill(issuer, draft)})
    return entries


def tags(rng: random.Random, pool: Sequence[str], topic_tag: str, planted: str | None) -> list[str]:
    """Two to four distinct tags, led by the topic's own."""
    others = [tag for tag in rng.sample(pool, 5) if tag != topic_tag]
    chosen = [topic_tag, *others[: rng.randint(1, 3)]]
    if planted and len(chosen) == 4:
        chosen[-1] = planted
    elif planted:
        chosen.append(planted)
    return chosen


def title_of_source(rng: random.Random, titles: Sequence[str]) -> str:
    """A guidance document's title, sometimes with an edition."""
    title = rng.choice(titles)
    return title + rng.choice(("", "", f"（第{rng.choice('三四五六七八九')}版）"))


def authority_url(rng: random.Random, host: str, path: str, date: dt.date) -> str:
    """A plausible document address on an authority's site."""
    while True:
        token = "".join(rng.choices("0123456789abcdef", k=32))
        if not LONG_DIGITS.search(token):
            return f"https://{host}/{path}/{date:%Y%m}/{token}.shtml"


def fill(template: str, draft: Draft) -> str:
    """Fill a template's slots from the story."""
    return template.format_map(draft.slots) if "{" in template else template


def body(draft: Draft, rng: random.Random, phrases: Phrases, plants: Plants, index: int) -> str:
    """About 1,700 characters: an opening paragraph, two or three `##` parts, sometimes a list."""
    pool = phrases[draft.section]
    slots = draft.slots
    sentences = [*pool["sentences"], *phrases["common"]["sentences"]]

    def paragraph() -> str:
        chosen = rng.sample(sentences, rng.randint(3, 5))
        return "".join(s.format_map(slots) if "{" in s else s for s in chosen)

    blocks = [paragraph()]
    headings = rng.sample(pool["headings"], rng.randint(2, 3))
    share = (rng.randint(*BODY_CHARS) - len(blocks[0])) // len(headings)
    for heading in headings:
        blocks.append(f"## {heading}")
        written = 0
        while written < share:
            blocks.append(paragraph())
            written += len(blocks[-1])
        if rng.random() < 0.2:
            items = rng.sample(pool["list_items"], rng.randint(3, 5))
            marker = "1." if rng.random() < 0.3 else "-"
            blocks.append("\n".join(f"{marker} {item}" for item in items))
    extra = []
    if index in plants.handwash:
        extra.append(rng.choice(phrases["planted"]["handwash"]))
    if index in plants.rare:
        extra.append(phrases["planted"]["rare"].format_map(slots))
    paragraphs = [i for i, block in enumerate(blocks) if not block.startswith(("## ", "- ", "1. "))]
    for sentence in extra:
        at = rng.choice(paragraphs)
        blocks[at] += sentence
    return "\n\n".join(blocks) + "\n"


def front_matter(front: dict[str, Any]) -> str:
    """YAML for the front matter, by hand: PyYAML's dumper alone takes 4 s per 10,000 without libyaml."""
    lines = []
    for key, value in front.items():
        if isinstance(value, list):
            lines.append(f"{key}:")
            lines.extend(list_item(item) for item in value)
        else:
            lines.append(f"{key}: {scalar(value)}")
    return "\n".join(lines) + "\n"


def list_item(item: Any) -> str:
    """One block-style list entry, a scalar or a mapping."""
    if isinstance(item, dict):
        keys = list(item.items())
        head = f"  - {keys[0][0]}: {scalar(keys[0][1])}"
        return "\n".join([head, *(f"    {key}: {scalar(value)}" for key, value in keys[1:])])
    return f"  - {scalar(item)}"


def scalar(value: Any) -> str:
    """A YAML scalar: dates and numbers bare, strings double-quoted so `false` stays a string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def page_path(story: Path, stories: Path) -> str:
    """The address CONTENT.md gives a story file, `<section>/<slug>/`, relative to the site root."""
    section = story.relative_to(stories).parts[0]
    return f"{section}/{DATE_PREFIX.sub('', story.stem)}/"


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write a corpus and say how long it took."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--n", type=int, default=1000, help="number of stories")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--handwash", type=float, default=0.3, help="share of stories whose body contains 勤洗手")
    parser.add_argument("--rare", type=int, default=3, help="number of stories containing 蒲公英核酸")
    parser.add_argument("--liangjiang", type=float, default=0.05, help="share of stories tagged 两江新区")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        generate(args.out_dir, args.n, args.seed, handwash=args.handwash, rare=args.rare, liangjiang=args.liangjiang)
    except FileExistsError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"wrote {args.n} stories to {args.out_dir} in {time.perf_counter() - start:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
