"""The documentation site: generated pages match the catalog, examples are tests, shown output is real.

Code examples on the site are included (pymdownx.snippets) from ``tests/docs/``, whose ``test_*.py`` files run
with the rest of the suite; the ``example_*`` files show failing tests and their output, and are run here
through pytester so the output a page shows is the output pytest prints. ``tests/test_site.py`` checks the
built site as a reader sees it.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

import pytest

import pytest_bitmart

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
EXAMPLES = ROOT / "tests" / "docs"
SNIPPET = re.compile(r'^--8<-- "(?P<path>[^":]+)(?::(?P<section>[\w-]+))?"$')
OUTPUT = re.compile(r"^<!-- bitmart-output: (?P<path>\S+) -->$", re.MULTILINE)
# Material's code column shows about this many characters before a block scrolls.
COLUMNS = 85
FENCE = re.compile(r"^```(?P<lang>\w*)(?P<options>[^\n]*)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)


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


def _section(page: str, code: int) -> str:
    return page.split(f" {{#{code}}}\n", 1)[1].split("\n## ", 1)[0]


def test_each_family_page_shows_every_code_with_its_exact_response():
    hooks = load_hooks()
    pages = hooks.codes_pages()
    for entry in pytest_bitmart.error_codes():
        page = pages[f"codes/{entry.family}.md"]
        body = pytest_bitmart.render(entry, trace=hooks.EXAMPLE_TRACE).content.decode()
        assert f"\n## {entry.code} · " in page, entry.code
        section = _section(page, entry.code)
        assert section.startswith(f"\n**HTTP {entry.http_status}.**")
        assert f'"message":{json.dumps(entry.message, ensure_ascii=False)}' in body
        assert f"```json {{ .wrap }}\n    {body}\n    ```" in section
        assert f"```python\n@pytest.mark.bitmart_error({entry.code}" in section
        assert f"| [{entry.code}](#{entry.code}) | {entry.http_status} | `{entry.message}` |" in page


def test_headings_carry_the_message_so_the_table_of_contents_reads():
    page = load_hooks().codes_pages()["codes/spot.md"]
    assert "\n## 50020 · Balance not enough {#50020}\n" in page
    # Markdown characters in a message stay characters: 50009's "count*price" is not emphasis.
    assert "\n## 50009 · Minimum count\\*price is %s {#50009}\n" in page


def test_the_shared_headers_are_shown_once_and_exceptions_in_their_entry():
    hooks = load_hooks()
    page = hooks.codes_pages()["codes/auth.md"]
    assert page.count("X-BM-RateLimit-Limit: 600") == 2  # the page's headers, and the success example
    # 30013 (rate limited) is the one auth answer with other headers: it says which.
    assert "X-BM-RateLimit-Remaining: 601" in _section(page, 30013)
    assert "X-BM-RateLimit" not in _section(page, 30001)


def test_a_code_with_placeholders_shows_how_to_fill_them():
    section = _section(load_hooks().codes_pages()["codes/spot.md"], 50021)
    assert '@pytest.mark.bitmart_error(50021, message_args=("BTC_USDT",))' in section


def test_the_marker_lines_shown_for_placeholder_codes_run(pytester: pytest.Pytester):
    # A reader copies the marker line from the page: with message_args it must serve a filled message.
    hooks = load_hooks()
    entries = [entry for entry in pytest_bitmart.error_codes() if entry.placeholders]
    assert entries
    tests = ["import pytest", "import requests", ""]
    for entry in entries:
        tests += [
            hooks.marker_line(entry),
            f"def test_{entry.code}():",
            '    body = requests.get("https://api-cloud.bitmart.com/spot/v1/wallet", timeout=10).json()',
            f"    assert body['code'] == {entry.code}",
            "    assert '%' not in body['message']",
            "",
        ]
    pytester.makepyfile(test_markers="\n".join(tests))
    pytester.runpytest().assert_outcomes(passed=len(entries))


def test_each_entry_says_what_ccxt_and_the_sdk_do_as_recorded():
    hooks = load_hooks()
    recorded = hooks.client_errors()
    pages = hooks.codes_pages()
    section = _section(pages["codes/spot.md"], 50020)
    assert f"ccxt {recorded['ccxt']} raises `ccxt.InsufficientFunds`;\n" in section
    assert f"the official SDK {recorded['sdk']} raises `APIException` (`status_code` 400)." in section
    for entry in pytest_bitmart.error_codes():
        assert "not recorded yet" not in _section(pages[f"codes/{entry.family}.md"], entry.code)


def test_each_family_page_links_and_dates_the_documents_its_codes_come_from():
    hooks = load_hooks()
    pages = hooks.codes_pages()
    for family in pytest_bitmart.FAMILIES:
        intro = pages[f"codes/{family}.md"].split("\n## ", 1)[0]
        sources = {entry.source for entry in pytest_bitmart.error_codes(family=family)}
        for name in pytest_bitmart.SOURCES:
            document = pytest_bitmart.source_document(name)
            shown = (hooks.BITMART_PAGES.get(family, "?"), hooks.COPY_DATE)
            if name != "error-page":
                shown = (document.url or "?", document.captured or "?")
            listed = f"(index.md#source-{name})" in intro
            assert listed == (name in sources), (family, name)
            assert all(part in intro for part in shown) == listed, (family, name)


def test_a_long_signature_is_folded_one_parameter_a_line():
    hooks = load_hooks()
    short = "def f(a: int, *, b: dict[str, int] = {'x, y': 1}) -> None"
    assert hooks.fold_signature(short) == short
    long = "def codes(*, family: Family | None = None, pairs: dict[str, tuple[int, int]] = {'a, b': (1, 2)}) -> X"
    assert hooks.fold_signature(long).splitlines() == [
        "def codes(",
        "    *,",
        "    family: Family | None = None,",
        "    pairs: dict[str, tuple[int, int]] = {'a, b': (1, 2)},",
        ") -> X",
    ]


def test_output_lines_are_folded_under_their_prefix():
    hooks = load_hooks()
    line = "E       pytest_bitmart._mock.UnmatchedRequestError: " + "word " * 30
    folded = hooks.fold(line.rstrip())
    assert all(len(part) <= COLUMNS for part in folded)
    assert folded[0].startswith("E       pytest_bitmart")
    assert all(part.startswith("E           ") for part in folded[1:])
    assert " ".join(part.removeprefix("E           ") for part in folded[1:]).split() == ["word"] * (
        30 - len(folded[0].split()) + 2
    )


def test_the_overview_lists_every_global_http_failure():
    page = load_hooks().codes_pages()["codes/index.md"]
    for failure in pytest_bitmart.http_failures():
        assert f"| {failure.http_status} | `{failure.description}` |" in page


def test_the_api_page_lists_every_field_of_a_recorded_request():
    page = (DOCS / "reference" / "api.md").read_text(encoding="utf-8")
    listed = re.findall(r"^\| `(\w+)` \|", page, re.MULTILINE)
    assert listed == [field.name for field in dataclasses.fields(pytest_bitmart.BitMartRequest)]


def test_the_api_directive_refuses_a_name_that_is_not_public():
    hooks = load_hooks()
    with pytest.raises(hooks.DocsBuildError, match="not a public name"):
        hooks.api_section("_render")


# Examples are included from test files ----------------------------------------------------------------


def _blocks(path: Path):
    for fence in FENCE.finditer(path.read_text(encoding="utf-8")):
        yield fence["lang"], fence["body"]


def test_every_python_block_on_a_page_is_included_from_a_file():
    for path in written_pages():
        for lang, body in _blocks(path):
            if lang in {"python", "toml", "ini"}:
                lines = [line for line in body.strip().splitlines() if line.strip()]
                assert lines, f"{path.name}: empty {lang} block"
                assert all(SNIPPET.match(line) for line in lines), (
                    f"{path.relative_to(ROOT)} has a {lang} block written inline; include it from a file "
                    f"under tests/docs/ so it runs:\n{body}"
                )


def test_a_block_from_a_section_shows_the_files_imports_first():
    # A snippet copied from the site must run: a file whose examples share imports, constants or
    # fixtures keeps them in a `setup` section, and every block showing one of its sections starts with it.
    for path in written_pages():
        for lang, body in _blocks(path):
            if lang != "python":
                continue
            matches = [SNIPPET.match(line) for line in body.strip().splitlines() if line.strip()]
            for match in matches:
                if match is None or not match["section"] or match["section"] == "setup":
                    continue
                if "# --8<-- [start:setup]" in (ROOT / match["path"]).read_text(encoding="utf-8"):
                    first = matches[0]
                    assert first is not None
                    assert (first["path"], first["section"]) == (match["path"], "setup"), (
                        f"{path.name}: the block showing {match['path']}:{match['section']} "
                        "does not start with that file's setup section"
                    )


def test_examples_carry_no_lint_or_harness_comments():
    for path in sorted(EXAMPLES.iterdir()):
        if path.suffix not in {".py", ".toml"}:
            continue
        text = path.read_text(encoding="utf-8")
        for forbidden in ("noqa", "type: ignore", "pytester", "tests/test_docs", "docs/"):
            assert forbidden not in text, f"{path.name} shows {forbidden!r} to readers"


def test_shown_output_is_folded_by_the_build_not_included_raw():
    # Output files hold pytest's lines as printed; the build folds them to the column.
    for path in written_pages():
        for _lang, body in _blocks(path):
            for line in body.splitlines():
                match = SNIPPET.match(line.strip())
                assert match is None or not match["path"].endswith(".txt"), (
                    f"{path.name} includes {match and match['path']} raw; use <!-- bitmart-output: PATH -->"
                )
        for match in OUTPUT.finditer(path.read_text(encoding="utf-8")):
            assert (ROOT / match["path"]).is_file(), f"{path.name} shows missing {match['path']}"


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
        duration = re.fullmatch(r"(.+ in )\d+\.\d+s", line)
        if duration:
            patterns.append(re.escape(duration[1]) + r"\d+\.\d+s$")
        elif separator:
            patterns.append(f"{re.escape(separator[1])}+ {re.escape(separator[2])} {re.escape(separator[1])}+$")
        else:
            # The client library's default headers (its version, the encodings installed) vary by machine.
            parts = re.split(r"headers=\{[^}]*\}", line)
            patterns.append(r"headers=\{[^}]*\}".join(re.escape(part) for part in parts) + "$")
    return patterns


def test_the_first_example_prints_the_output_shown(pytester: pytest.Pytester):
    pytester.makepyfile(test_wallet=example("example_first.py"))
    result = pytester.runpytest("-q")
    result.assert_outcomes(passed=1)
    result.stdout.re_match_lines(_patterns("example_first_output.txt"), consecutive=True)


def test_the_home_page_examples_pass(pytester: pytest.Pytester):
    pytester.makepyfile(test_first=example("example_first.py"), test_every=example("example_every_code.py"))
    result = pytester.runpytest("-q")
    result.assert_outcomes(passed=1 + len(pytest_bitmart.error_codes()))


def test_the_summary_option_quiets_the_first_example(pytester: pytest.Pytester):
    pytester.makepyfile(test_wallet=example("example_first.py"))
    result = pytester.runpytest("-q", "--bitmart-summary=off")
    result.assert_outcomes(passed=1)
    result.stdout.re_match_lines(_patterns("example_first_quiet_output.txt"), consecutive=True)
    assert "BitMart errors" not in result.stdout.str()


def test_the_summary_ini_example_quiets_a_project(pytester: pytest.Pytester):
    inner = 'addopts = ["-p", "no:randomly"]\nasyncio_default_fixture_loop_scope = "function"\n'
    pytester.makepyprojecttoml(example("example_summary_ini.toml") + inner)
    pytester.makepyfile(test_wallet=example("example_first.py"))
    result = pytester.runpytest("-q")
    result.stdout.re_match_lines(_patterns("example_first_quiet_output.txt"), consecutive=True)


def test_ccxt_trading_an_undeclared_market_shows_the_output_shown(pytester: pytest.Pytester):
    pytest.importorskip("ccxt")
    pytester.makepyfile(test_ccxt=example("example_ccxt_markets.py"))
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.re_match_lines(_patterns("example_ccxt_markets_output.txt"))


def test_a_requests_mock_mocker_in_the_body_shows_the_output_shown(pytester: pytest.Pytester):
    pytest.importorskip("requests_mock")
    pytester.makepyfile(test_mocker=example("example_mocker.py"))
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.re_match_lines(_patterns("example_mocker_output.txt"))


def test_urllib_is_refused_with_the_output_shown(pytester: pytest.Pytester):
    pytester.makepyfile(test_urllib=example("example_urllib.py"))
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)  # reported once: the firewall's refusal is the test's failure
    result.stdout.re_match_lines(_patterns("example_urllib_output.txt"), consecutive=True)


def test_a_test_without_rules_is_refused_with_the_output_shown(pytester: pytest.Pytester):
    pytester.makepyfile(test_wallet=example("example_refused.py"))
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.re_match_lines(_patterns("example_refused_output.txt"))
    assert "BitMart requests outside any test" not in result.stdout.str()


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
    pytester.makepyfile(test_wallet=example("test_docs_getting_started.py"), wallet=example("wallet.py"))
    result = pytester.runpytest("-q", "-k", "every_documented")
    result.assert_outcomes(passed=len(pytest_bitmart.error_codes()))
    result.stdout.re_match_lines(_patterns("example_summary.txt"), consecutive=True)


def test_xdist_example_prints_the_summary_shown(pytester: pytest.Pytester):
    pytester.makepyfile(test_wallet=example("test_docs_getting_started.py"), wallet=example("wallet.py"))
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
