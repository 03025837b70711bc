"""`python -m tests.regenerate`: rewrite tests/expected/ from the current code (see `git diff`)."""

from tests.expected_output import EXPECTED, write

if __name__ == "__main__":
    write()
    print(f"已重新生成 {EXPECTED}；请用 git diff tests/expected 检查改动是否符合预期。")
