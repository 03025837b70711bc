"""The theme's script as the site ships it: what Material would fetch from unpkg.com comes from the site.

Material 9.8's bundle fetches a ResizeObserver polyfill from unpkg.com on browsers that
lack ResizeObserver (iOS 12, old Android WebViews), and mermaid when a page holds a
`pre.mermaid`; unpkg.com is slow or blocked in mainland China. The build points both
at the site's own copies: the polyfill (npm resize-observer-polyfill 1.5.1, the very
file unpkg.com serves, vendored with its licence in site_src/assets/vendor/) and a
stand-in for mermaid (site_src/assets/javascripts/mermaid-absent.js). A browser that
has ResizeObserver fetches neither.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

# What the bundle would fetch, and the site's own file for it.
LOCAL_COPIES = {
    "https://unpkg.com/resize-observer-polyfill": "assets/vendor/resize-observer-polyfill/ResizeObserver.js",
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js": "assets/javascripts/mermaid-absent.js",
}
BUNDLES = "assets/javascripts/bundle.*.min.js"


def localise(site_dir: Path, site_url: str) -> list[Path]:
    """Point the written theme bundle's foreign fetches at the site's own copies; the files changed."""
    # The bundle inserts the address into a <script src> on any page: it must not be relative.
    root = urlsplit(site_url).path if site_url else "/"
    root = root if root.endswith("/") else root + "/"
    changed = []
    for bundle in sorted(site_dir.glob(BUNDLES)):
        text = bundle.read_text("utf-8")
        localised = text
        for foreign, local in LOCAL_COPIES.items():
            localised = localised.replace(f'"{foreign}"', f'"{root}{local}"')
        if localised != text:
            bundle.write_text(localised, "utf-8")
            changed.append(bundle)
    return changed
