"""Screenshots of the built site at desktop and phone widths, to look at before a docs change lands.

Builds the site, serves it on localhost and saves PNGs of the main pages at 1400 px and 400 px wide
with headless Chromium, through Playwright driving the system's browser (no browser download). It also
prints every page, main or not, where a code block scrolls sideways at either width:

    pip install playwright
    python docs/screenshots.py --chromium /usr/bin/chromium --out /tmp/shots

Material loads Mermaid from a CDN; where the network is closed, ``--mermaid-js`` serves a local
``mermaid.min.js`` (from the npm package ``mermaid``) in its place so the request-flow diagram renders.
Not run by CI: it needs a browser and someone to look at the pictures.
"""

# ruff: noqa: INP001, T201 - a script beside the pages, printing where it saved them

from __future__ import annotations

import argparse
import functools
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "",
    "getting-started/",
    "troubleshooting/",
    "how-it-works/",
    "codes/",
    "codes/spot/",
    "codes/contract/",
    "reference/pytest/",
    "reference/api/",
    "reference/cli/",
    "recipes/ccxt/",
    "recipes/other-mocks/",
    "compatibility/",
    "glossary/",
    "changelog/",
]
WIDTHS = {"desktop": 1400, "phone": 400}
# Long pages are cut here: the top of a page is what a reader judges it by.
MAX_HEIGHT = 5400
SCREEN = 900
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Code blocks whose text is wider than the block, so that the reader has to scroll them.
_SCROLLING = "[...document.querySelectorAll('pre > code')].filter(c => c.scrollWidth > c.clientWidth + 1).length"


def _every_page(site: Path) -> list[str]:
    """Every page of the built site, as a path to request; the main ones first."""
    others = sorted(
        str(index.parent.relative_to(site)) + "/"
        for index in site.rglob("index.html")
        if index.parent != site and index.parent.name != "search"
    )
    return PAGES + [path for path in others if path not in PAGES]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the name http.server uses
        pass


def build(site: Path) -> None:
    """Build the site strictly into ``site``."""
    subprocess.run(  # noqa: S603 - our own interpreter running mkdocs
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
        cwd=ROOT,
        check=True,
    )


def shoot(site: Path, out: Path, chromium: str, mermaid_js: Path | None) -> list[Path]:
    """Serve ``site`` and save one PNG per page and width into ``out``."""
    from playwright.sync_api import Route, sync_playwright  # noqa: PLC0415 - only this script needs it

    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    saved = []

    def mermaid(route: Route) -> None:
        if mermaid_js is None:
            route.abort()
        else:
            route.fulfill(path=str(mermaid_js), content_type="application/javascript")

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            for label, width in WIDTHS.items():
                page = browser.new_page(viewport={"width": width, "height": SCREEN})
                page.route("**/mermaid*.js", mermaid)
                for path in _every_page(site):
                    page.goto(base + path, wait_until="networkidle")
                    scrolling = page.evaluate(_SCROLLING)
                    if scrolling:
                        print(f"{path or '/'} at {width} px: {scrolling} code blocks scroll sideways")
                    if path not in PAGES:
                        continue
                    height = min(page.evaluate("document.body.scrollHeight"), MAX_HEIGHT)
                    stem = path.strip("/").replace("/", "-") or "index"
                    # One picture per screenful: a whole long page shrinks to nothing when viewed.
                    for number, top in enumerate(range(0, height, SCREEN)):
                        name = out / f"{stem}-{label}-{number}.png"
                        clip = {"x": 0, "y": top, "width": width, "height": min(SCREEN, height - top)}
                        page.screenshot(path=name, full_page=True, clip=clip)
                        saved.append(name)
                page.close()
            browser.close()
    finally:
        server.shutdown()
    return saved


def main() -> None:
    """Build, serve, screenshot; print where the pictures are."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="the Chromium executable to drive")
    parser.add_argument("--out", type=Path, help="folder for the PNGs (default: a new temporary folder)")
    parser.add_argument("--mermaid-js", type=Path, help="a local mermaid.min.js to serve for Material's CDN copy")
    options = parser.parse_args()
    out = options.out or Path(tempfile.mkdtemp(prefix="pytest-bitmart-shots-"))
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as site:
        build(Path(site))
        for path in shoot(Path(site), out, options.chromium, options.mermaid_js):
            print(path)


if __name__ == "__main__":
    main()
