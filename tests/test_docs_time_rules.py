"""Every worked example of docs/time-rules.md, checked against the evaluator: a one-stage
policy with the example's timescale, raised at its start, must show its deadline."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from support import one_stage_policy, raised_at

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "time-rules.md"


def examples() -> list[tuple[str, str, str]]:
    if not GUIDE.exists():
        return []
    rows = re.findall(
        r"^\| `(\w+)`( \d+)? \| (\S+) \| (\S+) \|", GUIDE.read_text(encoding="utf-8"), re.M
    )
    return [(f"{kind}{amount}", start, deadline) for kind, amount, start, deadline in rows]


def timescale(written: str) -> str:
    kind, _, amount = written.partition(" ")
    field = {"working_days": "days", "calendar_days": "days", "hours": "hours"}.get(kind)
    extra = f", {field}: {amount}" if field else ""
    if kind == "unspecified":
        extra = ', wording: "as soon as practicable"'
    return f'{{kind: {kind}{extra}, source: "1"}}'


def test_the_guide_has_its_examples() -> None:
    if not GUIDE.exists():
        pytest.skip("docs/time-rules.md is not in this checkout")
    kinds = {written.split()[0] for written, _, _ in examples()}
    assert kinds == {
        "working_days",
        "same_working_day",
        "hours",
        "calendar_days",
        "immediately",
        "unspecified",
    }


@pytest.mark.parametrize(("written", "start", "deadline"), examples())
def test_each_worked_example(written: str, start: str, deadline: str) -> None:
    result = raised_at(one_stage_policy(timescale(written)), start)
    if deadline == "none":
        assert result.stage_deadline is None
        return
    expected = dt.datetime.fromisoformat(deadline)
    assert result.stage_deadline == expected
    assert result.stage_deadline is not None
    assert result.stage_deadline.utcoffset() == expected.utcoffset()
