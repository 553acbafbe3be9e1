"""The time and memory bounds of docs/limits.md, on full-size hostile inputs.

Marked `slow`: left out of the default run (README's test command), run by CI as
`python -m pytest -m slow`. Each case runs in a fresh process, which reports the seconds the
call took and its peak resident memory, so one case's memory cannot hide in another's. The
bounds: bad input is refused within 2 seconds and 200 MB; evaluation is linear in the
number of events, or n log n where they are put in order of time (10,000 events take at most
15 times as long as 1,000: 10 for linear, 13.3 for n log n, and a margin for a busy machine).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import hostile
import pytest

pytestmark = pytest.mark.slow

SECONDS = 2.0
MEGABYTES = 200
TESTS = Path(__file__).parent

MEASURE = """
import json, resource, sys, time
sys.path.insert(0, {tests!r})
import hostile
from escalation_rules import *
from escalation_rules.cli import run
import io
{setup}
start = time.perf_counter()
outcome = "returned"
try:
{call}
except EscalationRulesError as error:
    outcome = type(error).__name__ + ":" + error.problems[0].code + ":" + str(len(str(error)))
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
try:  # Linux keeps ru_maxrss across exec, so it can be the parent's; VmHWM is this process's
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024
except (OSError, StopIteration):
    pass
print(json.dumps({{"seconds": seconds, "megabytes": peak, "outcome": outcome}}))
"""


def measure(call: str, setup: str = "", cwd: Path | None = None) -> dict[str, Any]:
    script = MEASURE.format(
        tests=str(TESTS), setup=textwrap.dedent(setup), call=textwrap.indent(call.strip(), "    ")
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    print(result)
    return result


def within_bounds(result: dict[str, Any]) -> None:
    assert result["seconds"] < SECONDS, result
    assert result["megabytes"] < MEGABYTES, result


def test_a_policy_of_6000_roles_and_2900_stages_naming_unknown_roles() -> None:
    result = measure(
        "load_policy_text(text, 'big.yaml')", setup="text = hostile.unknown_roles_policy()"
    )
    within_bounds(result)
    kind, code, size = result["outcome"].split(":")
    assert (kind, code) == ("PolicyError", "no_default_pathway")
    assert int(size) < 100_000


def test_a_3_gib_yaml_in_a_scenario_folder(tmp_path: Path) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    with open(folder / "huge.yaml", "wb") as handle:
        handle.truncate(3 * 1024**3)
    result = measure(
        f"code = run(['test', {str(folder)!r}], io.StringIO(), io.StringIO())\nassert code == 1"
    )
    within_bounds(result)


def test_a_16_mib_history_of_nested_empty_lists(tmp_path: Path) -> None:
    history = tmp_path / "lists.json"
    history.write_text(hostile.nested_empty_lists(), encoding="utf-8")
    assert history.stat().st_size <= 16 * 1024 * 1024
    result = measure(
        f"code = run(['evaluate', 'newcastle', {str(history)!r}], io.StringIO(), io.StringIO())\n"
        "assert code == 1"
    )
    within_bounds(result)


def test_a_policy_of_4500_actions_and_a_history_of_4500_events() -> None:
    result = measure(
        "evaluate(policy, events)",
        setup=(
            "policy = load_policy_text(hostile.many_actions_policy(), 'big.yaml')\n"
            "events = hostile.actions_done_history()\n"
        ),
    )
    assert result["outcome"] == "returned"
    within_bounds(result)


LINEARITY = """
import sys, time
sys.path.insert(0, {tests!r})
import hostile
from escalation_rules import evaluate, load_policy

def best_of(runs, call):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)

policy = load_policy("newcastle")
small = hostile.agreed_timescales_history(1_000)
large = hostile.agreed_timescales_history(10_000)
evaluate(policy, small)  # warm up
print(best_of(3, lambda: evaluate(policy, large)) / best_of(5, lambda: evaluate(policy, small)))
"""


def test_evaluation_is_linear_in_the_number_of_events() -> None:
    # In a fresh process, as the other cases: the collector's full passes walk every object
    # the process holds, so in a test session that has built many they would be timed too.
    done = subprocess.run(
        [sys.executable, "-c", LINEARITY.format(tests=str(TESTS))],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    ratio = float(done.stdout.strip().splitlines()[-1])
    print(f"10,000 events take {ratio:.1f} times as long as 1,000")
    assert ratio <= 15


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_with_no_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    result = measure(
        f"load_policy({str(fifo)!r})\n"
        f"code = run(['evaluate', 'newcastle', {str(fifo)!r}], io.StringIO(), io.StringIO())\n"
        "assert code == 2"
    )
    within_bounds(result)


def test_an_endless_iterator_of_events() -> None:
    result = measure(
        "evaluate(load_policy('newcastle'), endless())",
        setup=(
            "def endless():\n"
            "    while True:\n"
            "        yield {'type': 'raised', 'at': '2026-12-14T10:00:00+00:00'}\n"
        ),
    )
    assert result["outcome"].startswith("HistoryError:history_too_long")
    within_bounds(result)
