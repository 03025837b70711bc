"""Search benchmark: the site's own search beside Material's and Pagefind's, on one corpus.

Usage: python benchmarks/search.py --n 5000 [--seed 1] [--json out.json] [--keep DIR]
       python benchmarks/search.py --n 300 --no-material --no-pagefind      (smoke run)

Each search is read the way a phone reads it: the built site served by nginx (gzip as
deployed), opened in Debian's Chromium, bytes counted as they arrive compressed. Needs
node, /usr/bin/chromium and nginx; the comparison needs `pip install jieba==0.42.1
"pagefind[extended]==1.5.2"` (Material's search segments Chinese with jieba when it is
installed; Pagefind's extended build segments Chinese itself).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import corpus
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import pipeline  # noqa: E402 - the project root is on the path only now
from generator.core import settings as site_settings  # noqa: E402
from generator.core.story import Story  # noqa: E402
from generator.publish import compress  # noqa: E402
from generator.render import search  # noqa: E402

SEARCH_JS = ROOT / "site_src" / "assets" / "javascripts" / "search.js"
CHROMIUM = "/usr/bin/chromium"
PLANTED = ("勤洗手", "蒲公英核酸", "两江新区", "口罩")
FIRST, SECOND = "勤洗手", "两江新区"
# Spoken questions (as WeChat voice input writes them) and what answers each in the corpus:
# the rumour stories of one claim (by the claim's key in their address), or the stories
# holding a word. The first is also measured as a first query on a throttled phone.
SPOKEN = {
    "喝白酒能预防新冠吗": ("claim", "baijiu"),
    "盐水漱口有用吗": ("claim", "yanshui"),
    "宠物会传染吗": ("claim", "chongwu"),
    "双黄连能预防吗": ("claim", "shuanghuanglian"),
    "孕妇怎么产检": ("word", "产检"),
    "12338是什么电话": ("word", "12338"),
}
# A mid-range phone: Chromium's CPU slowed four times (CDP Emulation.setCPUThrottlingRate)
# on a 4G network of 9 Mbit/s down, 1.5 Mbit/s up and 60 ms latency.
PHONE_CPU = 4
PHONE_NETWORK = {"offline": False, "latency": 60, "downloadThroughput": 9e6 / 8, "uploadThroughput": 1.5e6 / 8}
TOP = 10
GZIP_LEVEL = compress.LEVEL  # what generator/compress.py writes and the benchmark's nginx sends
NGINX_CONF = """\
{user}
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    gzip on;
    gzip_static on;
    gzip_comp_level {level};
    gzip_min_length 256;
    gzip_types *;
    server {{
        listen 127.0.0.1:{port};
        root {root};
        index index.html;
    }}
}}
"""
# Runs search.js in node over an index folder: every hit of each word, confirmed, in rank order.
NODE_RUNNER = r"""
const fs = require("fs"), path = require("path");
const search = require(process.argv[1]);
const job = JSON.parse(fs.readFileSync(0, "utf8"));
const engine = new search.Engine(p => fs.promises.readFile(path.join(job.dir, p), "utf8"));
(async () => {
  const out = {};
  for (const word of job.words) {
    const result = await engine.search(word);
    // Every exact hit: the words are planted phrases, and precision is of the exact answer.
    out[word] = (await result.more(result.counts().full)).filter(h => h.exact !== false).map(h => [h.url, h.field]);
  }
  for (const question of job.spoken || []) {
    const result = await engine.search(question);
    out[question] = (await result.more(10)).map(h => [h.url, h.field]);
  }
  process.stdout.write(JSON.stringify(out));
})().catch(e => { console.error(e); process.exit(1); });
"""


@dataclass
class Quality:
    """How one search did on one planted word."""

    truth: int
    reported: int | None = None
    found: int = 0
    recall: float = 0.0
    precision_top: float = 0.0
    ranks_of_truth: list[int] = field(default_factory=list)


@dataclass
class Engine:
    """One search engine's figures on the corpus."""

    name: str
    index_seconds: float | None = None
    index_note: str = ""
    load_bytes: int | None = None
    first_bytes: int | None = None
    second_bytes: int | None = None
    ready_seconds: float | None = None
    spoken_bytes: int | None = None
    spoken_seconds: float | None = None
    quality: dict[str, Quality] = field(default_factory=dict)
    spoken: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # relevant, in top 10, top 10
    error: str = ""


def searched_text(story: Story) -> list[str]:
    """Where a reader's word may be: title, summary, body, tags, claim, name, district, facts."""
    keys = ("claim", "name", "role", "organisation")
    extra = [str(story.fields[k]) for k in keys if story.fields.get(k)]
    honours = [h.term.label for h in story.fields.get("honours", ())]  # type: ignore[attr-defined]
    audience = list(story.fields.get("audience", ()))  # type: ignore[call-overload]
    district = [story.district.label] if story.district else []
    return [story.title, story.summary, story.body, *story.tags, *district, *extra, *honours, *audience]


def truth(stories: Sequence[Story], words: Sequence[str]) -> dict[str, set[str]]:
    """For each word, the addresses of the stories that hold it."""
    texts = {s.url: "\n".join(searched_text(s)).lower() for s in stories}
    return {w: {url for url, text in texts.items() if w.lower() in text} for w in words}


def grade(ranked: list[str], relevant: set[str], reported: int | None = None) -> Quality:
    """Recall over everything returned, precision of the top hits, where the relevant ones rank."""
    found = relevant.intersection(ranked)
    top = ranked[:TOP]
    return Quality(
        truth=len(relevant),
        reported=len(ranked) if reported is None else reported,
        found=len(found),
        recall=len(found) / len(relevant) if relevant else 1.0,
        precision_top=sum(url in relevant for url in top) / len(top) if top else 0.0,
        ranks_of_truth=[n + 1 for n, url in enumerate(ranked) if url in relevant][:5] if len(relevant) <= 5 else [],
    )


def free_port() -> int:
    """A TCP port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def nginx(root: Path, work: Path) -> Iterator[str]:
    """Serve `root` as deployed (pre-compressed files, else gzip on the fly); yield its base URL."""
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = work / "nginx.conf"
    # As root, nginx runs its workers as `nobody`, who cannot enter the private temp folder.
    user = "user root;" if os.geteuid() == 0 else ""
    conf.write_text(NGINX_CONF.format(user=user, work=work, port=port, root=root, level=GZIP_LEVEL), "utf-8")
    subprocess.run(["nginx", "-c", str(conf), "-e", str(work / "error.log")], check=True)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield base
    finally:
        subprocess.run(["nginx", "-c", str(conf), "-e", str(work / "error.log"), "-s", "stop"], check=False)


class Traffic:
    """Requests a page made, with the compressed size of each response body."""

    def __init__(self, page: Any) -> None:
        self.finished: list[Any] = []
        page.on("requestfinished", lambda request: self.finished.append(request))

    def bytes(self, part: str, since: int = 0) -> int:
        """Bytes received for requests whose address holds `part`, from request number `since`."""
        chosen = [r for r in self.finished[since:] if part in r.url]
        return sum(max(0, r.sizes()["responseBodySize"]) for r in chosen)


def browser() -> Any:
    """Chromium, through Playwright; the caller closes it."""
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    return playwright, playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])


def phone(chromium: Any) -> Any:
    """A fresh page, no cache, the size of a small Android phone."""
    context = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    return context.new_page()


def measure_ours(chromium: Any, base: str, address: str, engine: Engine) -> None:
    """Bytes of search data on a page load, the first query and the second, in Chromium."""
    page = phone(chromium)
    traffic = Traffic(page)
    page.goto(base + address, wait_until="networkidle")
    engine.load_bytes = traffic.bytes("/assets/search/")
    for query, slot in ((FIRST, "first_bytes"), (SECOND, "second_bytes")):
        mark = len(traffic.finished)
        box = page.locator("form.fed-search input[name=q]")
        box.click()
        box.fill("")
        box.type(query)
        page.wait_for_function(
            """q => [...document.querySelectorAll('.fed-search__results mark')].some(m => q.includes(m.textContent))""",
            arg=query,
            timeout=120_000,
        )
        page.wait_for_load_state("networkidle")
        setattr(engine, slot, traffic.bytes("/assets/search/", 0 if slot == "first_bytes" else mark))
    page.context.close()


def measure_spoken(chromium: Any, base: str, address: str, engine: Engine) -> None:
    """The first spoken question on a throttled phone: bytes from focusing the box, and seconds
    from submitting it until the first hit shows."""
    page = phone(chromium)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": PHONE_CPU})
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", PHONE_NETWORK)
    traffic = Traffic(page)
    page.goto(base + address, wait_until="networkidle")
    question = next(iter(SPOKEN))
    box = page.locator("form.fed-search input[name=q]")
    box.click()
    page.wait_for_load_state("networkidle")  # the manifest and words.json, fetched on focus
    box.fill(question)
    start = time.perf_counter()
    box.press("Enter")
    page.locator(".fed-search__results a.fed-search__hit").first.wait_for(timeout=120_000)
    engine.spoken_seconds = time.perf_counter() - start
    page.wait_for_load_state("networkidle")
    engine.spoken_bytes = traffic.bytes("/assets/search/")
    page.context.close()


def spoken_truth(stories: Sequence[Story]) -> dict[str, set[str]]:
    """For each spoken question, the stories that answer it (see SPOKEN)."""
    held = truth(stories, [word for kind, word in SPOKEN.values() if kind == "word"])
    answers = {}
    for question, (kind, key) in SPOKEN.items():
        if kind == "claim":
            answers[question] = {s.url for s in stories if s.section.key == "rumours" and f"/{key}-" in s.url + "-"}
        else:
            answers[question] = held[key]
    return answers


def ours_quality(index: Path, relevant: dict[str, set[str]], engine: Engine, spoken: dict[str, set[str]]) -> None:
    """Every exact hit of each planted word, and the top ten of each spoken question, from
    search.js in node over the built index."""
    done = subprocess.run(
        ["node", "-e", NODE_RUNNER, str(SEARCH_JS)],
        input=json.dumps({"dir": str(index), "words": list(relevant), "spoken": list(spoken)}),
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if done.returncode:
        engine.error = done.stderr[-2000:]
        return
    for word, hits in json.loads(done.stdout).items():
        if word in spoken:
            top = [url for url, _ in hits]
            engine.spoken[word] = (len(spoken[word]), sum(url in spoken[word] for url in top), len(top))
        else:
            engine.quality[word] = grade([url for url, _ in hits], relevant[word])


def index_cost(stories: Sequence[Story], settings: site_settings.Settings, out: Path) -> tuple[float, float, int]:
    """Seconds to build the index, seconds to write it and pre-compress it as the build does
    (generator/compress.py), and its gzip bytes."""
    start = time.perf_counter()
    site = search.render(stories, settings)
    built = time.perf_counter() - start
    start = time.perf_counter()
    for asset in site.assets:
        target = out / asset.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        content = asset.content if asset.content is not None else b""
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    compress.write(out, settings)
    written = time.perf_counter() - start
    packed = sum(f.stat().st_size for f in out.rglob("*.gz"))
    return built, written, packed


def material_project(stories: Sequence[Story], project: Path) -> None:
    """Material's own search over the same stories: one page per story holding every searched field."""
    docs = project / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# 首页\n", "utf-8")
    for story in stories:
        page = docs / (story.url.strip("/") + ".md")
        page.parent.mkdir(parents=True, exist_ok=True)
        facts = "\n\n".join(searched_text(story)[3:])
        page.write_text(f"# {story.title}\n\n{story.summary}\n\n{story.body}\n\n{facts}\n", "utf-8")
    config = {
        "site_name": "基准：Material 搜索",
        "theme": {"name": "material", "language": "zh", "font": False},
        "plugins": ["search"],
        "nav": [{"首页": "index.md"}],
        "validation": {"nav": {"omitted_files": "ignore"}},
    }
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")


# Records what Material's search worker is asked and answers, so every result counts (its
# page shows them ten at a time): installed before Material's own script runs.
MATERIAL_SPY = """
(() => {
  const Native = window.Worker;
  window.__searchLog = [];
  window.Worker = function (url, options) {
    const worker = new Native(url, options);
    const post = worker.postMessage.bind(worker);
    worker.postMessage = (message, ...rest) => {
      if (message && message.type === 2) window.__searchLog.push({ query: message.data, items: null });
      return post(message, ...rest);
    };
    let answered = 0;  // the worker answers in the order it was asked
    worker.addEventListener("message", event => {
      const log = window.__searchLog;
      if (event.data && event.data.type === 3 && answered < log.length) {
        log[answered++].items = event.data.data.items.map(group => group[0].location);
      }
    });
    return worker;
  };
  window.Worker.prototype = Native.prototype;
})();
"""


def measure_material(chromium: Any, base: str, relevant: dict[str, set[str]], engine: Engine) -> None:
    """Bytes on load, seconds until it can answer, then each word's results, in Chromium."""
    page = phone(chromium)
    page.add_init_script(MATERIAL_SPY)
    traffic = Traffic(page)
    start = time.perf_counter()
    page.goto(base + "/", wait_until="networkidle")
    engine.load_bytes = traffic.bytes("search_index.json")
    page.click('label[for="__search"]')
    for n, word in enumerate(relevant):
        asked = page.evaluate("() => window.__searchLog.length")
        box = page.locator(".md-search__input")
        box.fill(word)
        box.press("End")  # Material asks its worker on keyup, which fill() does not send
        page.wait_for_function(
            "n => window.__searchLog.slice(n).some(e => e.items)", arg=asked, timeout=900_000, polling=200
        )
        if n == 0:
            engine.ready_seconds = time.perf_counter() - start
        page.wait_for_timeout(500)  # the last answer, should the box have asked twice
        items = page.evaluate("n => window.__searchLog.slice(n).filter(e => e.items).pop().items", asked)
        ranked = ["/" + item.split("#")[0].lstrip("/") for item in items]
        engine.quality[word] = grade(ranked, relevant[word])
    page.context.close()


def measure_pagefind(chromium: Any, base: str, relevant: dict[str, set[str]], engine: Engine) -> None:
    """Bytes per query and every word's results, through Pagefind's own JavaScript API."""
    page = phone(chromium)
    traffic = Traffic(page)
    page.goto(base + "/", wait_until="networkidle")
    engine.load_bytes = 0  # Pagefind loads nothing until asked
    script = """async ([q, all]) => {
        const pf = window.__pf || (window.__pf = await import("/pagefind/pagefind.js"));
        const found = await pf.search(q);
        const chosen = all ? found.results : found.results.slice(0, TOP);
        const data = await Promise.all(chosen.map(r => r.data()));
        return [found.results.length, data.map(d => d.url)];
    }""".replace("TOP", str(TOP))
    mark = 0
    for query, slot in ((FIRST, "first_bytes"), (SECOND, "second_bytes")):
        page.evaluate(script, [query, False])
        page.wait_for_load_state("networkidle")
        setattr(engine, slot, traffic.bytes("/pagefind/", mark if slot == "second_bytes" else 0))
        mark = len(traffic.finished)
    for word in relevant:
        count, urls = page.evaluate(script, [word, True])
        engine.quality[word] = grade(urls, relevant[word], count)
    page.context.close()


def timed(command: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    """Run a command to success and return its wall time."""
    start = time.perf_counter()
    done = subprocess.run(list(command), cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout[-1500:]}\n{done.stderr[-1500:]}")
    return time.perf_counter() - start


def kb(value: int | None) -> str:
    return "—" if value is None else f"{value / 1000:.1f} KB"


def report(engines: list[Engine], n: int) -> str:
    """The figures as a Markdown table, then each planted word's recall and precision."""
    lines = [
        f"N = {n} stories",
        "",
        "| search | index built in | on page load | first query | second query | ready in browser |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for e in engines:
        index = "—" if e.index_seconds is None else f"{e.index_seconds:.2f} s {e.index_note}".strip()
        ready = "—" if e.ready_seconds is None else f"{e.ready_seconds:.1f} s"
        lines.append(
            f"| {e.name} | {index} | {kb(e.load_bytes)} | {kb(e.first_bytes)} | {kb(e.second_bytes)} | {ready} |"
        )
    lines += ["", "| search | word | holding it | returned | found | recall | precision | top 10 | ranks |"]
    lines.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for e in engines:
        for word, q in e.quality.items():
            ranks = ", ".join(map(str, q.ranks_of_truth))
            precision = q.found / q.reported if q.reported else 0.0
            lines.append(
                f"| {e.name} | {word} | {q.truth} | {q.reported} | {q.found} | {q.recall:.2f} | {precision:.2f} "
                f"| {q.precision_top:.2f} | {ranks} |"
            )
        if e.error:
            lines.append(f"| {e.name} | error: {e.error.splitlines()[-1] if e.error else ''} | | | | | | | |")
    for e in engines:
        if e.spoken_bytes is None and not e.spoken:
            continue
        seconds = "—" if e.spoken_seconds is None else f"{e.spoken_seconds:.2f} s"
        lines += ["", f"First spoken question ({next(iter(SPOKEN))}) on a phone (CPU 4×, 4G 9 Mbit/s, 60 ms):"]
        lines += [
            f"{kb(e.spoken_bytes)} compressed from focusing the box, {seconds} from submitting to the first hit",
            "",
        ]
        lines += [
            "| search | spoken question | answering stories | of them in top 10 | top 10 holds |",
            "| --- | --- | ---: | ---: | ---: |",
        ]
        for question, (relevant, found, shown) in e.spoken.items():
            lines.append(f"| {e.name} | {question} | {relevant} | {found} | {shown} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: generate, build, serve and measure; print the tables."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--no-material", action="store_true")
    parser.add_argument("--no-pagefind", action="store_true")
    args = parser.parse_args(argv)
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-search-"))
    work.mkdir(parents=True, exist_ok=True)
    work.chmod(0o755)  # nginx's workers run as another user and must read the sites
    try:
        engines = run(work, args)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    text = report(engines, args.n)
    print(text)
    if args.json:
        args.json.write_text(json.dumps([asdict(e) for e in engines], ensure_ascii=False, indent=1), "utf-8")
    return 1 if any(e.error for e in engines) else 0


def say(text: str) -> None:
    """Progress, on stderr."""
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def run(work: Path, args: argparse.Namespace) -> list[Engine]:
    """Every measurement, in a work folder."""
    stories_dir = work / "stories"
    if not stories_dir.exists():
        corpus.generate(stories_dir, args.n, args.seed)
    settings = site_settings.load(ROOT / "mkdocs.yml", stories_dir=stories_dir)
    stories = pipeline.check(settings).published(False)
    relevant = truth(stories, PLANTED)
    spoken = spoken_truth(stories)
    say(f"{len(stories)} stories checked; indexing")
    ours = Engine("this site (character pairs)")
    # Best of three: the build figure is the machine's cost, not its neighbours' load.
    costs = []
    for _ in range(3):
        shutil.rmtree(work / "index-only", ignore_errors=True)
        costs.append(index_cost(stories, settings, work / "index-only"))
    built, written, size = min(costs, key=lambda c: c[0] + c[1])
    ours.index_seconds = built + written
    ours.index_note = f"({built:.2f} index + {written:.2f} write, gzip; {size / 1e6:.1f} MB gzip in all)"
    site = work / "site"
    # Read-aloud audio (espeak-ng, about 3 s a story) is not what this measures.
    env = dict(os.environ, FEDERATION_STORIES_DIR=str(stories_dir), FEDERATION_READ_ALOUD="false")
    build = [sys.executable, "-m", "generator", "build", "--stories", str(stories_dir), "--site-dir", str(site)]
    say("building the site")
    timed(build, ROOT, env)
    say("search.js over the index, every hit")
    ours_quality(site / search.INDEX_FOLDER, relevant, ours, spoken)
    engines = [ours]
    playwright, chromium = browser()
    try:
        address = stories[0].url
        material = Engine("Material 9.8 search (jieba)" if _has("jieba") else "Material 9.8 search")
        pagefind = Engine("Pagefind 1.5 extended")
        if not args.no_pagefind:
            glob = "{knowledge,rumours,exemplars}/*/index.html"
            command = [sys.executable, "-m", "pagefind", "--site", str(site), "--glob", glob]
            command += ["--root-selector", "article.fed-story", "--force-language", "zh", "--quiet"]
            say("Pagefind indexing")
            try:
                pagefind.index_seconds = timed(command, ROOT)
            except (RuntimeError, OSError) as problem:
                pagefind.error = str(problem)
        with nginx(site, work / "nginx-site") as base:
            say("this site in Chromium")
            measure_ours(chromium, base, address, ours)
            say("a spoken question on a throttled phone")
            measure_spoken(chromium, base, address, ours)
            if not args.no_pagefind and not pagefind.error:
                say("Pagefind in Chromium")
                measure_pagefind(chromium, base, relevant, pagefind)
        if not args.no_pagefind:
            engines.append(pagefind)
        if not args.no_material:
            project = work / "material"
            if not project.exists():
                material_project(stories, project)
            say("Material: mkdocs build with its search")
            start = time.perf_counter()
            timed([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / "mkdocs.yml")], project)
            material.index_seconds = time.perf_counter() - start
            material.index_note = "(whole mkdocs build)"
            with nginx(project / "site", work / "nginx-material") as base:
                say("Material in Chromium")
                measure_material(chromium, base, relevant, material)
            engines.append(material)
    finally:
        chromium.close()
        playwright.stop()
    return engines


def _has(module: str) -> bool:
    found: Callable[[str], Any] = __import__
    try:
        found(module)
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
