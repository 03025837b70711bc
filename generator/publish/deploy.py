"""Deploying a built site to S3-compatible object storage (Aliyun OSS, Tencent COS, MinIO …).

The deploy plans first and then applies: it compares the files of the built site with a
manifest of content hashes that it keeps in the bucket itself (`.deploy-manifest.json`
under the prefix), uploads what is new or changed, and only then deletes what the site no
longer has, within a safety limit. The manifest is written last, so an interrupted deploy
is finished by the next one rather than trusted.

Nothing here imports boto3: `Store` is what the plan needs from a bucket, and `s3_store`
in `deploy_s3.py` makes one from boto3.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

MANIFEST_NAME = ".deploy-manifest.json"
MANIFEST_VERSION = 1
DEFAULT_DELETE_SHARE = 0.25  # a deploy that would delete more than this share of the bucket asks for --force

# How long readers and CDNs may keep each kind of file; mirrors deploy/site.conf.
PAGE_CACHE = "public, max-age=300"
ASSET_CACHE = "public, max-age=3600"
PICTURE_CACHE = "public, max-age=604800"
IMMUTABLE_CACHE = "public, max-age=31536000, immutable"

# Material's bundles carry a content hash in their names, and so does every file of the
# search index but its manifest (search.py): immutable.
_HASHED = re.compile(r"\.[0-9a-f]{8}\.min\.(?:css|js)$|^assets/search/(?!manifest\.json$)")
_PICTURE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".svg"}
_TEXT_TYPES = {"application/javascript", "application/json", "application/xml", "application/atom+xml"}
_TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "application/javascript",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".csv": "text/csv",
    ".svg": "image/svg+xml",
    ".webmanifest": "application/manifest+json",
    ".woff2": "font/woff2",
}


class DeployError(Exception):
    """A deploy that must not go on; the message is for the person running it (Chinese)."""


class Store(Protocol):
    """What a deploy needs from a bucket: list, read one object, write, delete."""

    def keys(self) -> set[str]:
        """Every object's key under the prefix, relative to it."""
        ...

    def read(self, key: str) -> bytes | None:
        """The object's bytes, or None when it does not exist."""
        ...

    def write(self, key: str, body: bytes, headers: Mapping[str, str]) -> None:
        """Create or replace one object with these headers."""
        ...

    def delete(self, keys: list[str]) -> None:
        """Remove these objects."""
        ...


@dataclass(frozen=True)
class LocalObject:
    """One object the site should have: where its bytes are, the headers, and their hash."""

    key: str
    source: Path
    headers: tuple[tuple[str, str], ...]
    digest: str


@dataclass
class Plan:
    """What a deploy will do: uploads first, deletions last."""

    local: dict[str, LocalObject]
    uploads: list[str] = field(default_factory=list)
    deletions: list[str] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        """One Chinese line: how many objects are uploaded, deleted and left alone."""
        return f"上传 {len(self.uploads)} 个文件，删除 {len(self.deletions)} 个，{self.unchanged} 个未变。"


def headers_for(key: str, gzip: bool) -> dict[str, str]:
    """The Content-Type, Cache-Control (and Content-Encoding) an object gets by its name."""
    suffix = Path(key).suffix.lower()
    kind = _TYPES.get(suffix) or mimetypes.guess_type(key)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in _TEXT_TYPES or kind == "image/svg+xml":
        kind += "; charset=utf-8"
    if _HASHED.search(key):
        cache = IMMUTABLE_CACHE
    elif suffix in _PICTURE_SUFFIXES:
        cache = PICTURE_CACHE
    elif key.startswith("assets/") and suffix in {".css", ".js"}:
        cache = ASSET_CACHE
    else:
        cache = PAGE_CACHE  # pages, feeds, the sitemap, search's manifest, the report CSV
    headers = {"Content-Type": kind, "Cache-Control": cache}
    if gzip:
        headers["Content-Encoding"] = "gzip"
    return headers


# A file's digest as an earlier deploy read it, by its path: valid while the file's size,
# times and inode are the same (a build links unchanged files from the site before, so they
# keep them); each deploy then reads only the files a build wrote anew.
Known = dict[str, tuple[tuple[int, int, int, int], str, str]]


def local_objects(site_dir: Path, gzip: bool, known: Known | None = None) -> dict[str, LocalObject]:
    """Every object of the built site, by key; with `gzip`, a text file's bytes are its `.gz`.
    `known`: digests an earlier deploy read (see Known), used where still valid and updated."""
    files = {path.relative_to(site_dir).as_posix(): path for path in _walk(site_dir)}
    objects: dict[str, LocalObject] = {}
    seen: Known = {}
    for key, path in sorted(files.items()):
        if key.endswith(".gz") and key[:-3] in files:
            continue  # the pre-compressed twin of another file: uploaded in its place, or not at all
        compressed = files.get(key + ".gz") if gzip else None
        source = compressed or path
        headers = headers_for(key, gzip=compressed is not None)
        digest = _digest(source, headers) if known is None else _known_digest(source, headers, known, seen)
        objects[key] = LocalObject(key, source, tuple(sorted(headers.items())), digest)
    if known is not None:
        known.clear()
        known.update(seen)  # only what this site holds
    return objects


def _known_digest(path: Path, headers: Mapping[str, str], known: Known, seen: Known) -> str:
    stat = os.lstat(path)
    stamp = (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
    said = json.dumps(sorted(headers.items()))
    name = os.path.abspath(path)
    earlier = known.get(name)
    digest = earlier[2] if earlier is not None and earlier[:2] == (stamp, said) else _digest(path, headers)
    seen[name] = (stamp, said, digest)
    return digest


def _walk(folder: Path) -> Iterator[Path]:
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(Path(entry.path))
        elif entry.is_file(follow_symlinks=False):
            yield Path(entry.path)


def _digest(path: Path, headers: Mapping[str, str]) -> str:
    """The hash of what is uploaded: bytes and headers, so a new Cache-Control uploads again."""
    digest = hashlib.sha256(path.read_bytes())
    digest.update(json.dumps(sorted(headers.items())).encode())
    return digest.hexdigest()


def read_manifest(store: Store) -> dict[str, str]:
    """The deploy's own record of what the bucket holds (key → hash); empty if missing or unreadable."""
    raw = store.read(MANIFEST_NAME)
    if raw is None:
        return {}
    try:
        manifest = json.loads(raw)
    except ValueError:
        return {}  # a damaged manifest is not trusted: everything is uploaded again
    if not isinstance(manifest, dict) or manifest.get("version") != MANIFEST_VERSION:
        return {}
    objects = manifest.get("objects")
    if not isinstance(objects, dict):
        return {}
    return {str(k): str(v) for k, v in objects.items()}


def make_plan(local: dict[str, LocalObject], remote: set[str], manifest: Mapping[str, str]) -> Plan:
    """Compare the site with the bucket: upload what is new or changed, delete what is gone."""
    plan = Plan(local)
    for key, item in local.items():
        # An object the manifest lists but the bucket lost (deleted by hand) goes up again.
        if manifest.get(key) == item.digest and key in remote:
            plan.unchanged += 1
        else:
            plan.uploads.append(key)
    plan.deletions = sorted(key for key in remote - local.keys() if key != MANIFEST_NAME)
    return plan


def check_deletions(plan: Plan, remote: set[str], share: float, force: bool) -> None:
    """Refuse a deploy that would delete more than `share` of the bucket, unless forced."""
    existing = len(remote - {MANIFEST_NAME})
    if force or not existing or len(plan.deletions) <= share * existing:
        return
    raise DeployError(
        f"这次部署要删除存储桶里 {len(plan.deletions)} 个文件（共 {existing} 个，超过 {share:.0%}）："
        "请确认 --site-dir 指向完整生成的网站、--prefix 没有写错；确实要删除时加 --force。"
    )


def apply(plan: Plan, store: Store, threads: int = 8, progress: Callable[[str], None] | None = None) -> dict[str, str]:
    """Upload, then delete, then record the manifest; return the manifest written."""

    def upload(key: str) -> str:
        item = plan.local[key]
        store.write(key, item.source.read_bytes(), dict(item.headers))
        return key

    with ThreadPoolExecutor(max_workers=threads) as pool:
        for key in pool.map(upload, plan.uploads):
            if progress:
                progress(key)
    for start in range(0, len(plan.deletions), 1000):  # S3's DeleteObjects takes 1,000 keys at most
        store.delete(plan.deletions[start : start + 1000])
    manifest = {key: item.digest for key, item in plan.local.items()}
    body = json.dumps({"version": MANIFEST_VERSION, "objects": manifest}, sort_keys=True).encode()
    store.write(MANIFEST_NAME, body, {"Content-Type": "application/json", "Cache-Control": "no-store"})
    return manifest


def changed_addresses(keys: Iterable[str], base_url: str) -> list[str]:
    """The addresses a CDN must refresh for these objects: `a/index.html` is also `a/`."""
    base = base_url.rstrip("/") + "/"
    addresses: set[str] = set()
    for key in keys:
        addresses.add(base + key)
        if key == "index.html" or key.endswith("/index.html"):
            addresses.add(base + key[: -len("index.html")])
    return sorted(addresses)
