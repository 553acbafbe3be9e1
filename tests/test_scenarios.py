"""Every scenario under tests/scenarios/<policy>/, one pytest case each, and the runner itself.

Scenario files are the partnerships' own reading of their documents: events in, and the stage,
role and deadline a business manager worked out by hand.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from escalation_rules import bundled_policies
from escalation_rules.cli import run
from escalation_rules.scenarios import ScenarioError, load_scenarios, scenario_files

ROOT = Path(__file__).parent / "scenarios"


def _cases() -> list[pytest.ParameterSet]:
    cases = []
    for path in scenario_files(ROOT):
        for line, _scenario in load_scenarios(path).scenarios:
            name = f"{path.relative_to(ROOT)}:{line}"
            cases.append(pytest.param(path, line, id=name))
    return cases


@pytest.mark.parametrize(("path", "line"), _cases())
def test_scenario(path: Path, line: int) -> None:
    loaded = load_scenarios(path)
    scenario = dict(loaded.scenarios)[line]
    failures = scenario.check(loaded.policy_for(scenario))
    assert failures == [], f"{scenario.note} [{scenario.source}]"


@pytest.mark.parametrize("name", bundled_policies())
def test_every_bundled_policy_has_six_scenarios(name: str) -> None:
    folder = ROOT / name
    count = sum(len(load_scenarios(p).scenarios) for p in scenario_files(folder))
    assert count >= 6, f"{name} has {count} scenario(s) under {folder}"


def _cli(*argv: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue() + err.getvalue()


WRONG = """\
policy: newcastle
scenarios:
  - note: A deliberately wrong expectation
    source: "5.1.I"
    events:
      - {type: raised, at: "2026-12-14T10:00:00+00:00"}
    expect:
      stage: 2
      deadline: "2026-12-18T17:00:00+00:00"
  - note: A right one
    source: "5.1.I"
    events:
      - {type: raised, at: "2026-12-14T10:00:00+00:00"}
    expect:
      stage: 1
      deadline: "2026-12-21T17:00:00+00:00"
      next_role: line_manager
  - note: An error that does not happen
    source: "3.1.II"
    events:
      - {type: raised, at: "2026-12-14T10:00:00+00:00"}
    expect_error: skip_needs_reason
"""


def test_the_runner_reports_what_is_wrong(tmp_path: Path) -> None:
    (tmp_path / "wrong.yaml").write_text(WRONG)
    code, output = _cli("test", str(tmp_path))
    assert code == 1
    assert "stage: expected 2, got 1" in output
    assert "deadline: expected 2026-12-18T17:00:00+00:00, got 2026-12-21T17:00:00+00:00" in output
    assert "expected error skip_needs_reason, but the history was accepted" in output
    assert output.rstrip().endswith("1 passed, 2 failed")
    assert f"FAIL {tmp_path / 'wrong.yaml'}:3: A deliberately wrong expectation [5.1.I]" in output


def test_the_runner_checks_another_policy(tmp_path: Path) -> None:
    # A partnership can run its scenarios against a draft of its own policy.
    draft = Path("policies/newcastle.yaml").read_text().replace("days: 2\n", "days: 3\n")
    (tmp_path / "draft.yaml").write_text(draft)
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    (scenarios / "s.yaml").write_text(WRONG.split("  - note: An error")[0])
    code, output = _cli("test", str(scenarios), "--policy", str(tmp_path / "draft.yaml"))
    assert code == 1
    assert output.rstrip().endswith("1 passed, 1 failed")


def test_a_bad_scenario_file_names_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("policy: newcastle\nscenarios:\n  - note: x\n    source: '1'\n    events: []\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenarios(bad)
    assert "write exactly one of expect or expect_error" in str(caught.value)
    assert f"{bad}:3:" in str(caught.value)
    code, output = _cli("test", str(tmp_path))
    assert code == 1 and "0 passed, 1 failed" in output


def test_no_such_folder_is_a_usage_error() -> None:
    assert _cli("test", "no/such/folder")[0] == 2


MIXED = """\
policy: newcastle
scenarios:
  - note: Stage one, in time
    source: "5.1.I"
    events:
      - {type: raised, at: "2026-12-14T10:00:00+00:00"}
    as_of: "2026-12-15T10:00:00+00:00"
    expect:
      stage: 1
  - note: Two misspelt fields
    source: "5.1.I"
    events:
      - {type: raised, at: "2026-12-14T10:00:00+00:00"}
    expect:
      stages: 1
      due:
        - {kind: stage, ids: practitioner_to_practitioner}
  - note: The wrong item, and one item too few
    source: "5.1.I"
    events:
      - {type: raised, at: "2026-12-14T10:00:00+00:00"}
    expect:
      due:
        - {kind: stage, id: practitioner_level}
      timeline:
        - {stage: 1, deadline: "2026-12-18T17:00:00+00:00"}
  - note: No source
    events:
      - {type: raised, at: "2026-12-14T10:00:00+00:00"}
    expect: {stage: 1}
"""


def test_a_scenario_that_cannot_be_read_fails_alone_and_says_where_in_plain_words(
    tmp_path: Path,
) -> None:
    file = tmp_path / "mixed.yaml"
    file.write_text(MIXED, encoding="utf-8")
    code, output = _cli("test", str(file))
    assert code == 1
    assert output.rstrip().endswith("1 passed, 3 failed")
    assert f"PASS {file}:3: Stage one, in time [5.1.I]" in output
    assert f"FAIL {file}:10: cannot be read" in output
    assert (
        f"{file}:15:7: unknown_field: scenario 2: 'stages' is not a field of expect (did you "
        "mean 'stage'?); the fields allowed there are status, pathway, stage," in output
    )
    # Items are counted from 1, as an author counts them.
    assert (
        f"{file}:17:25: unknown_field: scenario 2: 'ids' is not a field of expect.due[1] "
        "(did you mean 'id'?)" in output
    )
    assert f"{file}:27:5: missing_field: scenario 4: the scenario needs `source`" in output
    assert "extra inputs" not in output.lower() and "scenarios.1" not in output


def test_load_scenarios_keeps_the_readable_scenarios_when_asked(tmp_path: Path) -> None:
    file = tmp_path / "mixed.yaml"
    file.write_text(MIXED, encoding="utf-8")
    with pytest.raises(ScenarioError):
        load_scenarios(file)
    loaded = load_scenarios(file, partial=True)
    assert [line for line, _ in loaded.scenarios] == [3, 18]
    assert [(line, [p.code for p in problems]) for line, problems in loaded.refused] == [
        (10, ["unknown_field", "unknown_field"]),
        (27, ["missing_field"]),
    ]


def test_a_failure_names_the_item_that_differs_and_shows_the_evaluation_beside(
    tmp_path: Path,
) -> None:
    file = tmp_path / "mixed.yaml"
    file.write_text(MIXED, encoding="utf-8")
    output = _cli("test", str(file))[1]
    failure = output[output.index(f"FAIL {file}:18:") :]
    assert failure.splitlines()[1:] == [
        "    due: expected 1 item, got 2 items (stage practitioner_to_practitioner, action "
        "keep_clear_record)",
        "    timeline item 1 (stage 1): deadline: expected 2026-12-18T17:00:00+00:00, got "
        "2026-12-21T17:00:00+00:00",
        "    expected:",
        "      due:",
        "      - {kind: stage, id: practitioner_level}",
        "      timeline:",
        "      - {stage: 1, deadline: '2026-12-18T17:00:00+00:00'}",
        "    got:",
        "      due:",
        "      - {kind: stage, id: practitioner_to_practitioner, role: practitioner, deadline: "
        "'2026-12-21T17:00:00+00:00', counted_from: '2026-12-14T10:00:00+00:00', overdue: null}",
        "      - {kind: action, id: keep_clear_record, role: practitioner, deadline: null, "
        "counted_from: null, overdue: null}",
        "      timeline:",
        "      - {stage: 1, route: null, deadline: '2026-12-21T17:00:00+00:00', met: null}",
        "FAIL " + f"{file}:27: cannot be read",
        f"    {file}:27:5: missing_field: scenario 4: the scenario needs `source`, which is "
        "missing; add `source:` with the paragraph of the document it comes from, in quotes, "
        'such as "5.1"',
        "1 passed, 3 failed",
    ]


def test_show_prints_what_every_scenario_got(tmp_path: Path) -> None:
    file = tmp_path / "mixed.yaml"
    file.write_text(MIXED.split("  - note: Two")[0], encoding="utf-8")
    code, output = _cli("test", "--show", "--quiet", str(file))
    assert code == 0
    lines = output.splitlines()
    assert lines[0] == f"PASS {file}:3: Stage one, in time [5.1.I]"
    assert lines[1:7] == [
        "    got:",
        "      status: open",
        "      pathway: professional_disagreement",
        "      stage: 1",
        "      stage_id: practitioner_to_practitioner",
        "      responsible_role: practitioner",
    ]
    assert "      warnings: [date_not_given]" in lines
    assert "      overdue: false" in lines
    assert lines[-1] == "1 passed, 0 failed"


def test_the_policy_given_to_test_is_named_as_every_command_names_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "s.yaml").write_text(MIXED.split("  - note: Two")[0], encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "newcastle").write_text("not a policy", encoding="utf-8")
    code, output = _cli("test", str(folder), "--policy", "newcastle")
    assert code == 2 and "ambiguous_policy" in output and "passed" not in output
    code, output = _cli("test", str(folder), "--policy", "no_such_policy.yaml")
    assert code == 2 and "no_such_policy.yaml" in output and "passed" not in output
    assert _cli("test", str(folder), "--policy", "./newcastle")[0] == 1  # the file, not YAML


def test_a_scenario_file_that_is_not_utf8_points_at_the_byte(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(b"policy: newcastle\nscenarios:\n  - note: caf\xe9\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenarios(bad)
    problem = caught.value.problems[0]
    assert (problem.code, problem.line, problem.column) == ("not_utf8", 3, 14)
