"""Read-aloud (朗读本文): the text a story page reads, and its audio made at build time.

On the reader's device, `assets/javascripts/listen.js` reads the page with the Web Speech
API when the browser has a Chinese voice; otherwise it plays the audio made here by an
offline engine. The engine sits behind one small interface (`Engine`): `EspeakEngine`
runs Debian's espeak-ng with its Mandarin voice (`cmn`) and encodes MP3 (mono, 11 kHz,
16 kbit/s: about 2 KB a second, played by every phone); a better offline engine is a
new class.

What is read is the page's visible text in reading order, from the story's own HTML:
a rumour's verdict and fact come first (the truth sandwich), its claim only after, marked.
The parts that are not the story (section link, byline, share block, tags, sources) are
skipped, by the same selectors in Python and in the browser (`SKIP`, written into the
page). Audio files are kept in `.cache/listen/`, named by a digest of what the text is
made from, the recipe and the engine's version, so a rebuild speaks only changed stories;
the site gets hard links (emit.py). A preview (`serve`) makes none: the button then uses
the browser's voice alone. A machine without the engine builds the site with a warning.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tempfile
import wave
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path

from generator.content.body import BodyRenderer
from generator.content.problems import Problem, warning
from generator.core import addresses, workers
from generator.core.files import write_atomically
from generator.core.outputs import Asset, Site
from generator.core.settings import Settings
from generator.core.story import Story
from generator.render import pages
from generator.render.readaloud import FIRST, SKIP, Control, control  # noqa: F401 - read here too

RECIPE = "v1"  # change it when what is read changes (templates, SKIP): every story is spoken again
_SKIP_CLASSES = frozenset(selector.lstrip(".") for selector in SKIP)
_FIRST_CLASSES = frozenset(selector.lstrip(".") for selector in FIRST)
_SKIP_TAGS = frozenset({"svg", "script", "style", "template", "button", "img", "figure"})
_BLOCKS = frozenset(
    {
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "dt",
        "dd",
        "tr",
        "div",
        "section",
        "blockquote",
        "figcaption",
        "caption",
        "th",
        "td",
        "br",
        "table",
        "ol",
        "ul",
        "dl",
        "article",
        "aside",
    }
)
_VOID = frozenset({"br", "img", "hr", "input", "meta", "link", "source", "wbr", "area", "col", "embed", "track"})
_ENDS_SENTENCE = re.compile(r"[。！？；：.!?;:…]$")
_PARALLEL_FROM = 4  # speaking a story takes a tenth of a second or more


class _TextReader(HTMLParser):
    """The visible text of a story page's HTML, block by block, in document order."""

    def __init__(self, first: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.first = first  # read only what is read first; else all but it
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skipping: list[str] = []  # the open tags of a skipped element, innermost last
        self.inside: list[str] = []  # the open tags of an element read first, innermost last

    def _skip(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        found = dict(attrs)
        classes = set((found.get("class") or "").split())
        if not self.first and classes & _FIRST_CLASSES:
            return True
        return (
            tag in _SKIP_TAGS
            or bool(classes & _SKIP_CLASSES)
            or "hidden" in found
            or found.get("aria-hidden") == "true"
        )

    def _enter(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        if self.inside or set((dict(attrs).get("class") or "").split()) & _FIRST_CLASSES:
            self.inside.append(tag)

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        self.current = []
        if text:
            self.blocks.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping:
            if tag not in _VOID:
                self.skipping.append(tag)
            return
        if self._skip(tag, attrs):
            if tag not in _VOID:
                self.skipping.append(tag)
            return
        if self.first:
            self._enter(tag, attrs)
        if tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if self.inside and tag == self.inside[-1]:
            self.inside.pop()
        if tag in _BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self.skipping and (self.inside or not self.first):
            self.current.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def page_text(html: str) -> str:
    """What the read-aloud reads of a story page's content: its visible blocks in order, each
    ending as a sentence, so that an engine pauses between them."""
    blocks = []
    for first in (True, False):
        reader = _TextReader(first)
        reader.feed(html)
        reader.close()
        blocks += reader.blocks
    return "\n".join(block if _ENDS_SENTENCE.search(block) else block + "。" for block in blocks)


class Engine:
    """An offline text-to-speech engine: its identity (None when it is not installed here)
    and the compressed audio of a text. A subclass is all a better engine needs."""

    name = "none"
    suffix = ".mp3"
    mime = "audio/mpeg"

    def identity(self) -> str | None:
        """A string naming the engine, its version and its settings (part of each file's cache key)."""
        return None

    def speak(self, text: str) -> bytes:
        """The audio of `text`, ready to publish."""
        raise NotImplementedError

    def missing(self) -> str:
        """How to install the engine, for the build's warning."""
        return ""


class EspeakEngine(Engine):
    """espeak-ng (Debian's `espeak-ng`) with its Mandarin voice, encoded to MP3 by LAME (lameenc)."""

    name = "espeak-ng"
    voice = "cmn"
    words_per_minute = 165  # a little below espeak's 175: the site's readers are often elderly
    sample_rate = 11025  # MPEG-2.5 Layer III; speech needs no more than 5.5 kHz of bandwidth here
    bit_rate = 16  # kbit/s, mono

    def __init__(self, program: str | None = None) -> None:
        self.program = program or shutil.which("espeak-ng")
        self._identity: tuple[str | None] | None = None  # asked once per engine object: it never changes

    def identity(self) -> str | None:
        if self._identity is None:
            self._identity = (self._find_identity(),)
        return self._identity[0]

    def _find_identity(self) -> str | None:
        if not self.program:
            return None
        try:
            version = (
                subprocess.run([self.program, "--version"], capture_output=True, text=True, timeout=30, check=True)
                .stdout.split("Data at")[0]
                .strip()
            )
            import lameenc  # type: ignore[import-not-found]  # noqa: F401  # no type information shipped; part of requirements.txt
        except (OSError, subprocess.SubprocessError, ImportError):
            return None
        from importlib.metadata import version as package_version

        settings = f"{self.voice} {self.words_per_minute}wpm {self.sample_rate}Hz {self.bit_rate}kbps"
        return f"{version}; lameenc {package_version('lameenc')}; {settings}"

    def speak(self, text: str) -> bytes:
        import lameenc

        assert self.program is not None
        with tempfile.TemporaryDirectory(prefix="fed-listen-") as folder:
            spoken = Path(folder) / "spoken.wav"
            subprocess.run(
                [self.program, "-v", self.voice, "-s", str(self.words_per_minute), "-b", "1", "-w", str(spoken)],
                input=text.encode("utf-8"),
                capture_output=True,
                timeout=600,
                check=True,
            )
            with wave.open(str(spoken), "rb") as sound:
                rate, channels = sound.getframerate(), sound.getnchannels()
                pcm = sound.readframes(sound.getnframes())
        encoder = lameenc.Encoder()
        encoder.set_in_sample_rate(rate)
        encoder.set_channels(channels)
        encoder.set_out_sample_rate(self.sample_rate)
        encoder.set_bit_rate(self.bit_rate)
        encoder.set_quality(5)
        return bytes(encoder.encode(pcm) + encoder.flush())

    def missing(self) -> str:
        return "sudo apt-get install -y espeak-ng"


def default_engine() -> Engine:
    """The engine builds use."""
    return EspeakEngine()


def audio_address(story: Story) -> str:
    """The site path of a story's audio, beside its page."""
    return f"{story.url.strip('/')}/{addresses.LISTEN_FILE}"


def _cache_dir(settings: Settings) -> Path:
    return settings.cache("listen")


def _made_from(story: Story, successor: Story | None, settings: Settings, engine: str) -> str:
    """The cache key: everything the read text is made from, the recipe and the engine."""
    inputs = (
        RECIPE,
        engine,
        story.section.key,
        story.title,
        story.summary,
        story.body,
        story.author,
        repr(story.status),
        repr(sorted((k, repr(v)) for k, v in story.fields.items())),
        story.overdue(settings.today),
        successor.title if successor else "",
    )
    return hashlib.sha256(repr(inputs).encode("utf-8")).hexdigest()[:32]


def story_text(story: Story, successor: Story | None, settings: Settings) -> str:
    """What the read-aloud reads of a story: the visible text of its page's content."""
    return page_text(pages.make_story_page((story, successor), settings, BodyRenderer()).html)


def _make(job: tuple[Story, Story | None, Settings, Engine, Path]) -> None:
    story, successor, settings, engine, target = job
    write_atomically(target, engine.speak(story_text(story, successor, settings)))


def render(stories: Sequence[Story], settings: Settings, engine: Engine | None = None) -> tuple[Site, list[Problem]]:
    """Every story's audio, as files of the site (only new or changed stories are spoken), and
    the warning of a machine without the engine."""
    if settings.include_drafts or not settings.read_aloud:
        # A preview: the browser's voice only, no waiting for audio on each save; or audio
        # switched off (`read_aloud: false`, FEDERATION_READ_ALOUD=false: the benchmarks).
        return Site(), []
    engine = engine or default_engine()
    identity = engine.identity()
    if identity is None:
        return Site(), [
            warning(
                "build.speech-engine-missing",
                "requirements.txt",
                0,
                f"找不到朗读引擎 {engine.name}：这次生成的文章没有预先录好的朗读语音，“朗读本文”只能用读者手机、电脑自带的中文语音"
                f"（没有中文语音的设备上不能朗读）。请运行 {engine.missing()} 后重新生成。",
            )
        ]
    folder = _cache_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    by_url = {s.url: s for s in stories}
    made: list[tuple[Story, Path]] = []
    todo: list[tuple[Story, Story | None, Settings, Engine, Path]] = []
    for story in stories:
        successor = by_url.get(story.superseded_by)
        target = folder / f"{_made_from(story, successor, settings, identity)}{engine.suffix}"
        made.append((story, target))
        if not target.is_file():
            todo.append((story, successor, settings, engine, target))
    workers.map_all(_make, todo, parallel_from=_PARALLEL_FROM)
    # Each file is its story's own, beside its page (a clash names the story).
    files = [Asset(src_uri=audio_address(s), source=target, origin=s.path) for s, target in made]
    site = Site(assets=files, cache_used={"listen": [target for _, target in made]})
    return site, []


def seconds(mp3: bytes, engine: EspeakEngine | None = None) -> float:
    """How long a constant-bit-rate MP3 made by `EspeakEngine` plays (for the benchmark and tests)."""
    return len(mp3) * 8 / ((engine or EspeakEngine()).bit_rate * 1000)
