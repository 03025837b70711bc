"""The command-line face: `python -m generator new|check|build|serve`."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from generator import addresses, pipeline, publish, scaffold, settings, share
from generator.problems import CHECK_FAILED, report
from generator.sections import SECTIONS

STORIES_ENV = "FEDERATION_STORIES_DIR"  # read by mkdocs.yml's `!ENV`, so `serve` rebuilds see it


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command and return its exit status."""
    parser = argparse.ArgumentParser(prog="python -m generator", description="重庆市妇联疫情防控宣传网站生成工具")
    parser.add_argument("--config", default="mkdocs.yml", help="mkdocs.yml 的路径（默认当前目录）")
    commands = parser.add_subparsers(dest="command", required=True, metavar="命令")

    new = commands.add_parser("new", help="新建一篇文章")
    new.add_argument("section", help="栏目：knowledge（防控知识）、rumours（辟谣）或 exemplars（巾帼风采）")
    new.add_argument("title", help="文章标题")
    new.add_argument("--stories", help="stories 文件夹（默认取 mkdocs.yml 的设置）")

    check = commands.add_parser("check", help="检查全部文章，有错误时返回 1")
    check.add_argument("--stories", help="stories 文件夹")

    build = commands.add_parser("build", help="检查并生成网站；出错时保留原网站不变")
    build.add_argument("--stories", help="stories 文件夹")
    build.add_argument("--site-dir", help="网站输出文件夹（默认 site/）")

    serve = commands.add_parser("serve", help="本地预览，修改文章后自动刷新（显示草稿）")
    serve.add_argument("--stories", help="stories 文件夹")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="预览地址，默认 127.0.0.1:8000")

    share_command = commands.add_parser("share", help="显示一篇文章的转发文字（微博、微信群用，140 字以内）")
    share_command.add_argument("file", help="文章文件，例如 stories/rumours/2020-02-03-baijiu.md")
    share_command.add_argument("--stories", help="stories 文件夹（默认取 mkdocs.yml 的设置）")

    args = parser.parse_args(argv)
    config_file = Path(args.config).resolve()
    if not config_file.is_file():
        print(f"找不到配置文件 {args.config}：请在项目根目录运行，或用 --config 指定 mkdocs.yml。", file=sys.stderr)
        return 2
    if args.stories:
        os.environ[STORIES_ENV] = str(Path(args.stories).resolve())
    handler = {"new": _new, "check": _check, "build": _build, "serve": _serve, "share": _share}[args.command]
    return handler(args, config_file)


def _settings(args: argparse.Namespace, config_file: Path) -> settings.Settings:
    return settings.load(config_file)


def _new(args: argparse.Namespace, config_file: Path) -> int:
    section = scaffold.find_section(args.section)
    if section is None:
        names = "、".join(f"{s.key}（{s.label}）" for s in SECTIONS)
        print(f"不认识的栏目「{args.section}」；可用的栏目：{names}。", file=sys.stderr)
        return 2
    site = _settings(args, config_file)
    try:
        path = scaffold.create(site.stories_dir, section, args.title, site.today, site)
    except scaffold.TitleError as trouble:
        print(f"没有新建文章：{trouble}", file=sys.stderr)
        return 2
    print(site.display(path))
    return 0


def _check(args: argparse.Namespace, config_file: Path) -> int:
    site = _settings(args, config_file)
    reserved = pipeline.hand_written_addresses(site.docs_dir)
    outcome = pipeline.check(site, reserved=reserved)
    print(report(outcome.problems))
    return 0 if outcome.ok else 1


def _build(args: argparse.Namespace, config_file: Path) -> int:
    site_dir = Path(args.site_dir or "site").resolve()
    site = _settings(args, config_file)
    trouble = addresses.site_dir_trouble(site_dir, site.root, site.stories_dir, site.docs_dir)
    if trouble:
        # Refused before anything is written: a build empties and replaces its output folder.
        print(f"不能构建：{trouble}；构建会清空并替换这个文件夹。请换一个输出文件夹，例如 site/。", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _interrupted)  # a stopped build cleans up as Ctrl+C does
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        with publish.lock(site_dir):
            return _build_and_swap(config_file, site_dir)
    except publish.BusyError:
        print(f"另一个构建正在写入 {site_dir}：请等它结束后再试。原网站保持不变。", file=sys.stderr)
    except OSError as exc:
        print(f"构建失败：{publish.fault(exc)}。原网站 {site_dir} 保持不变。", file=sys.stderr)
    except KeyboardInterrupt:
        print(f"构建已中断：原网站 {site_dir} 保持不变。", file=sys.stderr)
        return 130
    return 1


def _build_and_swap(config_file: Path, site_dir: Path) -> int:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    _quiet_mkdocs_logging()
    # Build beside the old site and swap at the end, so a failed build leaves it whole.
    staging = publish.stage(site_dir)
    try:
        config = load_config(str(config_file), site_dir=str(staging), strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        mkdocs_build(config)
        config.plugins.on_shutdown()
    except Abort as exc:
        shutil.rmtree(staging, ignore_errors=True)
        reason = "" if "BuildError" in str(exc) else f"（{exc}）"
        print(f"构建失败{reason}：原网站 {site_dir} 保持不变。", file=sys.stderr)
        return 1
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    try:
        publish.swap(staging, site_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    print(f"网站已生成：{site_dir}")
    return 0


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _share(args: argparse.Namespace, config_file: Path) -> int:
    site = _settings(args, config_file)
    shown = site.display(Path(args.file))
    outcome = pipeline.check(site, reserved=pipeline.hand_written_addresses(site.docs_dir))
    own = [p for p in outcome.problems if p.path == shown]
    story = next((s for s in outcome.stories if s.path == shown), None)
    if story is None or any(p.is_error for p in own):
        if own:
            print(report(own), file=sys.stderr)
        else:
            where = site.display(site.stories_dir)
            print(
                f"「{args.file}」不是 {where} 文件夹里的文章；请检查路径，或用 --stories 指定文章文件夹。",
                file=sys.stderr,
            )
        return 1
    if story.draft:
        print("注意：这是草稿，还没有发布，链接暂时打不开。", file=sys.stderr)
    print(share.share_text(story, site))
    return 0


def _serve(args: argparse.Namespace, config_file: Path) -> int:
    from mkdocs.commands.serve import serve

    _quiet_mkdocs_logging(level=logging.INFO)
    # "dirty": a rebuild writes only the pages whose inputs changed (see chrome.Chrome.identify).
    serve(config_file=str(config_file), dev_addr=args.dev_addr, livereload=True, build_type="dirty")
    return 0


class _PlainFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.name.startswith("mkdocs.plugins.federation"):
            return message
        return f"{record.levelname}: {message}"


def _quiet_mkdocs_logging(level: int = logging.WARNING) -> None:
    """Show our plugin's problems as plain lines, and MkDocs' own messages from `level` up."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_PlainFormatter())
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.handlers[:] = [handler]
    mkdocs_log.setLevel(logging.DEBUG)
    mkdocs_log.propagate = False
    handler.addFilter(_shown(level))


def _shown(level: int) -> Callable[[logging.LogRecord], bool]:
    def shown(record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if message == CHECK_FAILED:
            return False  # the plugin has printed the whole report already
        if message.startswith("A 'dirty' build"):
            return False  # serve's rebuilds write only changed pages on purpose
        return record.levelno >= level or record.name.startswith("mkdocs.plugins.federation")

    return shown
