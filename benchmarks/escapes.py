"""How long the escape checks take on hostile bodies: they must stay linear in the text's size.

    python benchmarks/escapes.py            # 150 KB bodies, the issue's figure
    python benchmarks/escapes.py --kb 600   # four times the size: about four times the time

For each body, the CPU seconds of the story check (generator/content/rawhtml.py: raw HTML and
Markdown) and of the after-build host check on a page holding it (generator/publish/hosts.py),
and the wall seconds of the whole `check` of one story file holding it (every rule, not only
these), so that a rule gone quadratic shows as a jump between sizes.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator import pipeline  # noqa: E402 - after the path is set
from generator.content.checks import HEADING_IDS  # noqa: E402
from generator.content.rawhtml import hazards  # noqa: E402
from generator.core.settings import Settings  # noqa: E402
from generator.publish import hosts  # noqa: E402

UNITS = ["<a ", "[[[[", "![", "[x](", "](&#", "<a href='", "<!--", "{: ", "<img src=//x ", "&#" + "0" * 40, "\t", "`"]
FRONT = (
    "---\ntitle: 居家消毒要适度\ndate: 2020-02-10\nsources:\n  - title: 中国疾控中心\n"
    "    url: http://www.chinacdc.cn/\nreviewed: 2020-02-10\nreview_due: 2099-12-31\n---\n\n"
)


def _seconds(work: object, clock: object = time.process_time) -> float:
    # CPU time of this process by default: the machine is shared, and wall time says more
    # about the neighbours than about the rule.
    start = clock()  # type: ignore[operator]
    work()  # type: ignore[operator]
    return clock() - start  # type: ignore[operator,no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", type=int, default=150, help="size of each hostile line, in KB")
    parser.add_argument("--no-check", action="store_true", help="skip the whole-file check")
    size = parser.parse_args().kb * 1000
    print(f"| unit | rawhtml CPU s | hosts CPU s | whole check wall s |  ({size // 1000} KB lines)")
    print("| --- | ---: | ---: | ---: |")
    for unit in UNITS:
        body = unit * (size // len(unit))
        rules = _seconds(partial(hazards, body, HEADING_IDS))
        page = "<html><body>" + body + "</body></html>"
        host = _seconds(partial(hosts.loads_in_text, page, "a/index.html", "site.example"))
        whole = float("nan")
        if not parser.parse_args().no_check:
            folder = Path(tempfile.mkdtemp())
            story = folder / "stories" / "knowledge" / "2020-02-10-hostile.md"
            story.parent.mkdir(parents=True)
            story.write_text(FRONT + body + "\n", "utf-8")
            settings = Settings(root=folder, stories_dir=folder / "stories", docs_dir=folder / "site_src")
            whole = _seconds(partial(pipeline.check, settings, reserved=[]), time.perf_counter)
            shutil.rmtree(folder)
        print(f"| {unit[:16]!r} | {rules:.3f} | {host:.3f} | {whole:.3f} |", flush=True)


if __name__ == "__main__":
    main()
