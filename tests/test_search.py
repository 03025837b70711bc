"""Search through the real index files: the build writes them, node runs search.js on them.

The query logic lives only in site_src/assets/javascripts/search.js; these tests load it
in node (no re-implementation here) over the index of a generated corpus with planted
words, and compare with what each story's text really holds.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import pipeline
from generator.content import wording
from generator.core.outputs import Site
from generator.core.story import Story
from generator.render import search
from tests.conftest import ROOT, sample_settings

SEARCH_JS = ROOT / "site_src" / "assets" / "javascripts" / "search.js"
CORPUS_SIZE = 400
# Runs search.js in node over an index folder: each query's counts, its hits (every exact
# one, confirmed, then the partial matches read so far, in rank order) and the files its
# first page read with their gzip sizes.
RUNNER = r"""
const fs = require("fs"), path = require("path"), zlib = require("zlib");
const search = require(process.argv[1]);
const job = JSON.parse(fs.readFileSync(0, "utf8"));
let read = [];
const engine = new search.Engine(p => fs.promises.readFile(path.join(job.dir, p)).then(b => {
  read.push([p, zlib.gzipSync(b, { level: 6 }).length]);
  return b.toString("utf8");
}));
(async () => {
  const out = [];
  for (const query of job.queries) {
    read = [];
    const result = await engine.search(query);
    const first = await result.more(job.page);
    const firstRead = read.slice();
    const rest = job.all ? await result.more(result.counts().full) : [];
    out.push({ query, terms: search.terms(query), counts: result.counts(), hits: first.concat(rest), firstRead });
  }
  if (job.probe) out.push(job.probe.map(([a, b, n]) => search.bucket(a, b, n)), search.fold(job.fold), search.terms(job.words));
  process.stdout.write(JSON.stringify(out));
})().catch(e => { console.error(e); process.exit(1); });
"""


def run_node(job: dict[str, Any]) -> list[Any]:
    """Run RUNNER with `job` on stdin; node must be installed (the site's search runs in it too)."""
    done = subprocess.run(
        ["node", "-e", RUNNER, str(SEARCH_JS)], input=json.dumps(job), capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    result: list[Any] = json.loads(done.stdout)
    return result


def write(site: Site, root: Path) -> None:
    """Write a rendered site's files as the build would."""
    for asset in site.assets:
        target = root / asset.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        content = asset.content if asset.content is not None else b""
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Story], Path]:
    """A generated corpus with the planted words, checked, and its search index written."""
    stories_dir = tmp_path_factory.mktemp("corpus")
    made = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "corpus.py"), str(stories_dir), "--n", str(CORPUS_SIZE)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert made.returncode == 0, made.stderr
    outcome = pipeline.check(sample_settings(stories_dir=stories_dir))
    assert outcome.ok, [str(p) for p in outcome.problems if p.is_error]
    stories = outcome.published(False)
    site_dir = tmp_path_factory.mktemp("site")
    write(search.render(stories, sample_settings(stories_dir=stories_dir)), site_dir)
    return stories, site_dir / search.INDEX_FOLDER


def searched_text(story: Story) -> list[str]:
    """Where a reader's word may be, read straight from the story (not from the index)."""
    extra = [story.get(key) for key in ("claim", "name", "role", "organisation")]
    audience = list(story.get("audience", tuple) or ())
    honours = [h.term.label for h in story.get("honours", tuple) or ()]
    district = story.district.label if story.district else ""
    return [
        story.title,
        *story.tags,
        district,
        *map(str, filter(None, extra)),
        *honours,
        *audience,
        story.summary,
        story.body,
    ]


def holding(stories: list[Story], word: str) -> set[str]:
    """The addresses of the stories whose text holds `word` (case-folded)."""
    return {s.url for s in stories if any(word.lower() in text.lower() for text in searched_text(s))}


@pytest.fixture(scope="module")
def answers(corpus: tuple[list[Story], Path]) -> dict[str, dict[str, Any]]:
    """Every test query run once through search.js, with every hit confirmed."""
    queries = ["勤洗手", "蒲公英核酸", "两江新区", "口罩", "罩", "口罩 两江新区", "ＷＨＯ", "没有这种说法的词语组合"]
    found = run_node({"dir": str(corpus[1]), "queries": queries, "page": 10, "all": True})
    return {entry["query"]: entry for entry in found}


@pytest.mark.requires("node")
@pytest.mark.parametrize("word", ["勤洗手", "蒲公英核酸", "两江新区", "口罩", "罩"])
def test_planted_words_have_recall_and_precision_one(
    corpus: tuple[list[Story], Path], answers: dict[str, dict[str, Any]], word: str
) -> None:
    stories, _ = corpus
    truth = holding(stories, word)
    hits = [hit["url"] for hit in answers[word]["hits"] if hit["exact"]]
    assert truth, f"the corpus should hold {word}"
    assert len(hits) == len(set(hits))
    assert set(hits) == truth  # every story holding it is found as exact, and nothing else
    flags = [hit["exact"] for hit in answers[word]["hits"]]
    assert flags == sorted(flags, reverse=True)  # exact hits above every partial match
    assert answers[word]["counts"]["full"] == len(truth)


@pytest.mark.requires("node")
def test_a_word_no_dictionary_knows_finds_exactly_its_stories(
    corpus: tuple[list[Story], Path], answers: dict[str, dict[str, Any]]
) -> None:
    hits = [hit for hit in answers["蒲公英核酸"]["hits"] if hit["exact"]]
    assert len(hits) == 3  # benchmarks/corpus.py plants it in exactly three stories
    for hit in hits:
        marked = "".join(text for text, mark in hit["snippetParts"] if mark)
        assert "蒲公英核酸" in marked


@pytest.mark.requires("node")
def test_a_word_only_a_tag_holds_is_found(corpus: tuple[list[Story], Path], answers: dict[str, dict[str, Any]]) -> None:
    stories, _ = corpus
    only_tagged = {
        s.url
        for s in stories
        if "两江新区" in s.tags
        and not (s.district and s.district.label == "两江新区")
        and "两江新区" not in s.title + s.summary + s.body
    }
    assert only_tagged, "the corpus should tag some stories 两江新区 without saying it elsewhere"
    hits = {hit["url"]: hit for hit in answers["两江新区"]["hits"] if hit["exact"]}
    for url in only_tagged:
        assert hits[url]["field"] == 1  # found in the tags (field 1), shown with its label
        assert hits[url]["label"] == "标签"


@pytest.mark.requires("node")
@pytest.mark.parametrize("word", ["勤洗手", "两江新区", "口罩"])
def test_titles_and_tags_rank_above_body(answers: dict[str, dict[str, Any]], word: str) -> None:
    exact = [hit for hit in answers[word]["hits"] if hit["exact"]]
    fields = [hit["field"] for hit in exact]
    assert fields == sorted(fields)
    ids = [hit["id"] for hit in exact]
    for field in set(fields):
        same = [i for i, f in zip(ids, fields, strict=True) if f == field]
        assert same == sorted(same)  # within a field, newest first (ids are newest first)


@pytest.mark.requires("node")
def test_stories_with_every_word_rank_above_those_with_some(
    corpus: tuple[list[Story], Path], answers: dict[str, dict[str, Any]]
) -> None:
    stories, _ = corpus
    answer = answers["口罩 两江新区"]
    both = holding(stories, "口罩") & holding(stories, "两江新区")
    either = holding(stories, "口罩") | holding(stories, "两江新区")
    words = [hit["words"] for hit in answer["hits"]]
    assert words[: len(both)] == [2] * len(both)
    assert {hit["url"] for hit in answer["hits"] if hit["exact"]} == both
    assert answer["counts"]["full"] == len(both)
    partial = [hit for hit in answer["hits"] if not hit["exact"]]
    assert partial, "stories with one of the words follow as partial matches"
    assert {hit["url"] for hit in partial[:10]} <= either  # the best partial matches hold a whole word


@pytest.mark.requires("node")
def test_full_width_letters_fold_and_a_missing_word_finds_nothing(answers: dict[str, dict[str, Any]]) -> None:
    assert answers["ＷＨＯ"]["terms"] == ["who"]
    assert [hit for hit in answers["没有这种说法的词语组合"]["hits"] if hit["exact"]] == []
    assert answers["没有这种说法的词语组合"]["counts"]["full"] == 0


@pytest.mark.requires("node")
def test_hits_show_title_section_date_and_a_marked_snippet(answers: dict[str, dict[str, Any]]) -> None:
    for hit in answers["勤洗手"]["hits"][:10]:
        assert hit["url"].startswith("/") and hit["title"] and hit["section"] and hit["date"]
        assert any(mark and text == "勤洗手" for text, mark in hit["snippetParts"] + hit["titleParts"])


@pytest.mark.requires("node")
def test_a_query_reads_only_its_own_shards_and_hits(
    corpus: tuple[list[Story], Path], answers: dict[str, dict[str, Any]]
) -> None:
    _, index = corpus
    manifest = json.loads((index / "manifest.json").read_text("utf-8"))
    assert manifest["pairs"] > 1  # sharded, so a query cannot read the whole index
    read = [path for path, _ in answers["勤洗手"]["firstRead"]]
    shards = [p for p in read if p.startswith(("b/", "u/"))]
    stories = [p for p in read if p.startswith("d/")]
    # The manifest, then how to read a query and the stories' file names, each named by its content.
    assert read[:3] == ["manifest.json", manifest["words"], manifest["ids"]]
    assert len(shards) <= 2  # 勤洗 and 洗手 (its synonym 洗手 is one of its own pairs)
    assert len(stories) == 10  # the ten hits shown, and no other story
    assert sum(size for _, size in answers["勤洗手"]["firstRead"]) < 300_000


@pytest.mark.requires("node")
def test_python_and_javascript_agree_on_hash_folding_and_letters() -> None:
    grams = [("口", "罩"), ("勤", "洗"), ("a", "1"), ("𠀀", "字"), ("蒲", "")]
    probe = [[ord(a), ord(b) if b else 0, 64] for a, b in grams]
    text = "ＡＢＣ防疫Ｎ95ｘ"
    words = "口罩，N95 · 《新冠》 mRNA疫苗 ①②"
    *_, buckets, folded, terms = run_node(
        {"dir": ".", "queries": [], "page": 0, "all": False, "probe": probe, "fold": text, "words": words}
    )
    first = np.array([p[0] for p in probe], dtype=np.uint32)
    second = np.array([p[1] for p in probe], dtype=np.uint32)
    assert buckets == search.bucket_of(first, second, 64).tolist()
    codes, _ = search.code_points([text])
    assert folded == "".join(map(chr, codes[:-1]))
    codes, _ = search.code_points([words])
    mask = search.word_mask(codes)
    python_runs = "".join(chr(c) if m else " " for c, m in zip(codes, mask, strict=True)).split()
    # Digit and Latin runs apart from Han runs (N95 stays one word, mRNA疫苗 is two).
    python_words = [part for run in python_runs for part in re.findall(r"[0-9a-z]+|[^0-9a-z]+", run.lower())]
    assert terms == python_words


@pytest.mark.requires("node")
def test_the_index_is_built_the_same_with_numbers_of_any_size() -> None:
    values = np.array([0, 31, 32, 1023, 1024, 2**40], dtype=np.uint64)
    text = search.digits(values, search.widths(values))
    assert text == b"0" + b"V" + b"W1" + b"_V" + b"WW1" + b"WWWWWWWW1"
    [numbers] = run_node_numbers(text.decode())
    assert numbers == values.tolist()


def run_node_numbers(text: str) -> list[list[int]]:
    """search.js's reading of DIGITS text."""
    script = f"const s = require({json.dumps(str(SEARCH_JS))}); console.log(JSON.stringify([s.numbers({json.dumps(text)}, 0, {len(text)})]))"
    done = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    result: list[list[int]] = json.loads(done.stdout)
    return result


def test_plain_text_keeps_words_and_drops_markup() -> None:
    body = "## 小标题\n\n正文**加粗**，[链接文字](https://example.com/x)，![图片说明](a.jpg)<br>\n\n- 列表项 {: .x }"
    assert search.plain_text(body) == "小标题 正文 加粗 ，链接文字，图片说明 列表项"


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without logging each request."""

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture(scope="module")
def served_site(built_site: Path) -> Iterator[str]:
    """The built sample site over HTTP (the search fetches its index files)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(built_site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.requires("chromium")
def test_in_the_browser_nothing_loads_until_the_box_is_used(served_site: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 360, "height": 740})
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        page.goto(served_site + "/knowledge/wear-masks/")
        page.wait_for_load_state("networkidle")
        assert not [url for url in asked if "/assets/search/" in url]
        # Both asked for at once when the manifest is in (networkidle was reached before: waiting
        # for it again returns at once, so each request is waited for by name).
        with (
            page.expect_request(lambda request: "/assets/search/words." in request.url),
            page.expect_request(lambda request: "/assets/search/ids." in request.url),
        ):
            page.click("form.fed-search input[type=search][name=q]")
        page.wait_for_timeout(300)  # a shard asked for too soon would show up here
        index = [url for url in asked if "/assets/search/" in url]
        # The manifest, then how to read a query and the stories' file names; no shard yet.
        assert index[0] == served_site + "/assets/search/manifest.json"
        assert sorted(url.rsplit("/", 1)[1].split(".")[0] for url in index[1:]) == ["ids", "words"], index
        page.keyboard.type("双黄连")
        first = page.locator(".fed-search__results a.fed-search__hit").first
        first.wait_for()
        assert first.locator("mark").first.inner_text() == "双黄连"
        assert "辟谣" in first.inner_text() and "2020年" in first.inner_text()
        first.click()
        page.wait_for_url("**/rumours/shuanghuanglian/")
        browser.close()


@pytest.mark.requires("node")
def test_a_query_in_traditional_characters_folds_as_the_index_does(corpus: tuple[list[Story], Path]) -> None:
    _, index = corpus
    manifest = json.loads((index / "manifest.json").read_text("utf-8"))
    tables = json.loads((index / manifest["words"]).read_text("utf-8"))
    sources, targets = tables["fold"]
    assert len(sources) == len(targets) > 100
    script = (
        f"const s = require({json.dumps(str(SEARCH_JS))});"
        f"const w = new s.Wording({json.dumps(tables)});"
        f"console.log(JSON.stringify([s.fold({json.dumps(sources)}, w.map), s.terms('請問口罩怎麼戴才對呢？', w)]))"
    )
    done = subprocess.run(["node", "-e", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    folded, terms = json.loads(done.stdout)
    assert folded == wording.fold(sources) == targets
    assert terms == ["口罩", "戴才对"]  # 请问, 怎么 and 呢 carry no weight


def test_the_synonyms_table_is_valid_and_mistakes_are_reported_with_their_line() -> None:
    assert wording.problems() == []
    text = "- [新冠, 新冠肺炎]\n- [口罩]\n- [核酸, 新冠]\n- [洗 手, 勤洗手]\n- 疫苗\n"
    found = [str(p) for p in wording.synonym_problems(text, "synonyms.yaml")]
    assert found == [
        "synonyms.yaml:2: 错误：一组至少要有两个词，否则不起作用；请补上同义的词，或删去这一行。",
        "synonyms.yaml:3: 错误：「新冠」已经写在第 1 行里了；一个词只能在一组里，请删去重复的。",
        "synonyms.yaml:4: 错误：「洗 手」不能作同义词：每个词至少两个字，只用汉字、字母和数字，不要空格和标点。",
        "synonyms.yaml:5: 错误：这一行应是一组词，写成 - [词一, 词二]。",
    ]
    assert [p.line for p in wording.synonym_problems("- [新冠, 新冠肺炎\n- [a, b]\n", "s.yaml")] == [2]


def test_check_reports_a_bad_synonyms_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wording, "_vocabulary_text", lambda name: "- [口罩]\n")
    outcome = pipeline.check(sample_settings())
    assert not outcome.ok
    assert any(p.path == wording.SYNONYMS_FILE and p.line == 1 for p in outcome.problems)


def test_search_js_stays_es5_for_old_wechat_webviews() -> None:
    code = SEARCH_JS.read_text("utf-8")
    code = re.sub(r"/\*.*?\*/|(?<![:\"'\\])//[^\n]*", " ", code, flags=re.S)  # comments say what they like
    code = re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', code)
    for pattern, what in (
        (r"=>", "arrow function"),
        (r"`", "template literal"),
        (r"\b(?:let|const|class|async|await)\s", "ES2015+ keyword"),
        (r"\.\.\.", "spread"),
        (r"\b(?:Map|Set|Symbol)\(|\bArray\.from\b|\.codePointAt\b|\bfromCodePoint\b|\bnew URL\b", "ES2015+ API"),
    ):
        found = re.search(pattern, code)
        assert found is None, f"{what} in search.js: …{code[max(0, found.start() - 40) : found.end() + 40]}…"


# What a careless editor might type into synonyms.yaml: Han, letters, digits, spaces,
# punctuation of both widths, YAML's own marks.
_EDITOR_TEXT = st.text(alphabet="新冠口罩疫苗核酸漱口盐水ABCn95 ，,、：:[]{}-#'\"\n\t", max_size=60)


@given(_EDITOR_TEXT)
@settings(max_examples=300, deadline=None)
def test_any_synonyms_text_gets_messages_and_never_a_traceback(text: str) -> None:
    lines = max(1, text.count("\n") + 1)
    for problem in wording.synonym_problems(text, "synonyms.yaml"):
        assert problem.path == "synonyms.yaml" and 1 <= problem.line <= lines + 1
        assert problem.message and problem.is_error


@given(st.lists(st.lists(_EDITOR_TEXT.filter(lambda w: "\n" not in w), min_size=1, max_size=4), max_size=6))
@settings(max_examples=200, deadline=None)
def test_every_group_a_check_accepts_is_searchable(groups: list[list[str]]) -> None:
    text = "".join(
        "- [" + ", ".join(json.dumps(word, ensure_ascii=False) for word in group) + "]\n" for group in groups
    )
    found, problems = wording._read_synonyms(text, "synonyms.yaml")
    words = [word for group in found for word in group]
    assert len(words) == len(set(words))  # one group per word
    for word in words:
        assert len(word) >= wording.MIN_WORD and all(c.isalnum() for c in word) and word == wording.fold(word)
    if not problems:
        assert len(found) == len(groups)
