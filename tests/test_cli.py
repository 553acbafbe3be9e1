"""The command line, driven through `run(argv, stdout, stderr)` and once as a real process."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from escalation_rules.cli import run

EXAMPLE = "examples/newcastle_christmas.json"


def cli(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err, io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def test_validate_every_bundled_policy() -> None:
    files = sorted(str(p) for p in Path("policies").glob("*.yaml"))
    assert files, "the policies folder holds the bundled policies"
    code, out, err = cli("validate", *files)
    assert (code, err) == (0, "")
    assert out.count(": valid (") == len(files)


def test_validate_reports_file_line_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\ntitle: T\ntitle: again\n")
    code, _out, err = cli("validate", str(bad))
    assert code == 1
    assert f"{bad}:3:1: duplicate_key:" in err


def test_evaluate_text() -> None:
    code, out, err = cli("evaluate", "newcastle", EXAMPLE, "--as-of", "2026-12-22T12:00:00+00:00")
    assert (code, err) == (0, "")
    assert (
        "Stage 2 of 5, then a final referral: Line manager or safeguarding/designated lead" in out
    )
    assert "Responsible: Designated person" in out
    assert "Stage deadline (Designated person): by Wed 30 Dec 2026 17:00 GMT" in out
    assert "Earliest deadline: by Wed 30 Dec 2026 17:00 GMT (Designated person: " in out
    assert "Overdue: no" in out


def test_evaluate_text_without_as_of_says_why_there_is_no_overdue_line() -> None:
    code, out, _ = cli("evaluate", "newcastle", EXAMPLE)
    assert code == 0
    assert "Overdue: not judged; without --as-of nothing is compared with a time" in out


def test_evaluate_json_from_stdin() -> None:
    history = Path(EXAMPLE).read_text()
    code, out, err = cli("evaluate", "newcastle", "-", "--format", "json", stdin=history)
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert result["status"] == "resolved"
    assert result["due"][0]["id"] == "refer_general_issues"
    assert result["overdue"] is None


def test_evaluate_bad_history_exit_1(tmp_path: Path) -> None:
    history = tmp_path / "h.json"
    history.write_text('[{"type": "raised", "at": "2026-12-14T10:00:00", "id": "first"}]')
    code, _out, err = cli("evaluate", "newcastle", str(history))
    assert code == 1
    assert f"{history}: event 0 (id 'first'): naive_time: 'at':" in err


def test_usage_errors_exit_2() -> None:
    assert cli()[0] == 2
    assert cli("frobnicate")[0] == 2
    assert cli("evaluate", "newcastle")[0] == 2
    code, _, err = cli("evaluate", "newcastle", EXAMPLE, "--as-of", "2026-12-22T12:00:00")
    assert code == 2 and "no time zone" in err
    assert cli("evaluate", "newcastle", EXAMPLE, "--format", "xml")[0] == 2


def test_missing_files_exit_2() -> None:
    code, _, err = cli("evaluate", "newcastle", "no/such/history.json")
    assert code == 2 and "no/such/history.json: history: file_not_found:" in err
    code, _, err = cli("evaluate", "no/such/policy.yaml", EXAMPLE)
    assert code == 2 and "no/such/policy.yaml: file_not_found:" in err


def test_help_goes_to_the_given_stream() -> None:
    code, out, _ = cli("--help")
    assert code == 0 and "validate" in out


def test_schema_is_json_schema() -> None:
    code, out, _ = cli("schema")
    schema = json.loads(out)
    assert code == 0
    assert schema["$schema"].endswith("2020-12/schema")
    assert "pathways" in schema["properties"]
    assert schema["additionalProperties"] is False


def test_the_installed_console_script_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "escalation_rules", "evaluate", "newcastle", EXAMPLE],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Status: resolved" in done.stdout


def test_the_help_of_evaluate_says_that_without_as_of_nothing_is_judged_overdue() -> None:
    for command in ("evaluate", "evaluate-many"):
        code, out, _ = cli(command, "--help")
        assert code == 0
        assert "nothing is judged overdue" in " ".join(out.split()), command
