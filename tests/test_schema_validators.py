"""The JSON Schema of the policy format, read by an independent validator (jsonschema): every
bundled policy passes it, and it asks nothing a strict validator or an editor would read
otherwise than the loader does."""

from __future__ import annotations

import datetime as dt
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from escalation_rules import bundled_policies, load_policy, policy_schema
from escalation_rules._json_schema import described, properties
from escalation_rules.cli._schema_text import schema_text
from escalation_rules.scenarios._schema import history_schema, scenario_schema
from escalation_rules.testing import histories


def formats(schema: Any) -> set[str]:
    if isinstance(schema, dict):
        found = {schema["format"]} if "format" in schema else set()
        return found.union(*(formats(v) for v in schema.values()))
    if isinstance(schema, list):
        return set().union(*(formats(v) for v in schema))
    return set()


def as_json(value: Any) -> Any:
    """A YAML document as the JSON an editor's validator sees (dates as ISO text)."""
    return json.loads(json.dumps(value, default=lambda v: v.isoformat()))


@pytest.mark.parametrize("name", bundled_policies())
def test_every_bundled_policy_passes_the_schema(name: str) -> None:
    text = resources.files("escalation_rules").joinpath("policies", f"{name}.yaml").read_text()
    document = as_json(yaml.safe_load(text))
    validator = jsonschema.Draft202012Validator(
        policy_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    assert [error.message for error in validator.iter_errors(document)] == []


def test_close_of_business_is_hours_and_minutes_not_an_rfc3339_time() -> None:
    # "format": "time" is a time with seconds and an offset; "17:00" is not one.
    assert formats(policy_schema()) == {"date"}
    spec = policy_schema()["$defs"]["CalendarSpec"]["properties"]["close_of_business"]
    validator = jsonschema.Draft202012Validator(spec)
    assert validator.is_valid("17:00") and validator.is_valid("09:30")
    assert not validator.is_valid("17:00:00") and not validator.is_valid("24:00")
    assert spec["default"] == "17:00"
    assert dt.time.fromisoformat(spec["default"]) == dt.time(17, 0)


ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("kind", ["policy", "scenario", "history"])
def test_the_committed_schemas_are_current(kind: str) -> None:
    committed = ROOT / "schema" / f"{kind}.schema.json"
    if not committed.exists():
        pytest.skip("schema/ is not in this checkout")
    assert committed.read_text(encoding="utf-8") == schema_text(kind), (
        f"schema/{kind}.schema.json is out of date: run "
        f"escalation-rules schema --for {kind} > schema/{kind}.schema.json"
    )
    assert json.loads(committed.read_text(encoding="utf-8"))["$id"].startswith("urn:")


def validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_every_scenario_file_passes_the_scenario_schema() -> None:
    files = sorted((ROOT / "tests" / "scenarios").rglob("*.yaml"))
    assert files
    check = validator(scenario_schema())
    for file in files:
        document = as_json(yaml.safe_load(file.read_text(encoding="utf-8")))
        assert [e.message for e in check.iter_errors(document)] == [], file


def test_the_example_history_passes_the_history_schema() -> None:
    example = ROOT / "examples" / "newcastle_christmas.json"
    if not example.exists():
        pytest.skip("examples/ is not in this checkout")
    check = validator(history_schema())
    assert list(check.iter_errors(json.loads(example.read_text(encoding="utf-8")))) == []
    assert not check.is_valid([{"type": "raised"}])  # `at` is required
    assert not check.is_valid([{"type": "raised", "at": "2026-12-14T10:00:00"}])  # no offset


@given(data=st.data())
def test_every_history_the_reader_takes_passes_the_history_schema(data: st.DataObject) -> None:
    policy = data.draw(st.sampled_from([load_policy(n) for n in bundled_policies()]))
    events = data.draw(histories(policy))
    assert validator(history_schema()).is_valid(events)


@pytest.mark.parametrize("kind", ["policy", "scenario", "history"])
def test_every_property_has_a_plain_english_description(kind: str) -> None:
    schema = json.loads(schema_text(kind))
    found = list(properties(schema))
    assert len(found) > 50
    undescribed = [f"{owner}.{name}" for owner, name, prop in found if not prop.get("description")]
    assert undescribed == []


def test_a_description_of_a_property_that_does_not_exist_is_refused() -> None:
    schema = {"properties": {"id": {"type": "string"}}}
    assert described(schema, {"(root).id": "The id."})["properties"]["id"]["description"]
    with pytest.raises(KeyError, match=r"\(root\)\.name"):
        described({"properties": {}}, {"(root).name": "A field that was renamed."})


def test_the_installed_package_ships_the_schemas() -> None:
    shipped = resources.files("escalation_rules").joinpath("schema")
    for kind in ("policy", "scenario", "history"):
        assert shipped.joinpath(f"{kind}.schema.json").read_text("utf-8") == schema_text(kind)


SCHEMA_LINE = re.compile(r"# yaml-language-server: \$schema=(\S+)\n")


def bundled_files() -> list[tuple[Path, str]]:
    files = [(path, "policy") for path in sorted((ROOT / "policies").glob("*.yaml"))]
    files += [(path, "scenario") for path in sorted((ROOT / "tests" / "scenarios").rglob("*.yaml"))]
    return files


def test_every_bundled_file_names_its_schema_by_a_path_that_resolves_from_where_it_is() -> None:
    files = bundled_files()
    if not files:
        pytest.skip("policies/ and tests/scenarios/ are not in this checkout")
    for path, kind in files:
        first = SCHEMA_LINE.match(path.read_text(encoding="utf-8"))
        assert first, f"{path} does not start with the yaml-language-server line"
        # An editor resolves the path from the file as opened: through the policies/ link
        # at the top of the project, or where the file really is, in the package.
        for where in {path.parent, path.resolve().parent}:
            target = where / first.group(1)
            assert target.is_file(), f"{path}: {first.group(1)} does not resolve from {where}"
            assert json.loads(target.read_text("utf-8"))["$id"].endswith(kind)
