"""`lint`: the warnings a careful reviewer would give, each with its code and where it is
written, from Python and from the command line; with the document, the citations and the
numbers of days it gives."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from escalation_rules import PolicyError
from escalation_rules.authoring import CODES, lint
from escalation_rules.cli import run

# The findings are on lines 8 (the unused role's id), 16 (the unused date's id), 25 (the stage
# with neither a deadline nor an action) and 38 (the stages of the action that can never be
# triggered: dissent is allowed only at the second stage).
POLICY = """\
id: lint_test
title: Lint test
document: Test procedure
roles:
  - id: worker
    title: Worker
    source: "1.1"
  - id: auditor
    title: Auditor
    source: "1.2"
pathways:
  - id: only
    title: Only
    source: "1"
    dates:
      - id: concern
        title: When the concern arose
        source: "1.3"
    stages:
      - id: first
        title: First
        responsible: worker
        timescale: {kind: working_days, days: 5}
        source: "2.1"
      - id: second
        title: Second
        responsible: worker
        timescale: {kind: unspecified, wording: "as soon as possible"}
        source: "2.2"
    outcomes:
      - outcome: resolved_with_dissent
        at_stages: [second]
        source: "2.9"
    actions:
      - id: record_dissent
        title: Record the dissent
        when: resolved_with_dissent
        at_stages: [first]
        timescale: {kind: working_days, days: 2}
        source: "3.1"
"""

DOCUMENT = """\
1. Who is who
1.1 The worker raises the concern.
1.2 The auditor looks at it.
1.3 The date of the concern is recorded.
2. Stages
2.1 Workers talk within 5 working days.
2.2 Then managers meet as soon as possible, and within ten working days at most.
2.9 Dissent is recorded at stage two only.
3.1 A record is made within 2 days.
"""


def write(tmp_path: Path, text: str = POLICY) -> Path:
    file = tmp_path / "lint_test.yaml"
    file.write_text(text, encoding="utf-8")
    return file


def test_each_warning_has_its_code_and_where_it_is_written(tmp_path: Path) -> None:
    file = write(tmp_path)
    found = [(f.code, f.line, f.column, f.severity) for f in lint(file)]
    assert found == [
        ("role_unused", 8, 9, "warning"),
        ("date_unused", 16, 13, "warning"),
        ("stage_without_deadline_or_action", 25, 13, "warning"),
        ("action_never_triggered", 38, 20, "warning"),
    ]
    messages = {f.code: f.message for f in lint(file)}
    assert "'auditor'" in messages["role_unused"]
    assert "`counts_from: date`" in messages["date_unused"]
    assert "allow it only at second" in messages["action_never_triggered"]
    assert set(messages) <= set(CODES)


def test_with_the_document_every_source_is_checked_and_unused_numbers_listed(
    tmp_path: Path,
) -> None:
    file = write(tmp_path, POLICY.replace('source: "2.2"', 'source: "2.7"'))
    findings = lint(file, DOCUMENT, "procedure.txt")
    uncited = [f for f in findings if f.code == "source_not_in_document"]
    assert [(f.line, f.column) for f in uncited] == [(29, 17)]
    assert "'2.7' names no paragraph" in uncited[0].message
    notes = [f for f in findings if f.severity == "note"]
    # 5 working days and 2 days are timescales of the policy; ten working days is not.
    assert [(n.code, n.file, n.line) for n in notes] == [
        ("document_timespan_unused", "procedure.txt", 7)
    ]
    assert "'ten working days'" in notes[0].message


def test_a_policy_that_does_not_load_gives_its_errors_not_warnings(tmp_path: Path) -> None:
    with pytest.raises(PolicyError):
        lint(write(tmp_path, POLICY.replace("responsible: worker\n", "responsible: wrker\n", 1)))


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return run(list(argv), out, err), out.getvalue(), err.getvalue()


def test_lint_on_the_command_line(tmp_path: Path) -> None:
    file = write(tmp_path)
    document = tmp_path / "procedure.txt"
    document.write_text(DOCUMENT, encoding="utf-8")
    code, out, err = cli("lint", str(file), "--document", str(document))
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert lines[0] == (
        f"{file}:8:9: warning: role_unused: no stage, route, final referral or action names "
        "the role 'auditor'; name it where the document gives it a part, or remove it"
    )
    assert lines[-2].startswith(f"{document}:7:1: note: document_timespan_unused:")
    assert lines[-1] == "4 warning(s), 1 note(s)"
    code, out, _ = cli("lint", str(file), "--format", "json")
    assert code == 1
    assert json.loads(out)[0]["code"] == "role_unused"
    assert json.loads(out)[0]["path"] == ["roles", 1, "id"]


def test_the_starter_lints_clean(tmp_path: Path) -> None:
    assert cli("init", "north_shire", "--into", str(tmp_path))[0] == 0
    assert cli("lint", str(tmp_path / "north_shire.yaml")) == (0, "0 warning(s), 0 note(s)\n", "")


def test_an_unreadable_document_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = cli("lint", str(write(tmp_path)), "--document", str(tmp_path / "none.txt"))
    assert code == 2 and "none.txt" in err
