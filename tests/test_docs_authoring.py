"""docs/authoring.md: its walk-through runs as written, its excerpts of the worked example are
what the bundled policy says, and every command it names exists."""

from __future__ import annotations

import io
import json
import os
import re
import shlex
from pathlib import Path

import pytest

from escalation_rules.cli import run

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "authoring.md"


def guide() -> str:
    if not GUIDE.exists():
        pytest.skip("docs/ is not in this checkout")
    return GUIDE.read_text(encoding="utf-8")


def blocks(text: str, language: str) -> list[tuple[str, str]]:
    """Each fenced block of the language, with the paragraph just before it."""
    found = []
    for match in re.finditer(rf"```{language}\n(.*?)```", text, re.DOTALL):
        before = text[: match.start()].rstrip().rsplit("\n\n", 1)[-1]
        found.append((before, match.group(1)))
    return found


def without_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def test_the_walk_through_runs_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    walk = next(code for before, code in blocks(guide(), "sh") if "empty folder" in before)
    history = next(code for _, code in blocks(guide(), "json"))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "history.json").write_text(history, encoding="utf-8")
    assert json.loads(history)[0]["type"] == "raised"
    for line in walk.strip().splitlines():
        argv = shlex.split(line)
        assert argv[0] == "escalation-rules"
        out, err = io.StringIO(), io.StringIO()
        assert run(argv[1:], out, err) == 0, f"{line}\n{out.getvalue()}{err.getvalue()}"
    assert (tmp_path / "north_shire.html").read_text(encoding="utf-8").startswith("<!DOCTYPE")
    assert sorted(os.listdir(tmp_path / "schema")) == ["policy.schema.json", "scenario.schema.json"]


def test_every_excerpt_of_the_worked_example_is_in_it() -> None:
    excerpts = [code for before, code in blocks(guide(), "yaml") if "pan_dorset.yaml" in before]
    assert len(excerpts) >= 5
    policy = without_comments((ROOT / "policies" / "pan_dorset.yaml").read_text("utf-8"))
    for excerpt in excerpts:
        assert without_comments(excerpt).rstrip() in policy, excerpt


def test_every_command_it_names_exists() -> None:
    named = set(re.findall(r"escalation-rules ([a-z-]+)", guide()))
    for command in named:
        assert run([command, "--help"], io.StringIO(), io.StringIO()) == 0, command
    assert {"init", "validate", "lint", "show", "test", "explain"} <= named
