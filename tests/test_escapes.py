"""Nothing escapes a story: no load from another host, no script link, no page taken over.

Each rule is a family: hypothesis writes the address (or id) the way a hostile editor
would (any case, character references, tabs and newlines inside, leading controls,
backslashes for slashes) into every form Markdown and HTML offer, and the check must
refuse it on the line where it is written. `HYPOTHESIS_PROFILE=fuzz` runs 20,000
examples per property (tests/conftest.py).
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.content import weburl
from generator.content.checks import HEADING_IDS
from generator.content.rawhtml import hazards, reserved_name
from tests.test_cases import CASES, run_case

FILLER = "居室以通风为主。\n\n"
# Not a speed test (benchmarks/escapes.py is): a shared machine must not fail an example.
RELAXED = settings(deadline=None)


def _entity(char: str, style: int) -> str:
    if style == 0:
        return f"&#{'0' * (style + 3)}{ord(char)};"
    if style == 1:
        return f"&#x{ord(char):x};"
    if style == 2:
        return f"&#X{'0' * 5}{ord(char):X};"
    named = {":": "&colon;", "/": "&sol;", ".": "&period;"}
    return named.get(char, f"&#{ord(char)};")


@st.composite
def spelled(draw: st.DrawFn, word: str, entities: bool = True) -> str:
    """`word` written as a browser would still read it."""
    out = []
    if draw(st.booleans()):
        out.append(draw(st.sampled_from([" ", "\x01", "\x1f", "&#32;" if entities else " ", "\x00"])))
    for char in word:
        form = draw(st.integers(0, 9 if entities else 5))
        if form <= 2:
            out.append(char.upper() if char.isalpha() else char)
        elif form <= 4:
            out.append(char)
        elif form == 5 and out:
            out.append(draw(st.sampled_from(["\t", "\n", "\r"])) + char)
        elif entities:
            out.append(_entity(char, draw(st.integers(0, 3))))
        else:
            out.append(char)
    return "".join(out)


SLASHES = st.sampled_from(["//", "\\\\", "/\\", "\\/"])
RUNNABLE = st.sampled_from(["javascript", "vbscript", "data", "livescript"])


@st.composite
def foreign_address(draw: st.DrawFn, entities: bool = True) -> str:
    """An address on another host: scheme-relative, or with a special scheme, any spelling."""
    scheme = draw(st.sampled_from(["", "https:", "http:", "ftp:", "wss:"]))
    slashes = draw(SLASHES) if not scheme or draw(st.booleans()) else draw(st.sampled_from(["", "/", "\\"]))
    return draw(spelled(scheme + slashes, entities)) + "evil.example/a.png"


@st.composite
def runnable_address(draw: st.DrawFn, entities: bool = True) -> str:
    return draw(spelled(draw(RUNNABLE) + ":", entities)) + "alert%281%29"


def _no_space(address: str) -> bool:
    return not any(c in address for c in " \t\n\r\x00\x01\x1f")


def _markdown_safe(address: str) -> bool:
    # Markdown ends a destination at a space or a closing parenthesis; those spellings
    # are tried in the HTML forms, where quotes delimit the value.
    return _no_space(address) and ")" not in address


def _lines(text: str) -> set[int]:
    return {h.line for h in hazards(FILLER + text, HEADING_IDS)}


def _line_of(text: str, marker: str) -> int:
    return (FILLER + text).split(marker, 1)[0].count("\n") + 1


LOADING_FORMS = [
    '<img src="{a}" alt="">',
    "<img alt='x'\n  src='{a}'>",
    '<IMG SRC="{a}">',
    '<img src="x.png" srcset="x.png 1x, {a} 2x">',
    '<video poster="{a}"></video>',
    '<video><source src="{a}"></video>',
    '<audio src="{a}"></audio>',
    '<input type="image" src="{a}">',
    '<track src="{a}">',
    '<div background="{a}">x</div>',
    '<div style="background: url({a})">x</div>',
    "<div style=\"background-image:url('{a}')\">x</div>",
    '<p style="b:u\\72l({a})">x</p>',
    '<a href="x.html" ping="{a}">x</a>',
    '<image href="{a}">',
    "<iframe src='{a}'></iframe>",
    '<object data="{a}"></object>',
    '<embed src="{a}">',
    '<link rel="stylesheet" href="{a}">',
    '<meta http-equiv="refresh" content="0;url={a}">',
    '<base href="{a}">',
]
MARKDOWN_LOADING_FORMS = [
    "![图]({a})",
    "![图](<{a}>)",
    '![图]({a} "标题")',
    "![图][p]\n\n[p]: {a}",
    "![P]\n\n[p]:\n    {a}",
    "![图][]\n\n[图]: <{a}>",
    '[x](y.html){{ style="background:url({a})" }}',
]


@RELAXED
@given(st.sampled_from(LOADING_FORMS), foreign_address())
def test_a_load_from_another_host_is_refused_in_every_html_form(form: str, address: str) -> None:
    if "srcset" in form and not _no_space(address):
        return  # in srcset a space or tab ends the address: `/\t/x` is `/`
    text = form.format(a=address)
    assert _lines(text), text


@RELAXED
@given(st.sampled_from(MARKDOWN_LOADING_FORMS), foreign_address(entities=False).filter(_markdown_safe))
def test_a_load_from_another_host_is_refused_in_every_markdown_form(form: str, address: str) -> None:
    text = form.format(a=address)
    assert _lines(text), text


@RELAXED
@given(foreign_address(entities=False).filter(_markdown_safe), st.sampled_from(["![图][p]", "![p]", "![P][]"]))
def test_a_picture_by_reference_is_refused_on_the_line_of_its_address(address: str, use: str) -> None:
    text = f"{use}\n\n中间一段。\n\n[p]: {address}\n\n最后一段。"
    assert _lines(text) == {_line_of(text, "[p]:")}, text


@RELAXED
@given(st.sampled_from(MARKDOWN_LOADING_FORMS[:3]), foreign_address(entities=False).filter(_markdown_safe))
def test_an_inline_picture_is_refused_on_its_own_line(form: str, address: str) -> None:
    text = "第一段。\n\n" + form.format(a=address) + "\n\n最后一段。"
    assert _lines(text) == {_line_of(text, "![图]")}, text


LINK_FORMS = [
    '<a href="{a}">x</a>',
    "<a\n  href='{a}'>x</a>",
    '<A HREF="{a}">x</A>',
    '<area href="{a}">',
    '<!-- --!> <a href="{a}">x</a> -->',
    '<button formaction="{a}">x</button>',
    '[x](y.html){{: href="{a}" }}',
]
MARKDOWN_LINK_FORMS = ["[x]({a})", "[x](<{a}>)", "[x][r]\n\n[r]: {a}", "[r]\n\n[r]:\n  {a}", "<{a}>"]


@RELAXED
@given(st.sampled_from(LINK_FORMS), runnable_address())
def test_a_script_link_is_refused_in_every_html_form(form: str, address: str) -> None:
    if "{{" in form and "\n" in address:
        return  # an attribute list is one line: a newline ends it, and the link with it
    text = form.format(a=address)
    assert _lines(text), text


@RELAXED
@given(st.sampled_from(MARKDOWN_LINK_FORMS), runnable_address(entities=True).filter(_markdown_safe))
def test_a_script_link_is_refused_in_every_markdown_form(form: str, address: str) -> None:
    text = form.format(a=address)
    if form == "<{a}>" and (not address[:1].isalpha() or "&" in address):
        return  # `<&#106;…>` is text and `<java&#58;…>` an odd tag name: neither is a link
    assert _lines(text), text


@RELAXED
@given(
    st.sampled_from(
        ["https://www.who.int/", "http://www.nhc.gov.cn/", "//www.who.int/x", "mailto:a@b.cn", "tel:12338"]
    ),
    st.sampled_from(["[x]({a})", '<a href="{a}">x</a>', "[x][r]\n\n[r]: {a}", "<{a}>"]),
)
def test_a_link_to_another_host_is_fine(address: str, form: str) -> None:
    assert _lines(form.format(a=address)) == set()


@RELAXED
@given(st.sampled_from(["x.png", "images/a.jpg", "../images/mask.jpg", "/assets/a.png", "a%20b.png", "#top"]))
def test_a_picture_on_the_site_is_no_hazard(address: str) -> None:
    text = f'![图]({address})\n\n<img src="{address}" srcset="{address} 2x">\n\n![p]\n\n[p]: {address}'
    assert _lines(text) == set()


IDENTIFIER = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=12)
RESERVED = st.one_of(
    IDENTIFIER.map(lambda s: "__" + s),
    IDENTIFIER.map(lambda s: "fed-" + s),
    IDENTIFIER.map(lambda s: "home-" + s),
    st.sampled_from(["__config", "__search", "__drawer", "__toc", "__palette_0", "__consent", "ResizeObserver"]),
)
ID_FORMS = [
    '<p id="{v}">x</p>',
    "<p ID='{v}'>x</p>",
    "<div\n  id={v}>x</div>",
    '<a name="{v}">x</a>',
    "段落\n{{: #{v} }}",
    "段落\n{{: id={v} }}",
    '[x](y.html){{: id="{v}" }}',
]


@RELAXED
@given(st.sampled_from(ID_FORMS), RESERVED, st.booleans())
def test_a_reserved_id_or_name_is_refused_in_every_form(form: str, value: str, encode: bool) -> None:
    written = "".join(f"&#{ord(c)};" for c in value) if encode and "<" in form else value
    text = form.format(v=written)
    assert _lines(text), text


@RELAXED
@given(
    RESERVED.filter(lambda v: v == v.lower() and not v.endswith(("-", "_"))), st.sampled_from(["## {v}", "{v}\n---"])
)
def test_a_heading_cannot_take_a_reserved_id(value: str, form: str) -> None:
    text = form.format(v=value)
    if reserved_name(HEADING_IDS(value, "-")):
        assert _lines(text), text


@RELAXED
@given(st.sampled_from(["img", "form", "iframe", "embed", "object"]), IDENTIFIER)
def test_a_name_that_shadows_a_document_property_is_refused(tag: str, name: str) -> None:
    assert _lines(f'<{tag} name="{name}">'), name


@RELAXED
@given(
    st.sampled_from(
        ['<pre class="mermaid">x</pre>', '<p class="a fed-share">x</p>', "x\n{: .mermaid }", '!!! fed-share "t"\n    x']
    )
)
def test_a_class_the_scripts_act_on_is_refused(text: str) -> None:
    assert _lines(text)


@RELAXED
@given(st.text(alphabet=st.sampled_from(list("<a [](){}!#:=\"'/\\&;x\n\t`-_")), max_size=400))
def test_any_text_is_read_without_error(text: str) -> None:
    for hazard in hazards(text, HEADING_IDS):
        assert 1 <= hazard.line <= text.count("\n") + 1
        assert hazard.message


@RELAXED
@given(foreign_address())
def test_the_address_reader_agrees_with_itself_on_decoded_text(address: str) -> None:
    # Reading the raw text with references and reading it decoded give the same answer.
    assert weburl.address(address, entities=True) == weburl.address(weburl.decode(address))
    assert weburl.address(address, entities=True).has_host


def test_pictures_by_reference_and_over_several_lines_are_the_storys(tmp_path: Path) -> None:
    # A rule that refuses every other spelling must still find the story's own pictures.
    case = CASES / "good" / "knowledge" / "links-pictures-and-attribute-lists.md"
    outcome = run_case(case, tmp_path)
    (story,) = [s for s in outcome.stories if s.path.endswith(case.name)]
    assert [(p.ref, p.line) for p in story.pictures] == [("photo.jpg", 16), ("my photo.jpg", 26)]
