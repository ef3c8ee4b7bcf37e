"""Benchmark pytest-bitmart against doing without it: ``python bench/run.py [--quick]``.

Prints the machine, then one Markdown table per measurement. Every number that matters is a ratio to a
baseline measured in the same run, interleaved with it; the medians behind it are printed too. Goals are
reported as "goal met" or "goal missed by X %", never asserted: the command exits 0 whatever it measures
(only a broken measurement prints an error row instead of numbers).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import os
import platform
import re
import sys
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling modules, however the script is started

import _per_request
import _suite_growth
import _suites
from _timing import ProcessRun, interleaved, markdown_table, median, run_process, seconds_text, spread, verdict

STARTUP_GOAL = 1.02
PER_REQUEST_GOAL = 1.2
# Goals against the floor, where one is set: the aiohttp answer path is held to aiohttp's own in-loop test
# server. The other floors skip work no mocking library can skip (matching, the library's own checks), so
# their ratios are for reading.
FLOOR_GOALS = {"aiohttp": 1.1}
SUITE_GOAL = 1.1
ARMING_GOAL = 1.1
RULE_COUNTS = (1, 10, 100, 1000)
# One round of the growth suites runs about three every-code suites' worth of tests per variant.
GROWTH_ROUNDS = 3
_PYTEST = (sys.executable, "-m", "pytest", "-p", "no:randomly")
_NO_PLUGIN = ("-p", "no:bitmart")
_SPREAD = "round ratios, middle half"


@dataclass(frozen=True)
class Settings:
    """How many repetitions each measurement takes; ``--quick`` trades precision for a run of a minute or two."""

    startup_rounds: int
    suite_rounds: int
    request_blocks: int
    requests_per_block: int
    block_seconds: float
    scaling_blocks: int
    scaling_requests: int
    engine_calls: int
    growth_up_to: int | None  # the largest suite the growth table measures; None: the whole catalog


FULL = Settings(
    startup_rounds=31,
    suite_rounds=5,
    request_blocks=7,
    requests_per_block=2000,
    block_seconds=1.0,
    scaling_blocks=5,
    scaling_requests=400,
    engine_calls=2000,
    growth_up_to=None,
)
QUICK = Settings(
    startup_rounds=4,
    suite_rounds=1,
    request_blocks=3,
    requests_per_block=200,
    block_seconds=0.1,
    scaling_blocks=3,
    scaling_requests=40,
    engine_calls=200,
    growth_up_to=50,  # the whole catalog's suite is measured by the every-code table already
)


def machine() -> str:
    """CPU, cores, OS, Python and the versions of every library a measurement touches."""
    packages = ("pytest-bitmart", "pytest", "requests", "responses", "httpx", "respx", "aiohttp")
    versions = ", ".join(f"{name} {_version(name)}" for name in packages)
    return "\n".join(
        [
            f"- Date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
            f"- CPU: {_cpu_model()}, {os.cpu_count()} cores",
            f"- OS: {platform.platform()}",
            f"- Python: {platform.python_implementation()} {platform.python_version()}",
            f"- Packages: {versions}",
        ]
    )


def _cpu_model() -> str:
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or platform.machine()
    found = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.MULTILINE)
    return found[1].strip() if found else platform.machine()


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _ratio_cells(plugin: list[float], baseline: list[float], goal: float) -> list[str]:
    """Ratio of the medians, the spread of the round-by-round ratios, the goal and the verdict."""
    ratio = median(plugin) / median(baseline)
    return [f"{ratio:.3f}x", spread(plugin, baseline), f"≤ {goal:g}x", verdict(ratio, goal)]


# 1. Start-up --------------------------------------------------------------------------------------------


# Start-up is measured twice: among every plugin installed here (the plugin against ``-p no:bitmart``), and
# with plugin autoloading off, pytest-bitmart alone against bare pytest, where nothing else hides its cost.
_ALONE = {"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
_STARTUP_PAIRS = (
    ("every installed plugin", "plugin", "no plugin"),
    ("pytest-bitmart alone", "alone", "bare"),
)


def startup(settings: Settings, work: Path) -> str:
    folder = _suites.write_startup_suite(work / "startup")
    command = (*_PYTEST, "--collect-only", "-q")
    runs = interleaved(
        {
            "plugin": lambda: _passed(run_process(command, folder)),
            "no plugin": lambda: _passed(run_process((*command, *_NO_PLUGIN), folder)),
            "alone": lambda: _passed(run_process((*command, "-p", "pytest_bitmart.plugin"), folder, _ALONE)),
            "bare": lambda: _passed(run_process(command, folder, _ALONE)),
        },
        settings.startup_rounds,
    )
    rows = []
    for loaded, with_plugin, without in _STARTUP_PAIRS:
        for label, measure in (("wall time", "seconds"), ("CPU time (user + system)", "cpu_seconds")):
            plugin, baseline = (_values(runs[name], measure) for name in (with_plugin, without))
            cells = [
                seconds_text(median(plugin)),
                seconds_text(median(baseline)),
                *_ratio_cells(plugin, baseline, STARTUP_GOAL),
            ]
            rows.append([f"`pytest --collect-only -q`, 50 tests, {loaded}: {label}", *cells])
    header = ["measurement", "with pytest-bitmart", "without", "ratio", _SPREAD, "goal", "verdict"]
    return _section(
        f"Start-up: median of {settings.startup_rounds} interleaved runs each", markdown_table(header, rows)
    )


def _values(runs: list[ProcessRun], measure: str) -> list[float]:
    return [getattr(run, measure) for run in runs]


def _passed(run: ProcessRun) -> ProcessRun:
    if run.returncode != 0:
        tail = "\n".join(run.output.splitlines()[-15:])
        raise RuntimeError(f"pytest exited with {run.returncode}:\n{tail}")
    return run


# 2. Per request -----------------------------------------------------------------------------------------


def per_request(settings: Settings) -> str:
    answer = _per_request.canned()
    server = _per_request.LoopbackServer(answer) if _suites.aiohttp_transport() else None
    try:
        compared = [_compare(pair, settings) for pair in _per_request.pairs(answer, server)]
    finally:
        if server is not None:
            server.close()
    rows = [row for row, _ in compared]
    if not _suites.aiohttp_transport():
        rows.append(["aiohttp", "", "n/a (plugin has no aiohttp transport)", "", "loopback server", "", "", "", ""])
    header = ["client", "requests/block", "plugin", "raw library", "baseline", "ratio", _SPREAD, "goal", "verdict"]
    return _section(
        f"Per request: median of {settings.request_blocks} interleaved blocks, answer {_per_request.CODE}",
        markdown_table(header, rows),
    ) + _floor_section(settings, [floor_row for _, floor_row in compared])


def _compare(pair: _per_request.Pair, settings: Settings) -> tuple[list[str], list[str]]:
    """The row against the raw library and the row against the floor, from the same interleaved blocks."""
    try:
        count = _block_size(pair, settings)
        blocks = interleaved(
            {"plugin": lambda: pair.plugin(count), "raw": lambda: pair.raw(count), "floor": lambda: pair.floor(count)},
            settings.request_blocks,
        )
    except Exception as error:  # noqa: BLE001 - one broken client must not hide the others
        failed = f"error: {error!r}"[:100]
        return [pair.name, "", failed, "", pair.baseline, "", "", "", ""], [pair.name, pair.floor_name, failed]
    plugin, raw = blocks["plugin"], blocks["raw"]
    cells = [seconds_text(median(plugin)), seconds_text(median(raw)), pair.baseline]
    row = [pair.name, str(count), *cells, *_ratio_cells(plugin, raw, PER_REQUEST_GOAL)]
    return row, _floor_row(pair, blocks)


def _block_size(pair: _per_request.Pair, settings: Settings) -> int:
    """As many requests as fit the block's time budget (a slow client gets fewer), within set bounds."""
    probe = max(pair.plugin(5), pair.raw(5), pair.floor(5))
    return max(10, min(settings.requests_per_block, int(settings.block_seconds / probe)))


# 2b. Per request against the floor --------------------------------------------------------------------------


def _floor_row(pair: _per_request.Pair, blocks: dict[str, list[float]]) -> list[str]:
    """Plugin and raw library as multiples of the cheapest in-process answer that client can get."""
    plugin, raw, floor = blocks["plugin"], blocks["raw"], blocks["floor"]
    ratio = median(plugin) / median(floor)
    goal = FLOOR_GOALS.get(pair.name)
    judged = [f"≤ {goal:g}x", verdict(ratio, goal)] if goal is not None else ["", "(for reading)"]
    return [
        pair.name,
        pair.floor_name,
        seconds_text(median(floor)),
        f"{ratio:.3f}x",
        spread(plugin, floor),
        pair.baseline,
        f"{median(raw) / median(floor):.3f}x",
        spread(raw, floor),
        *judged,
    ]


def _floor_section(settings: Settings, rows: list[list[str]]) -> str:
    header = [
        "client",
        "floor",
        "floor time",
        "plugin / floor",
        _SPREAD,
        "raw library",
        "raw library / floor",
        _SPREAD,
        "goal",
        "verdict",
    ]
    padded = [row + [""] * (len(header) - len(row)) for row in rows]  # an error row has fewer cells
    title = f"Per request against the floor, the cheapest in-process answer: the same {settings.request_blocks} blocks"
    return "\n" + _section(title, markdown_table(header, padded))


# 3 and 4. The every-code suite and its memory -----------------------------------------------------------


def suites(settings: Settings, work: Path) -> str:
    tests, clients = _suites.case_count(), len(_suites.transports())
    title = (
        f"Every-code suite: {tests} tests ({tests // clients} codes x {clients} clients: "
        f"{', '.join(_suites.transports())}), `pytest -q -p no:randomly`, median of {settings.suite_rounds} "
        "interleaved runs"
    )
    if not _suites.fixture_available():
        return _section(title, "n/a (fixture missing): the installed plugin has no bitmart_error fixture")
    variants: dict[str, Callable[[], ProcessRun]] = {}
    for name, write, options in (
        ("fixture", _suites.write_every_code_suite, ()),
        ("hand-written", _suites.write_hand_written_suite, _NO_PLUGIN),
        ("empty", _suites.write_empty_suite, _NO_PLUGIN),
    ):
        command, folder = (*_PYTEST, "-q", *options), write(work / name)
        # Untimed: collecting once writes the test module's bytecode, as any earlier run would have.
        _passed(run_process((*command, "--collect-only"), folder))
        variants[name] = lambda command=command, folder=folder: _passed(run_process(command, folder))
    runs = interleaved(variants, settings.suite_rounds, warmup=False)
    rows = []
    for label, measure in (("wall time", "seconds"), ("CPU time (user + system)", "cpu_seconds")):
        fixture, hand_written, empty = (_values(runs[name], measure) for name in variants)
        cells = [seconds_text(median(values)) for values in (fixture, hand_written, empty)]
        rows.append([label, *cells, *_ratio_cells(fixture, hand_written, SUITE_GOAL)])
        above_floor = (median(fixture) - median(empty)) / (median(hand_written) - median(empty))
        rows.append([f"{label} above the empty floor", "", "", "", f"{above_floor:.3f}x", "", "", "(for reading)"])
    memory = {name: [kib / 1024 for kib in _values(samples, "max_rss_kib")] for name, samples in runs.items()}
    memory_cells = [f"{median(memory[name]):.1f} MiB" for name in variants]
    ratio = median(memory["fixture"]) / median(memory["hand-written"])
    spread_cell = spread(memory["fixture"], memory["hand-written"])
    rows.append(["peak RSS", *memory_cells, f"{ratio:.3f}x", spread_cell, "", "(no goal)"])
    header = [
        "measurement",
        "bitmart_error fixture",
        "hand-written",
        "empty tests",
        "ratio",
        _SPREAD,
        "goal",
        "verdict",
    ]
    return _section(title, markdown_table(header, rows))


# 4b. Arming a test -----------------------------------------------------------------------------------------


def arming(settings: Settings, work: Path) -> str:
    title = (
        f"Arming: {_suites.ARMING_TESTS} empty tests with `@pytest.mark.bitmart_error(50020)` against the same "
        f"tests unmarked, plugin active in both, median of {settings.suite_rounds} interleaved runs"
    )
    variants: dict[str, Callable[[], ProcessRun]] = {}
    for name, marked in (("marked", True), ("unmarked", False)):
        command, folder = (*_PYTEST, "-q"), _suites.write_arming_suite(work / f"arming-{name}", marked=marked)
        _passed(run_process((*command, "--collect-only"), folder))  # untimed: writes the bytecode
        variants[name] = lambda command=command, folder=folder: _passed(run_process(command, folder))
    runs = interleaved(variants, settings.suite_rounds, warmup=False)
    rows = []
    for label, measure in (("wall time", "seconds"), ("CPU time (user + system)", "cpu_seconds")):
        marked, unmarked = (_values(runs[name], measure) for name in variants)
        cells = [seconds_text(median(marked)), seconds_text(median(unmarked))]
        rows.append([label, *cells, *_ratio_cells(marked, unmarked, ARMING_GOAL)])
    header = ["measurement", "marked", "unmarked", "ratio", _SPREAD, "goal", "verdict"]
    return _section(title, markdown_table(header, rows))


# 5. Scaling with the number of rules ----------------------------------------------------------------------


def scaling(settings: Settings) -> str:
    client = interleaved(
        {
            rules: lambda rules=rules: _per_request.requests_plugin(settings.scaling_requests, rules)
            for rules in RULE_COUNTS
        },
        settings.scaling_blocks,
    )
    engine = interleaved(
        {rules: lambda rules=rules: _per_request.engine_respond(settings.engine_calls, rules) for rules in RULE_COUNTS},
        settings.scaling_blocks,
    )
    client_median = {rules: median(samples) for rules, samples in client.items()}
    engine_median = {rules: median(samples) for rules, samples in engine.items()}
    rows = [
        [
            str(rules),
            seconds_text(client_median[rules]),
            f"{client_median[rules] / client_median[1]:.2f}x",
            seconds_text(engine_median[rules]),
            f"{engine_median[rules] / engine_median[1]:.2f}x",
        ]
        for rules in RULE_COUNTS
    ]
    header = ["armed rules", "one requests call", "vs 1 rule", "mock.respond() alone", "vs 1 rule"]
    return _section(
        f"Scaling: one request with N rules armed (N - 1 that do not match, the matching one last); medians of "
        f"{settings.scaling_blocks} interleaved blocks",
        markdown_table(header, rows) + "\n\n" + _growth(engine_median),
    )


def _growth(engine: dict[int, float]) -> str:
    """Linear growth costs as much per extra rule at 1000 rules as at 100; quadratic costs 10 times more."""
    low = (engine[100] - engine[1]) / 99
    high = (engine[1000] - engine[100]) / 900
    shape = f"cost per extra rule: {low * 1e9:.0f} ns between 1 and 100 rules, {high * 1e9:.0f} ns between 100 and 1000"
    if engine[1000] <= engine[1] * 1.2:
        return f"{shape}: flat, goal met"
    if high <= max(low, 0) * 2 + 20e-9:
        return f"{shape}: linear, goal met"
    return f"{shape}: grows faster than linear, goal missed"


# 6. The every-code suite's growth with the number of codes ---------------------------------------------------


def growth(settings: Settings, work: Path) -> str:
    title = (
        f"Every-code suite by number of codes (spread over the catalog's {_suite_growth.sizes()[-1]}), "
        f"x {len(_suites.transports())} clients; median of {min(settings.suite_rounds, GROWTH_ROUNDS)} "
        "interleaved runs"
    )
    if not _suites.fixture_available():
        return _section(title, "n/a (fixture missing): the installed plugin has no bitmart_error fixture")
    variants: dict[tuple[int, str], Callable[[], ProcessRun]] = {}
    for count in _suite_growth.sizes(settings.growth_up_to):
        for name, folder in _suite_growth.write(work, count).items():
            command = (*_PYTEST, "-q", *(() if name == "fixture" else _NO_PLUGIN))
            _passed(run_process((*command, "--collect-only"), folder))  # untimed: writes the bytecode
            variants[count, name] = lambda command=command, folder=folder: _passed(run_process(command, folder))
    rounds = min(settings.suite_rounds, GROWTH_ROUNDS)
    runs = interleaved(variants, rounds, warmup=False)
    wall = {key: _values(samples, "seconds") for key, samples in runs.items()}
    cpu = {key: _values(samples, "cpu_seconds") for key, samples in runs.items()}
    rows, above = [], {}
    for count in _suite_growth.sizes(settings.growth_up_to):
        tests = _suite_growth.tests(count)
        fixture, hand_written, empty = (wall[count, name] for name in _suite_growth.VARIANTS)
        above[count] = [(median(side) - median(empty)) / tests for side in (fixture, hand_written)]
        rows.append(
            [
                str(count),
                str(tests),
                seconds_text(median(fixture)),
                seconds_text(median(hand_written)),
                seconds_text(median(empty)),
                *_ratio_cells(fixture, hand_written, SUITE_GOAL),
                seconds_text(above[count][0]),
                seconds_text(above[count][1]),
                f"{above[count][0] / above[count][1]:.3f}x",
                f"{median(cpu[count, 'fixture']) / median(cpu[count, 'hand-written']):.3f}x",
            ]
        )
    header = [
        "codes",
        "tests",
        "bitmart_error fixture",
        "hand-written",
        "empty tests",
        "ratio",
        _SPREAD,
        "goal",
        "verdict",
        "fixture per test above empty",
        "hand-written per test above empty",
        "ratio per test",
        "CPU time ratio",
    ]
    return _section(title, markdown_table(header, rows) + "\n\n" + _per_test_shape(above))


def _per_test_shape(above: dict[int, list[float]]) -> str:
    """Linear growth keeps the cost per test above pytest's own the same at every size."""
    sizes = sorted(above)
    first, last = above[sizes[0]][0], above[sizes[-1]][0]
    shape = (
        f"fixture's wall time per test above the empty floor: {seconds_text(first)} at {sizes[0]} codes, "
        f"{seconds_text(last)} at {sizes[-1]} ({last / first:.2f}x)"
    )
    if last <= first * 1.2:
        return f"{shape}: linear"
    return f"{shape}: grows faster than linear"


# Output -------------------------------------------------------------------------------------------------


def _section(title: str, body: str) -> str:
    return f"### {title}\n\n{body}\n"


def _guarded(title: str, measure: Callable[[], str]) -> str:
    """Run one measurement; a failure is printed in its place so that the others still run."""
    try:
        return measure()
    except Exception:  # noqa: BLE001 - the benchmark reports, it never fails the build
        return _section(title, "error: the measurement failed\n\n```\n" + traceback.format_exc(limit=3) + "```")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few repetitions, a minute or two; numbers are rough")
    settings = QUICK if parser.parse_args(argv).quick else FULL
    print(f"## pytest-bitmart benchmark ({'quick' if settings is QUICK else 'full'})\n\n{machine()}\n", flush=True)
    with tempfile.TemporaryDirectory(prefix="bitmart-bench-") as temporary:
        work = Path(temporary)
        for title, measure in (
            ("Start-up", lambda: startup(settings, work)),
            ("Per request", lambda: per_request(settings)),
            ("Every-code suite", lambda: suites(settings, work)),
            ("Arming", lambda: arming(settings, work)),
            ("Scaling", lambda: scaling(settings)),
            ("Every-code suite by number of codes", lambda: growth(settings, work)),
        ):
            print(_guarded(title, measure), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
