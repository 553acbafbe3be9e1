"""Batch evaluation: `escalation-rules evaluate-many` and `evaluate_many`.

One output line per input escalation, in input order, a result or an error record naming the
escalation; the exit status says whether any was refused; `--jobs` changes nothing but speed.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import bundled

from escalation_rules import BatchResult, evaluate, evaluate_many, read_csv, read_json_lines
from escalation_rules.cli import run

RAISED = {"type": "raised", "at": "2026-12-14T10:00:00+00:00", "agency": "school"}
ESCALATED = {"type": "escalated", "at": "2026-12-18T10:00:00+00:00"}


def lines(path: Path, records: list[Any]) -> Path:
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records),
        encoding="utf-8",
    )
    return path


def cli(*argv: str, stdin: Any = None) -> tuple[int, list[dict[str, Any]], str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err, stdin)
    return code, [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def test_one_line_per_escalation_in_order_with_errors_named(tmp_path: Path) -> None:
    source = lines(
        tmp_path / "year.jsonl",
        [
            {"id": "a1", "events": [RAISED, ESCALATED]},
            {"id": 2, "events": [ESCALATED]},
            "not json",
            "",
            {"id": "c3", "events": [RAISED], "colour": "red"},
            {"events": [RAISED]},
            {"id": "e5", "events": [RAISED]},
        ],
    )
    code, out, err = cli("evaluate-many", "newcastle", str(source), "--as-of", "2026-12-29T12:00Z")
    assert code == 1
    assert [(o["id"], "result" in o) for o in out] == [
        ("a1", True),
        (2, False),
        (None, False),
        ("c3", False),
        (None, False),
        ("e5", True),
    ]
    assert [o.get("line") for o in out] == [None, 2, 3, 5, 6, None]
    codes = [[p["code"] for p in o["error"]["problems"]] for o in out if "error" in o]
    assert codes == [["first_not_raised"], ["invalid_json"], ["unknown_field"], ["missing_id"]]
    first = out[0]["result"]
    expected = evaluate(bundled("newcastle"), [RAISED, ESCALATED], as_of="2026-12-29T12:00Z")
    assert first == expected.model_dump(mode="json")
    # Stage 2 is due 29 December (5.1.II); its line manager's talk with the opposite number,
    # 5 working days from the raise on 14 December (2.4), was due on the 21st.
    assert first["stage"]["number"] == 2 and first["overdue"] is True
    assert first["stage_deadline"].startswith("2026-12-29T17:00:00")
    assert first["deadline"].startswith("2026-12-21T17:00:00")
    assert err == "6 escalations: 2 evaluated, 4 refused\n"


def test_every_escalation_evaluated_exits_0(tmp_path: Path) -> None:
    source = lines(tmp_path / "ok.jsonl", [{"id": n, "events": [RAISED]} for n in range(3)])
    code, out, err = cli("evaluate-many", "halton", str(source))
    assert code == 0 and [o["id"] for o in out] == [0, 1, 2]
    assert err == "3 escalations: 3 evaluated, 0 refused\n"


def test_a_csv_of_flat_events(tmp_path: Path) -> None:
    source = tmp_path / "events.csv"
    source.write_text(
        "escalation_id,type,at,to_stage,dates.concern,agency\n"
        "x,raised,2026-12-14T10:00:00+00:00,,2026-12-10T09:00:00+00:00,health\n"
        "x,escalated,2026-12-18T10:00:00+00:00,2,,\n"
        "\n"
        "y,escalated,2026-12-16T10:00:00+00:00,,,\n"
        "y,raised,2026-12-15T10:00:00+00:00,,,\n"
        "z,raised,not a time,,,\n",
        encoding="utf-8",
    )
    code, out, _ = cli("evaluate-many", "newcastle", str(source))
    assert code == 1
    assert [o["id"] for o in out] == ["x", "y", "z"]
    x = out[0]["result"]
    assert x["stage"]["number"] == 2
    assert x["responsible_role"]["title"].startswith("First line manager")  # health, 5.1.II
    assert out[1]["result"]["stage"]["number"] == 2  # rows of one escalation in any order
    assert out[2]["line"] == 7
    assert [p["code"] for p in out[2]["error"]["problems"]] == ["time_format"]


def test_a_csv_without_the_id_column_is_one_error_record(tmp_path: Path) -> None:
    source = tmp_path / "events.csv"
    source.write_text("id,type,at\n1,raised,2026-12-14T10:00:00+00:00\n", encoding="utf-8")
    code, out, _ = cli("evaluate-many", "newcastle", str(source))
    assert code == 1
    assert [p["code"] for p in out[0]["error"]["problems"]] == ["missing_id_column"]


def test_jobs_keep_the_order_and_the_answers(tmp_path: Path) -> None:
    records: list[Any] = []
    for n in range(700):
        events: list[Any] = [RAISED, ESCALATED][: 1 + n % 2]
        if n % 7 == 0:
            events = [ESCALATED]  # refused
        records.append({"id": f"e{n}", "events": events})
    records[350] = '{"id": "e350", "events": ['  # not JSON: read, and refused, in a worker
    source = lines(tmp_path / "many.jsonl", records)
    one = cli("evaluate-many", "newcastle", str(source), "--as-of", "2026-12-22T12:00Z")
    two = cli("evaluate-many", "newcastle", str(source), "--as-of", "2026-12-22T12:00Z", "-j", "2")
    assert one == two
    assert [o.get("id") for o in one[1]] == [None if n == 350 else f"e{n}" for n in range(700)]
    assert one[1][350]["line"] == 351 and "error" in one[1][350]


def test_output_goes_to_a_file(tmp_path: Path) -> None:
    source = lines(tmp_path / "in.jsonl", [{"id": 1, "events": [RAISED]}])
    target = tmp_path / "out.jsonl"
    code, out, _ = cli("evaluate-many", "newcastle", str(source), "--output", str(target))
    assert code == 0 and out == []
    assert json.loads(target.read_text(encoding="utf-8"))["id"] == 1


def test_standard_input(tmp_path: Path) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(json.dumps({"id": 1, "events": [RAISED]}).encode()))
    code, out, _ = cli("evaluate-many", "newcastle", "-", stdin=stdin)
    assert code == 0 and out[0]["id"] == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--jobs", "0"], "--jobs is at least 1"),
        (["--as-of", "tomorrow"], "--as-of"),
    ],
)
def test_wrong_use_exits_2(tmp_path: Path, argv: list[str], message: str) -> None:
    source = lines(tmp_path / "in.jsonl", [{"id": 1, "events": [RAISED]}])
    code, out, err = cli("evaluate-many", "newcastle", str(source), *argv)
    assert (code, out) == (2, [])
    assert message in err


def test_a_missing_file_exits_2(tmp_path: Path) -> None:
    code, out, err = cli("evaluate-many", "newcastle", str(tmp_path / "nowhere.jsonl"))
    assert (code, out) == (2, [])
    assert "file_not_found" in err


def test_a_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    source = lines(tmp_path / "in.jsonl", [{"id": n, "events": [RAISED]} for n in range(200)])
    err = Terminal()
    assert run(["evaluate-many", "newcastle", str(source)], io.StringIO(), err) == 0
    shown = err.getvalue()
    assert "evaluating" in shown and "B/s" in shown and "200 escalations" in shown


def test_from_python_a_generator_of_results(tmp_path: Path) -> None:
    policy = bundled("newcastle")
    results = evaluate_many(
        policy, [{"id": "a", "events": [RAISED]}, ("b", [ESCALATED])], as_of="2026-12-22T12:00Z"
    )
    first, second = list(results)
    assert isinstance(first, BatchResult) and first.ok and first.id == "a"
    assert first.result == evaluate(policy, [RAISED], as_of="2026-12-22T12:00Z")
    assert not second.ok and second.problems[0].code == "first_not_raised"
    source = lines(tmp_path / "in.jsonl", [{"id": 1, "events": [RAISED]}])
    with source.open("rb") as stream:
        assert [r.ok for r in evaluate_many(policy, read_json_lines(stream), jobs=2)] == [True]
    csv_file = tmp_path / "in.csv"
    csv_file.write_text("escalation_id,type,at\n7,raised,2026-12-14T10:00:00Z\n", encoding="utf-8")
    with csv_file.open("rb") as stream:
        assert [r.id for r in evaluate_many(policy, read_csv(stream))] == ["7"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_lines_are_utf8_json_whatever_the_locale(tmp_path: Path, jobs: str) -> None:
    # In an ASCII locale, text written to standard output was once escaped as `\xe9`, which
    # no JSON reader takes: JSON Lines are UTF-8 wherever they are written.
    raised = {**RAISED, "note": "café ✓"}
    source = lines(tmp_path / "in.jsonl", [{"id": f"é{n}", "events": [raised]} for n in range(3)])
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "ascii"}
    argv = [sys.executable, "-m", "escalation_rules", "evaluate-many", "newcastle", str(source)]
    done = subprocess.run([*argv, "--jobs", jobs], capture_output=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert [o["id"] for o in out] == ["é0", "é1", "é2"]
    assert out[0]["result"]["explanation"][0]["note"] == "café ✓"
