"""`escalation-rules init NAME`: a starter policy and scenario file that validate and pass as
written, never written over existing files."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import yaml

from escalation_rules import load_policy
from escalation_rules.cli import run
from escalation_rules.cli._schema_text import schema_text


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


def test_the_starter_files_name_the_schemas_written_beside_them(tmp_path: Path) -> None:
    code, out, _ = cli("init", "north_shire", "--into", str(tmp_path))
    assert code == 0
    for name, kind in (("north_shire.yaml", "policy"), ("north_shire.scenarios.yaml", "scenario")):
        first = (tmp_path / name).read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=schema/{kind}.schema.json"
        schema = tmp_path / "schema" / f"{kind}.schema.json"
        assert schema.read_text(encoding="utf-8") == schema_text(kind)
        assert f"wrote {schema}" in out
    document = yaml.safe_load((tmp_path / "north_shire.yaml").read_text(encoding="utf-8"))
    document["effective_from"] = document["effective_from"].isoformat()
    assert jsonschema.Draft202012Validator(json.loads(schema_text("policy"))).is_valid(document)


def test_a_second_starter_in_the_same_folder_keeps_the_schemas_there(tmp_path: Path) -> None:
    assert cli("init", "north_shire", "--into", str(tmp_path))[0] == 0
    (tmp_path / "schema" / "policy.schema.json").write_text("{}", encoding="utf-8")
    code, out, _ = cli("init", "south_shire", "--into", str(tmp_path))
    assert code == 0 and "schema.json" not in out
    assert (tmp_path / "schema" / "policy.schema.json").read_text(encoding="utf-8") == "{}"
