"""The documentation site: generated pages match the catalog, examples are tests, shown output is real.

Code examples on the site are included (pymdownx.snippets) from ``tests/docs/``, whose ``test_*.py`` files run
with the rest of the suite; the ``example_*`` files show failing tests and their output, and are run here
through pytester so the output a page shows is the output pytest prints.
"""

from __future__ import annotations

import html
import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import pytest_bitmart

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
EXAMPLES = ROOT / "tests" / "docs"
SNIPPET = re.compile(r'^--8<-- "(?P<path>[^":]+)(?::(?P<section>[\w-]+))?"$')
FENCE = re.compile(r"^```(?P<lang>\w*)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)


def load_hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_hooks", DOCS / "hooks.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def example(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def written_pages() -> list[Path]:
    return sorted(path for path in DOCS.rglob("*.md") if path.name != "benchmarks.md")


# Generated error-code pages ----------------------------------------------------------------------------


def test_the_build_generates_the_code_pages_with_this_hook():
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r"^hooks:\n  - docs/hooks\.py$", config, re.MULTILINE)
    for uri in load_hooks().codes_pages():
        assert f" {uri}\n" in config, f"{uri} is generated but not in the nav"


def test_each_family_page_shows_every_code_with_its_exact_response():
    hooks = load_hooks()
    pages = hooks.codes_pages()
    for entry in pytest_bitmart.error_codes():
        page = pages[f"codes/{entry.family}.md"]
        body = pytest_bitmart.render(entry, trace=hooks.EXAMPLE_TRACE).content.decode()
        section = page.split(f"\n## {entry.code} {{#{entry.code}}}\n", 1)[1].split("\n## ", 1)[0]
        assert f"`{entry.message}` · HTTP {entry.http_status}" in section
        assert f"```http\nHTTP/1.1 {entry.http_status} " in section
        assert f"\n\n{body}\n```" in section
        assert f"| [{entry.code}](#{entry.code}) | {entry.http_status} | `{entry.message}` |" in page


def test_the_overview_lists_every_global_http_failure():
    page = load_hooks().codes_pages()["codes/index.md"]
    for failure in pytest_bitmart.http_failures():
        assert f"| {failure.http_status} | `{failure.description}` |" in page


def test_the_api_directive_refuses_a_name_that_is_not_public():
    hooks = load_hooks()
    with pytest.raises(hooks.DocsBuildError, match="not a public name"):
        hooks.api_section("_render")


# Examples are included from test files ----------------------------------------------------------------


def test_every_python_block_on_a_page_is_included_from_a_file():
    for path in written_pages():
        for fence in FENCE.finditer(path.read_text(encoding="utf-8")):
            if fence["lang"] in {"python", "toml", "ini"}:
                lines = fence["body"].strip().splitlines()
                assert lines, f"{path.name}: empty {fence['lang']} block"
                assert all(SNIPPET.match(line) for line in lines), (
                    f"{path.relative_to(ROOT)} has a {fence['lang']} block written inline; include it from a file "
                    f"under tests/docs/ so it runs:\n{fence['body']}"
                )


def test_every_included_file_and_section_exists():
    seen = 0
    for path in [*written_pages(), ROOT / "README.md"]:
        for line in path.read_text(encoding="utf-8").splitlines():
            match = SNIPPET.match(line.strip())
            if match is None:
                continue
            seen += 1
            included = ROOT / match["path"]
            assert included.is_file(), f"{path.name} includes missing {match['path']}"
            if match["section"]:
                text = included.read_text(encoding="utf-8")
                for edge in ("start", "end"):
                    assert f"# --8<-- [{edge}:{match['section']}]" in text, f"{match['path']}: no {edge} of section"
    assert seen > 20


# Output shown on the pages is the output pytest prints ------------------------------------------------


def _patterns(name: str) -> list[str]:
    """One regex per line of a shown-output file: literal, except a separator's width and a header dict."""
    patterns = []
    for line in example(name).splitlines():
        separator = re.fullmatch(r"([=_])\1+ (.+?) \1+", line)
        if separator:
            patterns.append(f"{re.escape(separator[1])}+ {re.escape(separator[2])} {re.escape(separator[1])}+$")
        else:
            # The client library's default headers (its version, the encodings installed) vary by machine.
            parts = re.split(r"headers=\{[^}]*\}", line)
            patterns.append(r"headers=\{[^}]*\}".join(re.escape(part) for part in parts) + "$")
    return patterns


def test_reading_failures_shows_the_real_unmatched_request_output(pytester: pytest.Pytester):
    source = example("example_unmatched.py")
    pytester.makepyfile(test_wallet=source)
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)  # reported once: the client's error is the test's failure
    result.stdout.re_match_lines(_patterns("example_unmatched_output.txt"), consecutive=True)
    # The same test with a client that swallows the error fails at teardown with the report shown.
    call = '    requests.get("https://api-cloud.bitmart.com/account/v1/wallet", timeout=10)'
    swallowed = source.replace(call, f"    try:\n    {call}\n    except AssertionError:\n        pass")
    assert swallowed != source
    pytester.makepyfile(test_wallet=swallowed)
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.re_match_lines(_patterns("example_unmatched_teardown.txt"), consecutive=True)


def test_reading_failures_shows_the_real_typo_output(pytester: pytest.Pytester):
    pytester.makepyfile(test_typo=example("example_typo.py"))
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.re_match_lines(_patterns("example_typo_output.txt"), consecutive=True)


def test_requests_mock_example_fails_with_the_message_shown(pytester: pytest.Pytester):
    pytester.makepyfile(test_requests_mock=example("example_requests_mock.py"))
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.re_match_lines(_patterns("example_requests_mock_output.txt"), consecutive=True)


def test_every_code_example_prints_the_summary_shown(pytester: pytest.Pytester):
    pytester.makepyfile(test_wallet=example("test_docs_getting_started.py"))
    result = pytester.runpytest("-q", "-k", "every_documented")
    result.assert_outcomes(passed=len(pytest_bitmart.error_codes()))
    result.stdout.re_match_lines(_patterns("example_summary.txt"), consecutive=True)


def test_xdist_example_prints_the_summary_shown(pytester: pytest.Pytester):
    pytester.makepyfile(test_wallet=example("test_docs_getting_started.py"))
    result = pytester.runpytest_subprocess(
        "-q", "-n", "2", "-k", "every_documented", "--bitmart-families=auth", "--bitmart-coverage"
    )
    result.assert_outcomes(passed=len(pytest_bitmart.error_codes(family="auth")))
    result.stdout.re_match_lines(_patterns("example_summary_auth.txt"), consecutive=True)


def test_hook_example_changes_what_is_served(pytester: pytest.Pytester):
    pytester.makeconftest(example("example_hook_conftest.py"))
    pytester.makepyfile(test_hook=example("example_hook_tests.py"))
    pytester.runpytest().assert_outcomes(passed=2)


def test_bitmart_hosts_example_adds_a_host(pytester: pytest.Pytester):
    inner = 'addopts = ["-p", "no:randomly"]\nasyncio_default_fixture_loop_scope = "function"\n'
    pytester.makepyprojecttoml(example("example_hosts.toml") + inner)
    pytester.makepyfile(test_proxy=example("example_hosts_tests.py"))
    pytester.runpytest().assert_outcomes(passed=1)


def test_without_bitmart_hosts_the_proxy_is_not_bitmart(pytester: pytest.Pytester):
    # The other half of the example: the proxy host is only BitMart's because the ini says so.
    pytester.makepyfile(test_proxy=example("example_hosts_tests.py"))
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*ConnectionError*"])


# The site builds --------------------------------------------------------------------------------------


@pytest.mark.skipif(
    importlib.util.find_spec("mkdocs") is None or importlib.util.find_spec("material") is None,
    reason="mkdocs and mkdocs-material are in the docs extra: pip install -e '.[docs]'",
)
def test_the_site_builds_strictly_and_shows_every_message(tmp_path: Path):
    site = tmp_path / "site"
    result = subprocess.run(  # noqa: S603 - our own interpreter running mkdocs
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for family in pytest_bitmart.FAMILIES:
        shown = html.unescape((site / "codes" / family / "index.html").read_text(encoding="utf-8"))
        for entry in pytest_bitmart.error_codes(family=family):
            assert entry.message in shown, entry.code
    reference = (site / "reference" / "api" / "index.html").read_text(encoding="utf-8")
    for name in pytest_bitmart.__all__:
        assert f'id="{name}"' in reference, f"the Python API page does not document {name}"
