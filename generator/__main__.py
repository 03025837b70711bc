"""`python -m generator` (installed as `fed`)."""

import sys

try:
    from generator.commands.cli import main
except ModuleNotFoundError as missing:  # a Python without the site's packages: never a traceback
    print(
        f"缺少运行环境（找不到 {missing.name}）：请先运行 make site 准备环境，"
        "再用 .venv/bin/fed check 检查（Windows：.venv\\Scripts\\fed check）。",
        file=sys.stderr,
    )
    sys.exit(2)

sys.exit(main())
