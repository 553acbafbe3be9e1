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
