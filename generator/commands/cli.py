"""The command-line face: `python -m generator new|check|build|serve|share|review|deploy|wechat|wechat-draft|editor|editor-config|schema`."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import shutil
import signal
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from generator import pipeline
from generator.adapter import commands as mkdocs_commands
from generator.commands import editor, published, review, scaffold
from generator.content.body import BodyRenderer
from generator.content.problems import CHECK_FAILED, editor_report, report
from generator.core import addresses, settings
from generator.core.sections import SECTIONS
from generator.core.story import Story
from generator.publish import deploy as deploy_plan
from generator.publish import officialaccount
from generator.publish import staging as publish
from generator.publish.bucket import Bucket
from generator.render import cms, completion, roundups, share, stored, wechat

STORIES_ENV = "FEDERATION_STORIES_DIR"  # read by mkdocs.yml's `!ENV`, so `serve` rebuilds see it
PRODUCTION_ENV = "FEDERATION_PRODUCTION"
PUBLISHED_ENV = "FEDERATION_PUBLISHED"  # check's --published when not given (none: no comparison)  # read by mkdocs.yml's `!ENV` for the plugin's `production`


def run() -> None:
    """The `fed` command (pyproject.toml's console script)."""
    sys.exit(main(prog="fed"))


def main(argv: Sequence[str] | None = None, prog: str = "python -m generator", today: date | None = None) -> int:
    """Run one command and return its exit status; `today` (Beijing's date when None) is for tests."""
    parser = argparse.ArgumentParser(prog=prog, description="重庆市妇联疫情防控宣传网站生成工具")
    parser.add_argument("--config", default="mkdocs.yml", help="mkdocs.yml 的路径（默认当前目录）")
    commands = parser.add_subparsers(dest="command", required=True, metavar="命令")

    new = commands.add_parser("new", help="新建一篇文章")
    new.add_argument("section", help="栏目：knowledge（防控知识）、rumours（辟谣）或 exemplars（巾帼风采）")
    new.add_argument("title", help="文章标题")
    new.add_argument("--stories", help="stories 文件夹（默认取 mkdocs.yml 的设置）")
    new.add_argument("--slug", help="网址短名（小写英文字母、数字和连字符，例如 wear-masks）；不写则取标题拼音")

    check = commands.add_parser("check", help="检查文章，有错误时返回 1")
    check.add_argument("files", nargs="*", help="只看这些文章的问题（跨文章的规则照样检查）；不写则先列出你改过的文章")
    check.add_argument("--all", action="store_true", help="列出全部文章的全部问题")
    check.add_argument("--stories", help="stories 文件夹")
    check.add_argument(
        "--verbose",
        action="store_true",
        help="在每条问题后面显示它的规则编号（例如 [front.tab-indent]），供技术人员查找",
    )
    check.add_argument(
        "--published",
        help="已发布的地址从哪里读：git:分支（默认 git:origin/main，没有时用 main）、生成的网站里的 published.json，"
        "或它在网站上的网址；写 none 不比较",
    )

    build = commands.add_parser("build", help="检查并生成网站；出错时保留原网站不变")
    build.add_argument("--stories", help="stories 文件夹")
    build.add_argument("--site-dir", help="网站输出文件夹（默认 site/）")
    build.add_argument(
        "--production",
        action="store_true",
        help="正式发布：mkdocs.yml 里还有示例内容（页脚、联系方式、二维码）时拒绝生成",
    )

    serve = commands.add_parser("serve", help="本地预览，修改文章后自动刷新（显示草稿）")
    serve.add_argument("--stories", help="stories 文件夹")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="预览地址，默认 127.0.0.1:8000")

    share_command = commands.add_parser("share", help="显示一篇文章的转发文字（微博、微信群用，140 字以内）")
    share_command.add_argument("file", help="文章文件，例如 stories/rumours/2020-02-03-baijiu.md")
    share_command.add_argument("--stories", help="stories 文件夹（默认取 mkdocs.yml 的设置）")

    deploy = commands.add_parser("deploy", help="把生成好的网站上传到对象存储（阿里云 OSS、腾讯云 COS 等 S3 兼容存储）")
    deploy.add_argument("--site-dir", default="site", help="生成好的网站文件夹（默认 site/）")
    deploy.add_argument("--endpoint", required=True, help="存储服务地址，例如 https://oss-cn-chengdu.aliyuncs.com")
    deploy.add_argument("--bucket", required=True, help="存储桶名称")
    deploy.add_argument("--prefix", default="", help="存储桶里的目录（默认根目录）")
    deploy.add_argument("--region", help="地域，例如 oss-cn-chengdu（默认取环境变量 AWS_REGION）")
    deploy.add_argument("--dry-run", action="store_true", help="只列出要上传和删除的文件，不改动存储桶")
    deploy.add_argument("--force", action="store_true", help="允许删除超过安全比例的文件")
    deploy.add_argument(
        "--max-delete", type=float, default=deploy_plan.DEFAULT_DELETE_SHARE, help="一次最多删除的比例（默认 0.25）"
    )
    deploy.add_argument(
        "--gzip", action="store_true", help="上传预压缩的文件并设置 Content-Encoding: gzip（前面没有 CDN 压缩时用）"
    )
    deploy.add_argument("--public-read", action="store_true", help="设置存储桶策略：允许公众读取")
    deploy.add_argument("--website", action="store_true", help="设置静态网站托管：默认首页 index.html，错误页 404.html")
    deploy.add_argument(
        "--addressing",
        choices=["auto", "path", "virtual"],
        default="auto",
        help="访问方式（默认：IP 地址用 path，域名用 virtual）",
    )
    wechat_command = commands.add_parser("wechat", help="把一篇文章导出为可以粘贴到公众号编辑器的网页和草稿数据")
    wechat_command.add_argument("file", nargs="?", help="文章文件，例如 stories/rumours/2020/2020-02-03-baijiu.md")
    wechat_command.add_argument("--roundup", help="导出一期周报或月报，例如 rumours/week/2020-w06 或 all/month/2020-02")
    wechat_command.add_argument(
        "--out", required=True, help="输出的网页，例如 baijiu.html；旁边另写 baijiu.json（草稿接口数据）"
    )
    wechat_command.add_argument("--stories", help="stories 文件夹（默认取 mkdocs.yml 的设置）")

    draft_command = commands.add_parser(
        "wechat-draft", help="把一篇文章上传到公众号草稿箱（需要 WECHAT_APPID 和 WECHAT_APPSECRET）"
    )
    draft_command.add_argument("file", nargs="?", help="文章文件")
    draft_command.add_argument("--roundup", help="上传一期周报或月报，例如 rumours/week/2020-w06")
    draft_command.add_argument("--site-dir", default="site", help="生成好的网站文件夹（图片从这里上传，默认 site/）")
    draft_command.add_argument("--stories", help="stories 文件夹（默认取 mkdocs.yml 的设置）")
    review_command = commands.add_parser(
        "review", help="审核：列出本次修改新增、修改、删除了哪些文章（与 main 分支比较）"
    )
    review_command.add_argument("--base", help="比较的分支或提交（默认 origin/main，没有时用 main）")
    review_command.add_argument("--stories", help="stories 文件夹")
    editor_config = commands.add_parser("editor-config", help="显示网页编辑器的配置（config.yml，由栏目表生成）")
    editor_config.add_argument("--stories", help="stories 文件夹")

    schema_command = commands.add_parser(
        "schema", help="显示各栏目 front matter 的 JSON Schema（由栏目表生成，供编辑器补全和即时检查）"
    )
    schema_command.add_argument("--section", help="只显示一个栏目，例如 rumours 或 辟谣")
    schema_command.add_argument("--output", help="写到这个文件夹，每个栏目一个 <栏目>.schema.json")

    editor = commands.add_parser("editor", help="启动网页编辑器（本地服务和预览，只在本机 127.0.0.1）")
    editor.add_argument("--stories", help="stories 文件夹")
    editor.add_argument("--port", type=int, default=8000, help="预览和编辑器的端口，默认 8000")
    editor.add_argument("--proxy-port", type=int, default=8081, help="编辑器本地服务的端口，默认 8081")

    args = parser.parse_args(argv)
    args.today = today
    config_file = Path(args.config).resolve()
    if not config_file.is_file():
        print(f"找不到配置文件 {args.config}：请在项目根目录运行，或用 --config 指定 mkdocs.yml。", file=sys.stderr)
        return 2
    if getattr(args, "stories", None):
        os.environ[STORIES_ENV] = str(Path(args.stories).resolve())
    if getattr(args, "production", False):
        os.environ[PRODUCTION_ENV] = "true"
    handler = {
        "new": _new,
        "check": _check,
        "build": _build,
        "serve": _serve,
        "share": _share,
        "deploy": _deploy,
        "wechat": _wechat,
        "wechat-draft": _wechat_draft,
        "review": _review,
        "editor-config": _editor_config,
        "schema": _schema,
        "editor": _editor,
    }[args.command]
    return handler(args, config_file)


def _settings(args: argparse.Namespace, config_file: Path) -> settings.Settings:
    return settings.load(config_file, today=args.today)


def _new(args: argparse.Namespace, config_file: Path) -> int:
    section = scaffold.find_section(args.section)
    if section is None:
        names = "、".join(f"{s.key}（{s.label}）" for s in SECTIONS)
        print(f"不认识的栏目「{args.section}」；可用的栏目：{names}。", file=sys.stderr)
        return 2
    site = _settings(args, config_file)
    try:
        path = scaffold.create(site.stories_dir, section, args.title, site.today, site, slug=args.slug)
    except scaffold.TitleError as trouble:
        print(f"没有新建文章：{trouble}", file=sys.stderr)
        return 2
    print(site.display(path))
    return 0


def _check(args: argparse.Namespace, config_file: Path) -> int:
    site = _settings(args, config_file)
    reserved = pipeline.hand_written_addresses(site.docs_dir)
    outcome = pipeline.check(site, reserved=reserved)
    source = args.published or os.environ.get(PUBLISHED_ENV, "")
    if source != "none":
        try:
            addresses_then = published.read(source or published.GIT_PREFIX, site, Path.cwd())
        except published.PublishedError as trouble:
            if source:  # asked for by name: it must be read
                print(f"无法比较已发布的地址：{trouble}", file=sys.stderr)
                return 2
            addresses_then = []  # no git and no main branch: nothing to compare with
        read = {s.path for s in outcome.stories}
        unreadable = {p.path for p in outcome.problems if p.is_error and p.path not in read}
        outcome.problems.extend(published.problems(addresses_then, outcome.stories, unreadable))
    own: set[str] | None = None
    if args.files:
        named = {site.display(Path(f)) for f in args.files}
        known = {p.path for p in outcome.problems} | {s.path for s in outcome.stories}
        for name in sorted(named - known):
            if not Path(name).is_file():
                print(
                    f"找不到文件「{name}」：请检查路径（从项目根目录写起，例如 stories/rumours/…）。", file=sys.stderr
                )
                return 2
        own = named
    elif not args.all:
        own = review.own_files(site)
    if own is None:
        print(report(outcome.problems, verbose=args.verbose))
        return 0 if outcome.ok else 1
    print(editor_report(outcome.problems, own, verbose=args.verbose))
    if args.files:
        return 1 if any(p.is_error and p.path in own for p in outcome.problems) else 0
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
    _quiet_mkdocs_logging()
    # Build beside the old site and swap at the end, so a failed build leaves it whole.
    staging = publish.stage(site_dir)
    try:
        mkdocs_commands.build(config_file, staging)
    except mkdocs_commands.BuildFailedError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"构建失败{exc.reason}：原网站 {site_dir} 保持不变。", file=sys.stderr)
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


def _one_story(args: argparse.Namespace, site: settings.Settings) -> Story | None:
    """The checked story of `args.file`, or None after printing why it cannot be used."""
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
        return None
    if story.draft:
        print("注意：这是草稿，还没有发布，链接暂时打不开。", file=sys.stderr)
    return story


def _share(args: argparse.Namespace, config_file: Path) -> int:
    site = _settings(args, config_file)
    story = _one_story(args, site)
    if story is None:
        return 1
    print(share.share_text(story, site))
    return 0


DEPLOY_TABLE = "deploy"  # the digests of the site's files as the last deploy read them


def _deploy(args: argparse.Namespace, config_file: Path) -> int:
    site_dir = Path(args.site_dir)
    if not (site_dir / "index.html").is_file() or not (site_dir / "404.html").is_file():
        print(f"{site_dir} 不是生成好的网站（没有 index.html 和 404.html）：请先运行 make site。", file=sys.stderr)
        return 2
    site = _settings(args, config_file)
    base_url = site.site_url or ""
    try:
        bucket = Bucket(args.endpoint, args.bucket, args.prefix, args.region, args.addressing)
        # The digests the last deploy read, for files unchanged since (a cache: lost, it costs time).
        known = stored.table(site, DEPLOY_TABLE).get("files")
        known = known if isinstance(known, dict) else {}
        local = deploy_plan.local_objects(site_dir, gzip=args.gzip, known=known)
        with contextlib.suppress(OSError):
            stored.keep_table(site, DEPLOY_TABLE, {"files": known})
        remote = bucket.keys()
        plan = deploy_plan.make_plan(local, remote, deploy_plan.read_manifest(bucket))
        deploy_plan.check_deletions(plan, remote, args.max_delete, args.force)
        if args.dry_run:
            for key in plan.uploads:
                print(f"上传 {key}")
            for key in plan.deletions:
                print(f"删除 {key}")
            print("（演练，未改动存储桶）" + plan.summary())
            return 0
        deploy_plan.apply(plan, bucket)
        if args.public_read:
            bucket.make_public()
        if args.website:
            bucket.set_website()
    except deploy_plan.DeployError as exc:
        print(f"部署未进行：{exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # botocore's errors: a wrong endpoint, key or bucket
        print(
            f"部署失败（{type(exc).__name__}: {exc}）：请检查 --endpoint、--bucket 和访问密钥；存储桶里已上传的文件下次部署会补齐。",
            file=sys.stderr,
        )
        return 1
    print(plan.summary())
    changed = plan.uploads + plan.deletions
    if changed and base_url:
        print("需要在 CDN 刷新的地址：")
        for address in deploy_plan.changed_addresses(changed, base_url):
            print(address)
    return 0


def _wechat_article(args: argparse.Namespace, site: settings.Settings) -> tuple[wechat.Article, str] | None:
    """The 公众号 article of `args.file` or of `args.roundup`, and how messages name it; None
    after printing why there is none."""
    if bool(args.file) == bool(args.roundup):
        print("请给出一篇文章的文件，或用 --roundup 指定一期周报或月报（二选一）。", file=sys.stderr)
        return None
    if args.roundup:
        outcome = pipeline.check(site, reserved=pipeline.hand_written_addresses(site.docs_dir))
        found = roundups.roundups(outcome.published(include_drafts=False))
        roundup = roundups.find(found, args.roundup)
        if roundup is None:
            examples = "、".join(r.url.removeprefix(addresses.ROUNDUPS_URL).strip("/") for r in found[:3])
            print(f"没有「{args.roundup}」这一期（没有文章的周、月不出汇总）；例如：{examples}。", file=sys.stderr)
            return None
        return wechat.roundup_article(roundup, site), roundup.url
    story = _one_story(args, site)
    if story is None:
        return None
    return wechat.article(story, site, BodyRenderer()), site.display(Path(args.file))


def _wechat(args: argparse.Namespace, config_file: Path) -> int:
    site = _settings(args, config_file)
    if not site.site_url:
        print("mkdocs.yml 没有设置 site_url：公众号文章里的图片和“阅读原文”需要网站的完整地址。", file=sys.stderr)
        return 1
    if bool(args.file) == bool(args.roundup):
        print("请给出一篇文章的文件，或用 --roundup 指定一期周报或月报（二选一）。", file=sys.stderr)
        return 2
    chosen = _wechat_article(args, site)
    if chosen is None:
        return 1
    made, shown = chosen
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    # The BOM makes a browser read the fragment (no <meta charset>) as UTF-8 when opened from disk.
    out.write_text("\ufeff" + made.content, "utf-8")
    payload = out.with_suffix(".json")
    body: dict[str, object] = {"articles": [made.payload()]}
    if made.cover is not None:
        body["cover"] = made.cover.url  # beside the draft's fields: what to upload as thumb_media_id
    payload.write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", "utf-8")
    for warning in made.warnings:
        print(f"{shown}: 警告：{warning}", file=sys.stderr)
    print(f"公众号文章：{out}（用浏览器打开，全选复制，粘贴到公众号编辑器）")
    print(f"草稿接口数据：{payload}")
    if made.cover is not None:
        print(f"封面图片：{made.cover.url}（已按公众号的 2.35:1 和 1:1 裁剪好，上传后填入 thumb_media_id）")
    return 0


def _wechat_draft(args: argparse.Namespace, config_file: Path) -> int:
    site = _settings(args, config_file)
    chosen = _wechat_article(args, site)
    if chosen is None:
        return 1
    made, shown = chosen
    site_dir = Path(args.site_dir)
    if not site.site_url or not (site_dir / "index.html").is_file():
        print(
            f"需要 mkdocs.yml 的 site_url 和生成好的网站（{site_dir} 里没有 index.html）：请先运行 make site。",
            file=sys.stderr,
        )
        return 1
    for warning in made.warnings:
        print(f"{shown}: 警告：{warning}", file=sys.stderr)
    try:
        account = officialaccount.Account(officialaccount.Credentials.from_environment(os.environ))
        media_id = officialaccount.publish(made, account, site.site_url, site_dir)
    except officialaccount.AccountError as exc:
        print(f"没有创建草稿：{exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # requests' connection errors are OSErrors too
        print(f"连不上公众号接口（{exc}）：请检查网络。", file=sys.stderr)
        return 1
    print(f"草稿已创建（media_id {media_id}）：请到公众号后台「内容管理 → 草稿箱」检查后发布。")
    return 0


def _review(args: argparse.Namespace, config_file: Path) -> int:
    site = _settings(args, config_file)
    try:
        result = review.review(site, args.base)
    except review.ReviewError as exc:
        print(f"无法比较：{exc}", file=sys.stderr)
        return 2
    print(review.text(result), end="")
    return 0 if result.ok else 1


def _editor_config(args: argparse.Namespace, config_file: Path) -> int:
    site = _settings(args, config_file)
    stories = cms.stories_folder(site.root, site.stories_dir)
    print(cms.editor_config_yaml(stories, cms.backend_in(config_file), site.review_levels), end="")
    return 0


def _schema(args: argparse.Namespace, config_file: Path) -> int:
    made = completion.schemas()
    if args.section:
        section = scaffold.find_section(args.section)
        if section is None:
            print(f"没有栏目「{args.section}」：可选 {'、'.join(s.key for s in SECTIONS)}。", file=sys.stderr)
            return 2
        made = {f"{section.key}.schema.json": completion.section_schema(section)}
    if not args.output:
        schema = next(iter(made.values())) if args.section else made
        print(completion.as_text(schema), end="")
        return 0
    folder = Path(args.output)
    folder.mkdir(parents=True, exist_ok=True)
    for name, schema in made.items():
        (folder / name).write_text(completion.as_text(schema), "utf-8")
        print(f"已写入 {folder / name}")
    return 0


def _editor(args: argparse.Namespace, config_file: Path) -> int:
    ports = editor.Ports(preview=args.port, proxy=args.proxy_port)
    return editor.run(config_file.parent, config_file, ports, args.stories)


def _serve(args: argparse.Namespace, config_file: Path) -> int:
    _quiet_mkdocs_logging(level=logging.INFO)
    print(f"本地预览：http://{args.dev_addr}/（待办：http://{args.dev_addr}/todo/），按 Ctrl+C 停止。", file=sys.stderr)
    # "dirty": a rebuild writes only the pages whose inputs changed (see chrome.Chrome.identify).
    mkdocs_commands.serve(config_file, args.dev_addr)
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
