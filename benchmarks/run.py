"""Every benchmark of the library, side by side with its alternative, in one run.

    python -m pip install '.[bench]' && python benchmarks/run.py [--quick]

Each benchmark times the library and its alternatives in interleaved rounds (a round of each
in turn, then again), reports the median of the rounds, and the ratio to the alternative
named as the baseline. Before timing, each checks that the alternatives give the same answers.
Seconds depend on the machine; quote the ratios.

- evaluation: 1,000 six-event Newcastle histories through `evaluate` (dict events), through
  JSON text in and the full JSON result out, and through the hand-built `transitions` +
  `workalendar` state machine of `benchmarks/state_machine.py` (dict events, and JSON);
- growth: one history of 1,000 and one of 10,000 events;
- working days: adding N working days and counting those between two dates, against
  `numpy.busday_offset` with a prebuilt `busdaycalendar` and workalendar's `UnitedKingdom`;
- batch: the `evaluate-many` command, in a fresh interpreter, on 10,000 six-event
  escalations, one job against two: whole, and less its start-up (its time on one
  escalation);
- start-up: `import escalation_rules` (which loads its names when first used), importing the
  core (`load_policy`, `evaluate`, `Evaluation`), and the first answer, against importing
  its dependencies; and `validate` of the five bundled policies; each in a fresh interpreter.

Peak memory of a batch is measured apart, by `benchmarks/batch_memory.py` (it takes minutes).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from state_machine import evaluate_by_hand

from escalation_rules import evaluate, history_from_json, load_policy

ROOT = Path(__file__).resolve().parent.parent
Row = tuple[str, float, str]  # what, median seconds per unit, the unit


def interleaved(contenders: dict[str, Callable[[], object]], rounds: int) -> dict[str, float]:
    """The median wall time of each contender over `rounds` rounds, run in turn each round."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(rounds):
        for name, run in contenders.items():
            start = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def table(title: str, medians: dict[str, float], per: int, unit: str, baseline: str) -> None:
    print(f"\n{title}; ratios against: {baseline}")
    print(f"  {'':<62}{unit + '/s':>14}{'ratio':>9}")
    base = medians[baseline]
    for name, seconds in medians.items():
        print(f"  {name:<62}{per / seconds:>14,.0f}{base / seconds:>8.2f}x")


# -- evaluation ------------------------------------------------------------------------------


def six_event_histories(count: int, seed: int) -> list[tuple[list[dict[str, Any]], dt.datetime]]:
    """`count` Newcastle histories of six events in time order, each with an as_of."""
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        at = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC) + dt.timedelta(
            days=rng.randrange(600), minutes=rng.randrange(600)
        )
        raised: dict[str, Any] = {"type": "raised", "at": at.isoformat()}
        agency = rng.choice(["school", "health", "childrens_social_care", None])
        if agency:
            raised["agency"] = agency
        if rng.random() < 0.5:
            concern = at - dt.timedelta(days=rng.randrange(8), hours=rng.randrange(12))
            raised["dates"] = {"concern": concern.isoformat()}
        events = [raised]
        stage, harmed = 1, False
        for position in range(5):
            at += dt.timedelta(minutes=rng.randrange(60, 60 * 24 * 4))
            kinds = ["escalated"] * 3 if stage < 6 else []
            kinds += ["timescale_agreed"] + ([] if harmed else ["significant_harm"])
            if position == 4 and rng.random() < 0.3:
                kinds = ["resolved", "withdrawn", "resolved_with_dissent"]
            kind = rng.choice(kinds)
            event: dict[str, Any] = {"type": kind, "at": at.isoformat()}
            if kind == "escalated":
                stage += 1
            elif kind == "timescale_agreed":
                event["deadline"] = (at + dt.timedelta(days=rng.randrange(1, 10))).isoformat()
            elif kind == "significant_harm":
                harmed = True
            events.append(event)
        as_of = at + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 10))
        out.append((events, as_of))
    return out


def check_agreement(policy: Any, cases: Sequence[tuple[list[dict[str, Any]], dt.datetime]]) -> None:
    for events, as_of in cases:
        by_hand = evaluate_by_hand(events, as_of)
        result = evaluate(policy, events, as_of=as_of)
        ours = {
            "status": result.status,
            "stage": result.stage.number,
            "responsible_role": result.responsible_role.title,
            "deadline": result.deadline,
            "overdue": result.overdue,
        }
        if ours != by_hand:
            raise SystemExit(
                f"the baseline disagrees with evaluate on {events} as of {as_of}:\n"
                f"  baseline {by_hand}\n  evaluate {ours}"
            )


def bench_evaluation(rounds: int, count: int) -> None:
    policy = load_policy("newcastle")
    cases = six_event_histories(count, seed=20261127)
    check_agreement(policy, cases)
    texts = [(json.dumps(events), as_of.isoformat()) for events, as_of in cases]

    def library() -> None:
        for events, as_of in cases:
            evaluate(policy, events, as_of=as_of)

    def library_json() -> None:
        for text, as_of in texts:
            evaluate(policy, history_from_json(text), as_of=as_of).model_dump_json()

    def baseline() -> None:
        for events, as_of in cases:
            evaluate_by_hand(events, as_of)

    def baseline_json() -> None:
        for text, as_of in texts:
            result = evaluate_by_hand(json.loads(text), dt.datetime.fromisoformat(as_of))
            json.dumps(result, default=str)

    medians = interleaved(
        {
            "evaluate, dict events": library,
            "JSON text in, evaluate, full JSON result out": library_json,
            "baseline: transitions + workalendar, dict events": baseline,
            "baseline, JSON text in and out": baseline_json,
        },
        rounds,
    )
    table(
        f"evaluation: {count:,} six-event Newcastle histories (median of {rounds} rounds)",
        medians,
        count,
        "histories",
        "baseline: transitions + workalendar, dict events",
    )


# -- working days ----------------------------------------------------------------------------


def bench_working_days(rounds: int) -> None:
    import numpy as np
    from workalendar.europe import UnitedKingdom

    calendar = load_policy("newcastle").working_calendar
    holidays = [d for d in calendar.non_working_reasons if 2025 <= d.year <= 2028]
    numpy_calendar = np.busdaycalendar(weekmask="1111100", holidays=holidays)
    workalendar = UnitedKingdom()
    rng = random.Random(20261127)
    # Enough dates that one timing lasts milliseconds, not the fraction of one that the
    # machine's jitter would swamp.
    starts = [dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(700)) for _ in range(20_000)]

    def numpy_add(day: dt.date, n: int) -> dt.date:
        # Rolled back to a working day first, so that `day` itself never counts.
        offset = np.busday_offset(day, n, roll="backward", busdaycal=numpy_calendar)
        return offset.astype(object)  # type: ignore[no-any-return]

    def numpy_offset(n: int) -> list[object]:
        # Timed without turning the answer back into a date: numpy's own cost alone.
        return [np.busday_offset(d, n, roll="backward", busdaycal=numpy_calendar) for d in starts]

    for day in starts:
        for n in (1, 5, 30):
            ours = calendar.add(day, n)
            assert ours == numpy_add(day, n) == workalendar.add_working_days(day, n), (day, n)
            end = day + dt.timedelta(days=n)
            count = np.busday_count(
                day + dt.timedelta(days=1), end + dt.timedelta(days=1), busdaycal=numpy_calendar
            )
            assert calendar.between(day, end) == count, (day, end)
    for n in (1, 5, 30):
        medians = interleaved(
            {
                f"calendar.add(day, {n})": lambda n=n: [calendar.add(d, n) for d in starts],
                f"numpy.busday_offset, per date, prebuilt busdaycalendar, N={n}": (
                    lambda n=n: numpy_offset(n)
                ),
                f"workalendar UnitedKingdom().add_working_days, N={n}": (
                    lambda n=n: [workalendar.add_working_days(d, n) for d in starts]
                ),
            },
            rounds,
        )
        table(
            f"adding {n} working days to {len(starts):,} dates",
            medians,
            len(starts),
            "dates",
            f"numpy.busday_offset, per date, prebuilt busdaycalendar, N={n}",
        )
    ends = [d + dt.timedelta(days=40) for d in starts]
    pairs = list(zip(starts, ends, strict=True))
    medians = interleaved(
        {
            "calendar.between(a, b), 40 days apart": lambda: [
                calendar.between(a, b) for a, b in pairs
            ],
            "numpy.busday_count, per pair": lambda: [
                np.busday_count(a, b, busdaycal=numpy_calendar) for a, b in pairs
            ],
        },
        rounds,
    )
    table(
        f"counting working days between {len(pairs):,} pairs of dates",
        medians,
        len(pairs),
        "pairs",
        "numpy.busday_count, per pair",
    )


# -- growth ----------------------------------------------------------------------------------


def long_history(events: int) -> list[dict[str, Any]]:
    """A Newcastle history of `events` events (odd numbers round down): a raise, then agreed
    actions, each done."""
    at = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
    history: list[dict[str, Any]] = [{"type": "raised", "at": at.isoformat()}]
    for n in range((events - 1) // 2):
        at += dt.timedelta(minutes=30)
        history.append(
            {
                "type": "action_agreed",
                "at": at.isoformat(),
                "action": f"task_{n}",
                "title": "a task",
                "deadline": (at + dt.timedelta(days=3)).isoformat(),
            }
        )
        history.append({"type": "action_done", "at": at.isoformat(), "action": f"task_{n}"})
    return history


def bench_growth(rounds: int) -> None:
    policy = load_policy("newcastle")
    thousand, ten_thousand = long_history(1_000), long_history(10_000)

    def ten_in_a_row() -> None:
        for _ in range(10):
            evaluate(policy, thousand)  # and dropped, as the single runs' results are

    # A full pass of the collector walks every object of the process, so its cost is not the
    # evaluation's and is not linear in it; a pass falls in most runs of 10,000 events and in
    # few runs of 1,000, which a median of single runs leaves out. Ten runs of 1,000 in a row
    # hold the same number of events as one of 10,000, and carry their share of the passes.
    medians = interleaved(
        {
            "one history of 1,000 events": lambda: evaluate(policy, thousand),
            "ten histories of 1,000 events, one after another": ten_in_a_row,
            "one history of 10,000 events": lambda: evaluate(policy, ten_thousand),
        },
        rounds,
    )
    ten = medians["one history of 10,000 events"]
    ratio = ten / (medians["ten histories of 1,000 events, one after another"] / 10)
    single = ten / medians["one history of 1,000 events"]
    print(
        f"\ngrowth: 10,000 events take {ratio:.1f}x the time of 1,000 (linear: 10x), each "
        f"1,000 timed as a tenth of ten in a row; {single:.1f}x against single runs of 1,000"
    )
    for name, seconds in medians.items():
        print(f"  {name:<62}{seconds * 1000:>11.1f} ms")


# -- batch -----------------------------------------------------------------------------------


def bench_batch(rounds: int, count: int) -> None:
    import tempfile

    cases = six_event_histories(count, seed=7)
    with tempfile.TemporaryDirectory() as folder:
        year, one = Path(folder) / "year.jsonl", Path(folder) / "one.jsonl"
        lines = [json.dumps({"id": n, "events": e}) + "\n" for n, (e, _) in enumerate(cases)]
        year.write_text("".join(lines), encoding="utf-8")
        one.write_text(lines[0], encoding="utf-8")

        # The command as a user runs it, each time in a fresh interpreter; the same command on
        # one escalation measures its start-up, which is taken off to give the throughput.
        def command(path: Path, jobs: int) -> Callable[[], object]:
            argv = [sys.executable, "-m", "escalation_rules", "evaluate-many", "newcastle"]
            argv += [str(path), "--as-of", "2027-12-31T12:00Z", "--jobs", str(jobs)]
            argv += ["--output", os.devnull]
            return lambda: subprocess.run(argv, check=True, capture_output=True)

        medians = interleaved(
            {
                f"evaluate-many --jobs {jobs}{'' if path is year else ', one escalation'}": (
                    command(path, jobs)
                )
                for jobs in (1, 2)
                for path in (year, one)
            },
            rounds,
        )
    whole = {name: medians[name] for name in ("evaluate-many --jobs 1", "evaluate-many --jobs 2")}
    table(
        f"batch: {count:,} six-event escalations, JSON Lines in, JSON Lines out, the whole "
        "command in a fresh interpreter",
        whole,
        count,
        "escalations",
        "evaluate-many --jobs 1",
    )
    steady = {
        f"{name}, less its start-up": medians[name] - medians[f"{name}, one escalation"]
        for name in whole
    }
    table(
        "the same, less each command's start-up (its time on one escalation)",
        steady,
        count,
        "escalations",
        "evaluate-many --jobs 1, less its start-up",
    )
    for name in whole:
        print(f"  start-up of {name}: {medians[f'{name}, one escalation'] * 1000:.0f} ms")


# -- start-up --------------------------------------------------------------------------------


def bench_startup(rounds: int) -> None:
    python = sys.executable
    policies = sorted(str(p) for p in (ROOT / "policies").glob("*.yaml"))

    def fresh(*argv: str) -> Callable[[], object]:
        return lambda: subprocess.run(argv, check=True, capture_output=True)

    medians = interleaved(
        {
            "python -c pass": fresh(python, "-c", "pass"),
            "import pydantic, yaml, holidays, dateutil": fresh(
                python, "-c", "import pydantic, yaml, holidays, dateutil.parser"
            ),
            "the same, and pydantic's BaseModel, TypeAdapter, Field": fresh(
                python,
                "-c",
                "from pydantic import BaseModel, TypeAdapter, Field; "
                "import yaml, holidays, dateutil.parser",
            ),
            "import escalation_rules": fresh(python, "-c", "import escalation_rules"),
            "from escalation_rules import load_policy, evaluate, Evaluation": fresh(
                python, "-c", "from escalation_rules import load_policy, evaluate, Evaluation"
            ),
            "the same, then load_policy('newcastle') and one evaluate": fresh(
                python,
                "-c",
                "from escalation_rules import load_policy, evaluate; "
                "evaluate(load_policy('newcastle'), "
                "[{'type': 'raised', 'at': '2026-12-01T10:00:00+00:00'}])",
            ),
            "escalation-rules validate policies/*.yaml": fresh(
                python, "-m", "escalation_rules", "validate", *policies
            ),
        },
        rounds,
    )
    bare = medians["python -c pass"]
    print("\nstart-up, each in a fresh interpreter (ratios of import times less `python -c pass`)")
    for name, seconds in medians.items():
        print(f"  {name:<62}{seconds * 1000:>11.0f} ms")
    # `import escalation_rules` loads its names when first used (PEP 562), so the import
    # that brings the core in is quoted beside it: that is what an integrator pays.
    for ours in (
        "import escalation_rules",
        "from escalation_rules import load_policy, evaluate, Evaluation",
    ):
        for name in (
            "import pydantic, yaml, holidays, dateutil",
            "the same, and pydantic's BaseModel, TypeAdapter, Field",
        ):
            ratio = (medians[ours] - bare) / (medians[name] - bare)
            print(f"  {ours} vs {name}: {ratio:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, for a smoke test")
    args = parser.parse_args()
    rounds = 3 if args.quick else 9
    bench_evaluation(rounds, 200 if args.quick else 1000)
    bench_growth(rounds)
    bench_working_days(rounds)
    bench_batch(3 if args.quick else 5, 500 if args.quick else 10_000)
    bench_startup(rounds)


if __name__ == "__main__":
    main()
