"""Pictures on their way to the site: orientation applied, metadata gone, size bounded.

A phone photo carries where it was taken (EXIF GPS), the phone's name, comments and XMP;
published as is, it tells the world where a volunteer lives. Every picture is therefore
decoded and encoded again, which keeps only pixels. Results are cached on disk by the
source's bytes, and the work is spread over the machine's cores.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from generator.content.problems import Problem, error
from generator.core import workers
from generator.core.files import write_atomically as _write_atomically  # tests watch it here
from generator.core.outputs import Asset, Site
from generator.core.settings import Settings
from generator.core.story import Picture, Story

MAX_WIDTH = 1600
THUMBNAIL_WIDTH = 480
MAX_PIXELS = 50_000_000  # as generator.content.fields.MAX_PICTURE_PIXELS, which check enforces
JPEG_QUALITY = 82
RECIPE = f"v1-{MAX_WIDTH}-{THUMBNAIL_WIDTH}-{JPEG_QUALITY}"  # change it to invalidate the cache
_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP", ".gif": "GIF"}
_PARALLEL_FROM = 8  # a picture takes tens of milliseconds: a pool pays off far sooner than for pages


@dataclass(frozen=True)
class Job:
    """One picture to publish: where it comes from, its format, and whether listings need it small."""

    source: Path
    suffix: str
    thumbnail: bool


def _to_srgb(image: Image.Image) -> Image.Image:
    profile = image.info.get("icc_profile")
    if not profile:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"))
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # an unreadable profile: keep the pixels as they are, drop the profile
    return converted if converted is not None else image


def _encode(image: Image.Image, fmt: str, width: int) -> bytes:
    if image.width > width:
        image = image.resize((width, max(1, round(image.height * width / image.width))), Image.Resampling.LANCZOS)
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    # A fresh info dict: Pillow writes comments, XMP and profiles back from it otherwise.
    image.info = {}
    out = io.BytesIO()
    if fmt == "JPEG":
        image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    elif fmt == "WEBP":
        image.save(out, "WEBP", quality=JPEG_QUALITY, method=4)
    elif fmt == "GIF":
        image.save(out, "GIF", optimize=True)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def encode(job: Job) -> tuple[bytes, bytes | None]:
    """The picture re-encoded for the page, and its small variant when listings need one."""
    fmt = _FORMATS[job.suffix]
    with Image.open(job.source) as opened:
        if opened.width * opened.height > MAX_PIXELS:
            raise ValueError("too many pixels")
        if fmt == "JPEG":
            opened.draft("RGB", (MAX_WIDTH, MAX_WIDTH * 4))  # decode big JPEGs at a reduced scale
        image = ImageOps.exif_transpose(opened)
        image.load()
    image = _to_srgb(image)
    full = _encode(image.copy(), fmt, MAX_WIDTH)
    small = _encode(image.copy(), fmt, THUMBNAIL_WIDTH) if job.thumbnail else None
    return full, small


def _cache_paths(cache_dir: Path, job: Job) -> tuple[Path, Path]:
    digest = hashlib.sha256(job.source.read_bytes() + RECIPE.encode()).hexdigest()[:32]
    return cache_dir / f"{digest}{job.suffix}", cache_dir / f"{digest}-small{job.suffix}"


def render(stories: Sequence[Story], settings: Settings) -> tuple[Site, list[Problem]]:
    """Every picture of the stories, cleaned, as files beside each story's page."""
    cache_dir = settings.cache("photos")
    placed: list[tuple[str, Job, Picture, Story]] = []  # (folder of the page, job, picture, story)
    for story in stories:
        pictures = [(story.image, True)] if story.image else []
        pictures += [(p, False) for p in story.pictures]
        seen: set[str] = set()
        for picture, lead in pictures:
            if picture.name in seen:
                continue
            seen.add(picture.name)
            job = Job(picture.source, picture.source.suffix.lower(), lead)
            placed.append((f"{story.section.key}/{story.slug}/", job, picture, story))
    results: dict[Job, tuple[bytes, bytes | None]] = {}
    todo: dict[Job, tuple[Path, Path]] = {}
    kept: dict[Job, tuple[Path, ...]] = {}  # the cache files of each picture, for the sweep
    for _, job, _, _ in placed:
        if job in results or job in todo:
            continue
        full_path, small_path = _cache_paths(cache_dir, job)
        kept[job] = (full_path, small_path) if job.thumbnail else (full_path,)
        if full_path.is_file() and (not job.thumbnail or small_path.is_file()):
            results[job] = (full_path.read_bytes(), small_path.read_bytes() if job.thumbnail else None)
        else:
            todo[job] = (full_path, small_path)
    failed: dict[Job, str] = {}
    jobs = list(todo)
    for job, outcome in zip(jobs, workers.map_all(_safe_encode, jobs, parallel_from=_PARALLEL_FROM), strict=True):
        if isinstance(outcome, str):
            failed[job] = outcome
            continue
        results[job] = outcome
        full_path, small_path = todo[job]
        cache_dir.mkdir(parents=True, exist_ok=True)
        _write_atomically(full_path, outcome[0])
        if outcome[1] is not None:
            _write_atomically(small_path, outcome[1])
    site = Site(cache_used={"photos": [path for job, paths in kept.items() if job not in failed for path in paths]})
    problems: list[Problem] = []
    for folder, job, picture, story in placed:
        if job in failed:
            problems.append(
                error(
                    "picture.unprocessable",
                    story.path,
                    picture.line,
                    f"图片「{picture.ref}」无法处理（{failed[job]}）：文件可能已损坏；请重新导出为 JPG 或 PNG。",
                )
            )
            continue
        full, small = results[job]
        origin = f"{story.path} 的图片「{picture.ref}」"
        site.assets.append(Asset(src_uri=folder + picture.name, content=full, origin=origin))
        if small is not None:
            site.assets.append(Asset(src_uri=folder + picture.thumbnail, content=small, origin=origin))
    return site, problems


def _safe_encode(job: Job) -> tuple[bytes, bytes | None] | str:
    try:
        return encode(job)
    except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError) as exc:
        return type(exc).__name__
