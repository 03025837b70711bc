"""After each build nothing may load from another host; links a reader clicks are fine."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.publish.hosts import foreign_loads
from tests.conftest import ROOT, SAMPLE


def write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def test_every_kind_of_load_is_found(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a/index.html",
        '<p><a href="https://www.who.int/">世卫组织</a></p>\n'
        '<img alt="x"\n src="https://cdn.example.com/a.png">\n'
        '<link rel="canonical" href="https://site.example/a/">'
        '<link rel="preconnect" href="https://fonts.gstatic.com">'
        '<script src="//cdn.example.com/y.js"></script>'
        '<div style="background:url(https://e.example/bg.png)"></div>'
        '<img srcset="a.png 1x, https://z.example/b.png 2x">'
        '<iframe src="https://v.example/embed"></iframe>'
        '<img src="https://site.example/ok.png"><img src="../local.png">',
    )
    write(tmp_path, "s.css", '@import "https://fonts.googleapis.com/css";\nb{background:url(data:image/png;base64,AA)}')
    write(tmp_path, "j.js", 'fetch("https://api.example.com/x"); const home = "https://github.com";')
    found = {(f.file, f.line, f.what, f.url) for f in foreign_loads(tmp_path, "site.example")}
    assert found == {
        ("a/index.html", 2, "<img src>", "https://cdn.example.com/a.png"),
        ("a/index.html", 4, "<link href>", "https://fonts.gstatic.com"),
        ("a/index.html", 4, "<script src>", "//cdn.example.com/y.js"),
        ("a/index.html", 4, "CSS url()/@import", "https://e.example/bg.png"),
        ("a/index.html", 4, "<img srcset>", "https://z.example/b.png"),
        ("a/index.html", 4, "<iframe src>", "https://v.example/embed"),
        ("s.css", 1, "CSS url()/@import", "https://fonts.googleapis.com/css"),
        # Any absolute address in a script: some branch of it may fetch it.
        ("j.js", 1, "脚本中的网址", "https://api.example.com/x"),
        ("j.js", 1, "脚本中的网址", "https://github.com"),
    }


def test_loads_are_read_as_a_browser_reads_them(tmp_path: Path) -> None:
    write(
        tmp_path,
        "b/index.html",
        '<img src="HTTPS:\\\\cdn.example.com/a.png"><IMG\nSRC = "/\\x.example/b.png">\n'
        '<video poster="&#47;&#47;v.example/p.jpg"></video><img src=" ht\ttps://t.example/c.png">'
        '<img alt="<img src=//no.example/x.png>" src="ok.png"><img src="https://site.example/own.png">\n'
        '<a href="https://github.com/x/y" class="md-source" data-md-component="source">仓库</a>'
        '<a href="https://git.example/fed/site" data-md-component="source">自建仓库：不取信息</a>',
    )
    write(tmp_path, "b.css", 'a{background:image-set("HTTPS://i.example/a.png" 1x)}')
    found = {(f.line, f.what, f.url) for f in foreign_loads(tmp_path, "site.example")}
    assert found == {
        (1, "<img src>", "HTTPS:\\\\cdn.example.com/a.png"),
        (1, "<img src>", "/\\x.example/b.png"),
        (3, "<video poster>", "//v.example/p.jpg"),
        (3, "<img src>", "ht\ttps://t.example/c.png"),
        # Suspicious on purpose: markup that only looks quoted is read as markup too.
        (3, "<img src>", "//no.example/x.png"),
        # Material fetches repository facts from GitHub for the header's source link.
        (4, "主题的代码仓库链接（repo_url）", "https://github.com/x/y"),
        (1, "CSS url()/@import", "HTTPS://i.example/a.png"),
    }


def test_pages_that_go_or_send_elsewhere_by_themselves_are_found(tmp_path: Path) -> None:
    write(
        tmp_path,
        "c/index.html",
        '<meta http-equiv="Refresh" content="0; URL=\'https://evil.example/\'">\n'
        '<meta http-equiv=refresh content="5;https://e2.example/x">'
        '<meta http-equiv="refresh" content="0; url=/rumours/">'
        '<meta name="description" content="https://not.a.load/">\n'
        '<base href="//b.example/">'
        '<table background="https://t.example/bg.png"><tr><td background="https://d.example/c.png">'
        '<body background="HTTPS://body.example/x.gif">\n'
        '<link rel="preload" as="image" imagesrcset="https://p.example/a.png 1x, own.png 2x">'
        '<a href="/x/" PING="https://ping.example/log /own">x</a><area ping="/only-own">',
    )
    found = {(f.line, f.what, f.url) for f in foreign_loads(tmp_path, "site.example")}
    assert found == {
        (1, "<meta refresh>（自动跳转）", "https://evil.example/"),
        (2, "<meta refresh>（自动跳转）", "https://e2.example/x"),
        (3, "<base href>", "//b.example/"),
        (3, "<table background>", "https://t.example/bg.png"),
        (3, "<td background>", "https://d.example/c.png"),
        (3, "<body background>", "HTTPS://body.example/x.gif"),
        (4, "<link imagesrcset>", "https://p.example/a.png"),
        (4, "<a ping>", "https://ping.example/log"),
    }


def test_the_built_sample_loads_nothing_from_another_host(built_site: Path) -> None:
    assert foreign_loads(built_site, "fangyi.cqwomen.example") == []


def test_a_build_that_would_load_from_another_host_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    docs = tmp_path / "site_src"
    shutil.copytree(ROOT / "site_src", docs)
    (docs / "about" / "poster.md").write_text("# 海报\n\n![海报](https://cdn.example.com/poster.png)\n", "utf-8")
    monkeypatch.setenv("FEDERATION_STORIES_DIR", str(SAMPLE))
    config = load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    with pytest.raises(Abort):
        build(config)
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert any(
        "about/poster/index.html:" in m and "https://cdn.example.com/poster.png" in m and "其他网站" in m
        for m in errors
    ), errors


def test_a_theme_that_loads_from_another_host_fails_on_the_framed_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # The frame of the story pages is checked once, with the first page written in it.
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    docs = tmp_path / "site_src"
    shutil.copytree(ROOT / "site_src", docs)
    main = docs / "overrides" / "main.html"
    main.write_text(
        main.read_text("utf-8").replace(
            "{{ fed_head }}", '{{ fed_head }}<script src="https://cdn.example.com/x.js"></script>'
        ),
        "utf-8",
    )
    monkeypatch.setenv("FEDERATION_STORIES_DIR", str(SAMPLE))
    config = load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(tmp_path / "site"))
    config.theme.dirs[0] = str(docs / "overrides")  # type: ignore[attr-defined]
    config.plugins.on_startup(command="build", dirty=False)
    with pytest.raises(Abort):
        build(config)
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    story_pages = [m for m in errors if "cdn.example.com/x.js" in m and re.search(r"/knowledge/[^/]+/index\.html:", m)]
    assert story_pages, errors


def test_a_script_that_fetches_from_another_host_fails_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    docs = tmp_path / "site_src"
    shutil.copytree(ROOT / "site_src", docs)
    (docs / "assets" / "javascripts" / "extra.js").write_text('fetch("https://evil.example/x");\n', "utf-8")
    monkeypatch.setenv("FEDERATION_STORIES_DIR", str(SAMPLE))
    config = load_config(str(ROOT / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(tmp_path / "site"))
    config.plugins.on_startup(command="build", dirty=False)
    with pytest.raises(Abort):
        build(config)
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert any("assets/javascripts/extra.js:1:" in m and "https://evil.example/x" in m for m in errors), errors


def test_the_theme_fetches_nothing_from_unpkg_in_the_built_site(built_site: Path) -> None:
    bundles = list(built_site.glob("assets/javascripts/bundle.*.min.js"))
    assert bundles
    for bundle in bundles:
        text = bundle.read_text("utf-8")
        assert "unpkg.com" not in text
        assert '"/assets/vendor/resize-observer-polyfill/ResizeObserver.js"' in text
    assert (built_site / "assets" / "vendor" / "resize-observer-polyfill" / "ResizeObserver.js").is_file()
    assert (built_site / "assets" / "javascripts" / "mermaid-absent.js").is_file()


def test_only_the_web_editors_bundle_is_not_read_for_addresses() -> None:
    from generator.publish import hosts

    script = 'fetch("https://evil.example/x.js")'
    assert hosts.loads_in_text(script, hosts.EDITOR_BUNDLE, "fangyi.cqwomen.example") == []
    for name in ("admin/other.js", "assets/decap-cms.js", "admin/decap-cms.js.map.js", "x/admin/decap-cms.js"):
        assert hosts.loads_in_text(script, name, "fangyi.cqwomen.example"), name
