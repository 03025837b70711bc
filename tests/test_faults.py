"""Family "faults" (issue "Nothing escapes"): a full disk, a read-only or unwritable site
folder, a killed build. Each ends with a Chinese message and no traceback, the previous
site whole, no process left behind, and the next build unhindered; the swap of the new
site leaves no moment without a site; the photo cache is written whole or not at all."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.core.story import Picture
from generator.publish import staging as publish
from generator.render import photos
from tests.conftest import ROOT
from tests.test_outputs import digest, project_copy

# Runs the build with the system calls that write the site failing: every os.write and
# os.mkdir aimed inside the staging folder raises the given errno, in the build's own
# process and in the processes it forks (they inherit the patch).
FAILING_BUILD = textwrap.dedent(
    """
    import errno, os, sys
    code = getattr(errno, sys.argv[1])
    real_write, real_mkdir, real_open = os.write, os.mkdir, os.open

    def staged(path):
        return ".building-" in str(path)

    def write(fd, data):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            target = ""
        if staged(target):
            raise OSError(code, os.strerror(code))
        return real_write(fd, data)

    def mkdir(path, *args, **kwargs):
        if staged(path) and sys.argv[2] == "folders":
            raise OSError(code, os.strerror(code), str(path))
        return real_mkdir(path, *args, **kwargs)

    os.write, os.mkdir = write, mkdir
    from generator.commands.cli import main
    sys.exit(main(sys.argv[3:]))
    """
)


def failing_build(project: Path, code: str, what: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "FEDERATION_STORIES_DIR"}
    args = ["--config", str(project / "mkdocs.yml"), "build", "--site-dir", str(project / "site")]
    return subprocess.run(
        [sys.executable, "-c", FAILING_BUILD, code, what, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def good_build(project: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "FEDERATION_STORIES_DIR"}
    args = ["--config", str(project / "mkdocs.yml"), "build", "--site-dir", str(project / "site")]
    return subprocess.run(
        [sys.executable, "-m", "generator", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize(
    ("code", "what", "message"),
    [
        ("ENOSPC", "files", "磁盘空间不足"),
        ("EROFS", "files", "只读"),
        ("EACCES", "folders", "没有写入权限"),
        ("EROFS", "folders", "只读"),
    ],
)
def test_a_build_that_cannot_write_says_why_in_chinese_and_keeps_the_site(
    code: str, what: str, message: str, tmp_path: Path
) -> None:
    project = project_copy(tmp_path)
    assert good_build(project).returncode == 0
    before = digest(tmp_path)
    result = failing_build(project, code, what)
    assert result.returncode == 1, result.stdout + result.stderr
    assert message in result.stderr and "原网站" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert digest(tmp_path) == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_killed_build_leaves_no_process_the_site_whole_and_the_next_build_works(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    assert good_build(project).returncode == 0
    before = digest(project / "site")
    env = {k: v for k, v in os.environ.items() if k != "FEDERATION_STORIES_DIR"}
    args = ["--config", str(project / "mkdocs.yml"), "build", "--site-dir", str(project / "site")]
    build = subprocess.Popen([sys.executable, "-m", "generator", *args], cwd=ROOT, env=env)
    children: list[int] = []
    deadline = time.monotonic() + 60
    while not children and build.poll() is None and time.monotonic() < deadline:
        children = children_of(build.pid)  # the background process, forked before MkDocs starts
        time.sleep(0.01)
    assert children, "the build forked no worker to watch"
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 10
    while any(alive(c) for c in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [c for c in children if alive(c)], "a worker outlived the killed build"
    assert digest(project / "site") == before
    result = good_build(project)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


def test_pool_workers_die_with_their_parent(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import os, sys, time
        from generator.core import workers
        running = workers.start(time.sleep, [30] * 1000, parallel_from=1)
        print(" ".join(str(p.pid) for p in running.pool._pool), flush=True)
        os.kill(os.getpid(), 9)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    pids = [int(p) for p in result.stdout.split()]
    assert pids, result.stderr
    deadline = time.monotonic() + 10
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [p for p in pids if alive(p)]


def test_a_stale_staging_folder_never_breaks_the_next_build(tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    stale = project / f".site.building-{os.getpid()}"
    (stale / "deep").mkdir(parents=True)
    (stale / "deep" / "half.html").write_text("half", "utf-8")
    os.chmod(stale / "deep", 0o500)
    (project / ".site.old-1").mkdir()
    result = good_build(project)
    assert result.returncode == 0, result.stderr
    assert (project / "site" / "index.html").is_file()
    assert [p.name for p in project.iterdir() if p.name.startswith(".site")] == []


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o002])
def test_the_built_site_is_as_readable_as_a_folder_mkdir_makes(umask: int, tmp_path: Path) -> None:
    """The staging folder comes from mkdtemp, which makes it private (0700): swapped in as
    it was, the web server's own user (nginx's `nobody`, `www-data`) got 403 on every page."""
    project = project_copy(tmp_path)
    old = os.umask(umask)
    try:
        result = good_build(project)
    finally:
        os.umask(old)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    for folder in (site, site / "rumours", site / "assets"):
        assert folder.stat().st_mode & 0o777 == 0o777 & ~umask, folder
    assert (site / "index.html").stat().st_mode & 0o777 == 0o666 & ~umask


def test_the_swap_leaves_no_moment_without_a_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("0", "utf-8")
    misses: list[str] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                (site / "index.html").read_text("utf-8")
            except OSError as exc:
                misses.append(str(exc))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for number in range(1, 60):
            staging = publish.stage(site)
            (staging / "index.html").write_text(str(number), "utf-8")
            publish.swap(staging, site)
    finally:
        stop.set()
        reader.join()
    assert (site / "index.html").read_text("utf-8") == "59"
    assert misses == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_the_swap_falls_back_to_renames_where_the_system_cannot_exchange(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(publish, "exchange", lambda first, second: False)
    site = tmp_path / "site"
    site.mkdir()
    (site / "old.html").write_text("old", "utf-8")
    staging = publish.stage(site)
    (staging / "index.html").write_text("new", "utf-8")
    publish.swap(staging, site)
    assert sorted(p.name for p in site.iterdir()) == ["index.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


@pytest.mark.requires("nginx")
def test_nginx_serves_the_site_through_every_swap(tmp_path: Path) -> None:
    from tests.browser.server import start_nginx
    from tests.tools import nginx_binary

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("0", "utf-8")
    binary = nginx_binary()
    assert binary is not None
    (tmp_path / "nginx").mkdir()
    server = start_nginx(binary, site, tmp_path / "nginx")
    statuses: list[int] = []
    stop = threading.Event()

    def fetch() -> None:
        while not stop.is_set():
            try:
                with urllib.request.urlopen(server.base_url + "/", timeout=5) as response:
                    statuses.append(response.status)
            except urllib.error.HTTPError as exc:
                statuses.append(exc.code)

    reader = threading.Thread(target=fetch)
    reader.start()
    try:
        for number in range(1, 100):
            staging = publish.stage(site)
            (staging / "index.html").write_text(str(number), "utf-8")
            publish.swap(staging, site)
            time.sleep(0.002)
    finally:
        stop.set()
        reader.join()
        server.stop()
    assert statuses and set(statuses) == {200}


@given(st.binary(max_size=2000), st.integers(min_value=0, max_value=2000))
def test_the_photo_cache_is_written_whole_or_not_at_all(data: bytes, cut: int) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as temporary:
        path = Path(temporary) / "picture.jpg"
        real_replace = os.replace

        def crash(source: str, target: str) -> None:
            raise OSError(errno.ENOSPC, "no space")

        os.replace = crash  # type: ignore[assignment]
        try:
            with pytest.raises(OSError):
                photos._write_atomically(path, data)
        finally:
            os.replace = real_replace
        assert not path.exists() and list(Path(temporary).iterdir()) == []
        photos._write_atomically(path, data[:cut])
        assert path.read_bytes() == data[:cut]
        assert [p.name for p in Path(temporary).iterdir()] == ["picture.jpg"]


def test_the_photo_cache_writes_through_the_atomic_writer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    from tests.conftest import sample_settings

    source = tmp_path / "stories" / "images" / "a.png"
    source.parent.mkdir(parents=True)
    Image.new("RGB", (20, 20), "red").save(source)
    written: list[Path] = []
    real = photos._write_atomically
    monkeypatch.setattr(photos, "_write_atomically", lambda path, data: (written.append(path), real(path, data)))
    from dataclasses import replace

    from generator import pipeline

    story = pipeline.check(sample_settings()).stories[0]
    story = replace(story, image=Picture("a.png", source, "a.png", 1), pictures=())
    site, problems = photos.render([story], sample_settings(root=tmp_path))
    assert site.assets
    assert not problems and written and all(p.is_file() for p in written)
    assert not [p for p in (tmp_path / ".cache" / "photos").iterdir() if p.name.endswith(".tmp")]
