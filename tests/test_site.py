"""The built documentation site, read the way a visitor's browser gets it.

The site is built once into a temporary folder; the tests parse its HTML. They skip, saying why, when
mkdocs or mkdocs-material (the ``docs`` extra) is not installed.
"""

from __future__ import annotations

import html
import importlib.util
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

import pytest_bitmart

ROOT = Path(__file__).resolve().parent.parent
# Material's content column shows about this many characters of code before a block scrolls.
COLUMNS = 85

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("mkdocs") is None or importlib.util.find_spec("material") is None,
    reason="mkdocs and mkdocs-material are not installed (the docs extra: pip install -e '.[docs]')",
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    result = subprocess.run(  # noqa: S603 - our own interpreter running mkdocs
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return folder


class CodeBlocks(HTMLParser):
    """The text of every ``<pre><code>`` block, except those the stylesheet wraps (``.wrap``) and diagrams."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._stack: list[tuple[str, bool]] = []
        self._code: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        wrapped = bool({"wrap", "mermaid"} & set(classes)) or any(skip for _, skip in self._stack)
        if tag in {"br", "img", "input", "meta", "link", "hr", "wbr"}:
            return
        self._stack.append((tag, wrapped))
        if tag == "code" and any(name == "pre" for name, _ in self._stack[:-1]) and not wrapped:
            self._code = []

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            name, _ = self._stack.pop()
            if name == tag:
                break
        if tag == "code" and self._code is not None:
            self.blocks.append("".join(self._code))
            self._code = None

    def handle_data(self, data: str) -> None:
        if self._code is not None:
            self._code.append(data)


def test_the_site_builds_strictly_and_shows_every_message(site: Path):
    for family in pytest_bitmart.FAMILIES:
        shown = html.unescape((site / "codes" / family / "index.html").read_text(encoding="utf-8"))
        for entry in pytest_bitmart.error_codes(family=family):
            assert entry.message in shown, entry.code
    reference = (site / "reference" / "api" / "index.html").read_text(encoding="utf-8")
    for name in pytest_bitmart.__all__:
        assert f'id="{name}"' in reference, f"the Python API page does not document {name}"


def test_no_code_line_is_wider_than_the_column(site: Path):
    too_wide = []
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        parser = CodeBlocks()
        parser.feed(page.read_text(encoding="utf-8"))
        too_wide += [
            f"{page.relative_to(site)}: {len(line)} columns: {line}"
            for block in parser.blocks
            for line in block.splitlines()
            if len(line) > COLUMNS
        ]
    assert not too_wide, f"{len(too_wide)} code lines scroll in the column:\n" + "\n".join(too_wide)


def test_the_checker_sees_a_wide_line():
    parser = CodeBlocks()
    wide = "x" * (COLUMNS + 1)
    parser.feed(f'<pre><code>ok\n{wide}</code></pre><div class="wrap"><pre><code>{wide}</code></pre></div>')
    assert parser.blocks == [f"ok\n{wide}"]


def test_the_sitemap_and_the_404_page_use_the_site_url(site: Path):
    assert "<loc>https://pytest-bitmart.readthedocs.io/getting-started/</loc>" in (site / "sitemap.xml").read_text(
        encoding="utf-8"
    )
    # With a site_url the 404 page links its assets from the site's root, so it works at any depth.
    assert '<script src="/assets/javascripts/' in (site / "404.html").read_text(encoding="utf-8")


def test_how_it_works_draws_the_request_flow(site: Path):
    page = (site / "how-it-works" / "index.html").read_text(encoding="utf-8")
    assert '<pre class="mermaid"><code>flowchart LR' in page
