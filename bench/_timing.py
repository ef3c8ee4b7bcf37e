"""Measuring on a noisy machine: interleaved repetitions, medians, ratios, and one subprocess's cost.

Every number the benchmark prints is a ratio to a baseline measured in the same run, alternating with
it, so a machine that speeds up or slows down mid-run moves both sides alike.
"""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

# Variables that would change what a pytest subprocess loads or prints, whatever the shell had set; and
# PYTHONDONTWRITEBYTECODE, which would make every run compile the plugin and the test files from source
# (an installed package has its bytecode written at install time, so users never pay that).
_CLEARED_ENVIRONMENT = (
    "PYTEST_ADDOPTS",
    "PYTEST_PLUGINS",
    "PYTEST_DISABLE_PLUGIN_AUTOLOAD",
    "PYTEST_XDIST_AUTO_NUM_WORKERS",
    "PYTHONDONTWRITEBYTECODE",
)


@dataclass(frozen=True)
class ProcessRun:
    """One finished subprocess: wall and CPU time, peak resident memory of that process alone, exit code, output.

    CPU time (user + system) is what the process itself spent, so other load on a shared machine moves it
    far less than the wall time.
    """

    seconds: float
    cpu_seconds: float
    max_rss_kib: int
    returncode: int
    output: str


# Runs the measured command as its own child and reports that child's usage. Linux keeps ru_maxrss across
# fork and exec, so a command forked straight from this (by now large) benchmark process would report the
# benchmark's peak instead of its own; forked from this small launcher, it reports its own.
_LAUNCHER = """
import os, sys, time
result, command = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    try:
        os.execv(command[0], command)
    finally:
        os._exit(127)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
with open(result, "w") as file:
    file.write(f"{seconds} {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def run_process(args: Sequence[str], cwd: Path, extra_env: Mapping[str, str] | None = None) -> ProcessRun:
    """Run ``args`` (an absolute executable first) in ``cwd`` and measure it alone, launcher excluded."""
    env = {key: value for key, value in os.environ.items() if key not in _CLEARED_ENVIRONMENT}
    env.update(extra_env or {})
    with tempfile.TemporaryDirectory() as scratch:
        result, output = Path(scratch, "result"), Path(scratch, "output")
        with output.open("wb") as sink:
            launcher = (sys.executable, "-I", "-S", "-c", _LAUNCHER, str(result), *args)
            subprocess.run(launcher, cwd=cwd, stdout=sink, stderr=subprocess.STDOUT, env=env, check=True)
        seconds, cpu_seconds, max_rss_kib, returncode = result.read_text().split()
        text = output.read_text(errors="replace")
    return ProcessRun(float(seconds), float(cpu_seconds), int(max_rss_kib), int(returncode), text)


def interleaved(variants: Mapping[str, Callable[[], T]], rounds: int, *, warmup: bool = True) -> dict[str, list[T]]:
    """Run every variant once per round, reversing the order each round; an optional untimed first round.

    Alternating the order keeps "always runs second" (warm caches, a CPU that has clocked up) from
    favouring one side.
    """
    samples: dict[str, list[T]] = {name: [] for name in variants}
    order = list(variants)
    if warmup:
        for name in order:
            variants[name]()
    for round_number in range(rounds):
        for name in order if round_number % 2 == 0 else reversed(order):
            gc.collect()  # start every sample from the same heap, not the previous variant's garbage
            samples[name].append(variants[name]())
    return samples


def per_call(function: Callable[[], object], calls: int) -> float:
    """Seconds per call of ``function``, averaged over ``calls`` back-to-back calls."""
    start = time.perf_counter()
    for _ in range(calls):
        function()
    return (time.perf_counter() - start) / calls


def median(values: Sequence[float]) -> float:
    """The median, the statistic least moved by one slow outlier."""
    return statistics.median(values)


def spread(plugin: Sequence[float], baseline: Sequence[float]) -> str:
    """The middle half (quartiles) of the round-by-round ratios: how far one round's noise moves the ratio."""
    ratios = [first / second for first, second in zip(plugin, baseline, strict=True)]
    if len(ratios) < 2:
        return "n/a (one round)"
    low, _, high = statistics.quantiles(ratios, n=4)
    return f"{low:.3f} to {high:.3f}"


def verdict(ratio: float, goal: float) -> str:
    """``goal met`` or by how much it was missed, relative to the goal."""
    if ratio <= goal:
        return "goal met"
    if ratio >= 2 * goal:
        return f"goal missed by {ratio / goal:.0f} times"
    return f"goal missed by {(ratio / goal - 1) * 100:.1f} %"


def seconds_text(seconds: float) -> str:
    """A duration in the unit that keeps it readable (s, ms or µs)."""
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.1f} µs"


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table padded so that it also reads well in a terminal."""
    widths = [max(len(str(row[column])) for row in [header, *rows]) for column in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True)) + " |"

    return "\n".join([line(header), line(["-" * width for width in widths]), *(line(row) for row in rows)])
