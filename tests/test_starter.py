"""`escalation-rules init NAME`: a starter policy and scenario file that validate and pass as
written, never written over existing files."""

from __future__ import annotations

import io
from pathlib import Path

from escalation_rules import load_policy
from escalation_rules.cli import run


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    return run(list(argv), out, err), out.getvalue(), err.getvalue()


def test_the_starter_validates_and_its_scenarios_pass(tmp_path: Path) -> None:
    code, out, _ = cli("init", "north_shire", "--into", str(tmp_path))
    assert code == 0
    policy_file = tmp_path / "north_shire.yaml"
    scenarios = tmp_path / "north_shire.scenarios.yaml"
    assert f"wrote {policy_file}" in out and f"wrote {scenarios}" in out
    assert cli("validate", str(policy_file))[0] == 0
    code, out, err = cli("test", str(scenarios))
    assert (code, err) == (0, "")
    assert out.endswith("2 passed, 0 failed\n")
    policy = load_policy(str(policy_file))
    assert policy.id == "north_shire"
    assert policy.title == "North Shire Safeguarding Children Partnership"


def test_every_field_of_the_starter_is_explained(tmp_path: Path) -> None:
    cli("init", "north_shire", "--into", str(tmp_path))
    text = (tmp_path / "north_shire.yaml").read_text(encoding="utf-8")
    comments = sum(1 for line in text.splitlines() if line.lstrip().startswith("#"))
    assert comments >= 20
    assert "docs/time-rules.md" in text and "escalation-rules validate" in text


def test_existing_files_are_never_written_over(tmp_path: Path) -> None:
    (tmp_path / "north_shire.yaml").write_text("mine", encoding="utf-8")
    code, out, err = cli("init", "north_shire", "--into", str(tmp_path))
    assert (code, out) == (2, "")
    assert "already exists; nothing was written" in err
    assert (tmp_path / "north_shire.yaml").read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "north_shire.scenarios.yaml").exists()


def test_a_name_that_is_not_an_id_is_refused(tmp_path: Path) -> None:
    code, _, err = cli("init", "North Shire", "--into", str(tmp_path))
    assert code == 2 and "is not a policy id" in err
    assert list(tmp_path.iterdir()) == []
