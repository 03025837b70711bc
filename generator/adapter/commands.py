"""MkDocs' own commands as the command line runs them: a strict build into a folder, and the
preview server. MkDocs is imported only when one of them runs, so `check` and the other
commands start without it."""

from __future__ import annotations

from pathlib import Path


class BuildFailedError(Exception):
    """MkDocs stopped the build; `reason` is what to add to the message ("" when our plugin said it)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def build(config_file: Path, site_dir: Path) -> None:
    """`mkdocs build --strict` of `config_file` into `site_dir`; BuildFailedError when MkDocs aborts."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    try:
        config = load_config(str(config_file), site_dir=str(site_dir), strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        mkdocs_build(config)
        config.plugins.on_shutdown()
    except Abort as exc:
        raise BuildFailedError("" if "BuildError" in str(exc) else f"（{exc}）") from None


def serve(config_file: Path, dev_addr: str | None) -> None:
    """`mkdocs serve` of `config_file`, rebuilding "dirty" (see chrome.Chrome.identify)."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    mkdocs_serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True, build_type="dirty")
