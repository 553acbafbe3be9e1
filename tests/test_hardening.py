"""Regressions: each input that crashed, hung, gave a wrong answer or showed too much.

One test per case, named after it, through the public API or the command line. The same
cases at full size, with their time and memory bounds, are in `test_bounds.py`; the limits
themselves are listed in docs/limits.md.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import io
import json
import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from support import at, one_stage_policy

import escalation_rules.testing
from escalation_rules import (
    EscalationRulesError,
    HistoryError,
    Policy,
    PolicyError,
    Raised,
    bundled_policies,
    evaluate,
    history_from_json,
    load_policy,
    load_policy_text,
)
from escalation_rules.cli import run
from escalation_rules.scenarios import load_scenarios

R = "2026-12-14T10:00:00+00:00"
EXAMPLE = Path(__file__).parent.parent / "examples" / "newcastle_christmas.json"

SMALL = """\
id: small
title: Small partnership
document: A procedure
roles:
  - {id: worker, title: Worker, source: "1"}
pathways:
  - id: main
    title: Main
    source: "1"
    stages:
      - id: one
        title: One
        responsible: worker
        timescale: {kind: working_days, days: 5, source: "1"}
        source: "1"
"""


def cli(*argv: str, stdin: str = "") -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err, io.StringIO(stdin))
    return code, out.getvalue(), err.getvalue()


def policy_codes(text: str) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        load_policy_text(text, "p.yaml")
    return [p.code for p in caught.value.problems]


def history_codes(policy: Policy, events: Any, as_of: Any = None) -> list[str]:
    with pytest.raises(HistoryError) as caught:
        evaluate(policy, events, as_of=as_of)
    return [p.code for p in caught.value.problems]


def scenario_file(tmp_path: Path, body: str) -> Path:
    file = tmp_path / "s.yaml"
    file.write_text(body, encoding="utf-8")
    return file


def scenario_codes(file: Path) -> list[str]:
    with pytest.raises(EscalationRulesError) as caught:
        load_scenarios(file)
    return [p.code for p in caught.value.problems]  # type: ignore[attr-defined]


# -- crashes ---------------------------------------------------------------------------------


def test_a_yaml_integer_of_5000_digits_is_refused(tmp_path: Path) -> None:
    text = SMALL.replace("days: 5,", f"days: {'9' * 5000},")
    assert policy_codes(text) == ["number_too_long"]
    assert scenario_codes(
        scenario_file(tmp_path, f"note: x\nsource: '1'\nas_of: {'1' * 5000}\n")
    ) == ["number_too_long"]


def test_a_float_tag_with_400_digits_is_refused(tmp_path: Path) -> None:
    text = SMALL.replace("days: 5,", f"days: !!float {'9' * 400},")
    assert policy_codes(text) == ["number_too_long"]
    body = f"note: x\nsource: '1'\nas_of: !!float {'9' * 400}\n"
    assert scenario_codes(scenario_file(tmp_path, body)) == ["number_too_long"]


@pytest.mark.parametrize("escape", ["\\UFFFFFFFF", "\\U00110000"])
def test_an_escape_that_names_no_character_is_refused(tmp_path: Path, escape: str) -> None:
    text = SMALL.replace("title: Small partnership", f'title: "{escape}"')
    with pytest.raises(PolicyError) as caught:
        load_policy_text(text, "p.yaml")
    problem = caught.value.problems[0]
    assert (problem.code, problem.line) == ("yaml_syntax", 2)
    assert "names no Unicode character" in problem.message
    assert scenario_codes(scenario_file(tmp_path, f'note: "{escape}"\n')) == ["yaml_syntax"]


def test_a_nul_byte_in_a_policy_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy("bad\0.yaml")
    assert caught.value.code == "bad_path"
    with pytest.raises(PolicyError) as caught:
        load_policy("bad\0")
    assert caught.value.code == "unknown_policy"
    assert "\0" not in str(caught.value)
    file = scenario_file(
        tmp_path,
        "policy: \"bad\\0.yaml\"\nnote: x\nsource: '1'\nevents: [{type: raised, at: "
        "2026-12-14T10:00:00+00:00}]\nexpect: {stage: 1}\n",
    )
    code, out, _ = cli("test", str(file))
    assert code == 1 and "bad_path" in out


def test_as_of_given_as_iso_text_is_read() -> None:
    policy = load_policy("newcastle")
    events = [{"type": "raised", "at": R}]
    by_text = evaluate(policy, events, as_of="2026-12-22T12:00:00+00:00")
    by_time = evaluate(policy, events, as_of=at("2026-12-22T12:00:00+00:00"))
    assert by_text == by_time and by_text.overdue is True


@pytest.mark.parametrize(
    ("as_of", "code"),
    [
        (dt.date(2026, 12, 20), "time_type"),
        (1765706400, "time_type"),
        ("2026-12-20T10:00:00", "naive_time"),
        ("next Tuesday", "time_format"),
        (dt.datetime(2026, 12, 20, 10), "naive_time"),
    ],
)
def test_as_of_that_is_not_an_aware_time_is_refused(as_of: Any, code: str) -> None:
    assert history_codes(load_policy("newcastle"), [{"type": "raised", "at": R}], as_of) == [code]


def test_event_objects_built_without_validation_are_checked() -> None:
    policy = load_policy("newcastle")
    text_time = Raised.model_construct(at="2026-12-14T10:00:00+00:00")
    assert evaluate(policy, [text_time]).stage.number == 1
    naive = Raised.model_construct(at=dt.datetime(2026, 12, 14, 10, 0))
    assert history_codes(policy, [naive]) == ["naive_time"]
    copied = Raised(at=at(R)).model_copy(update={"at": "not a time"})
    assert history_codes(policy, [copied]) == ["time_format"]
    no_time = Raised.model_construct()
    assert history_codes(policy, [no_time]) == ["missing_field"]


def test_a_naive_time_never_depends_on_the_machine_zone() -> None:
    """A naive `at` gave 21 Dec under UTC and 22 Dec under America/Los_Angeles."""
    script = textwrap.dedent(
        """
        import datetime as dt
        from escalation_rules import Raised, evaluate, load_policy, HistoryError
        try:
            late = Raised.model_construct(at=dt.datetime(2026, 12, 14, 23))
            evaluate(load_policy("newcastle"), [late])
            print("accepted")
        except HistoryError as error:
            print(error.code)
        """
    )
    for zone in ("UTC", "America/Los_Angeles"):
        env = {**os.environ, "TZ": zone}
        done = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
        )
        assert done.stdout.strip() == "naive_time"


def nested(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize("field", ["by", "type", "note", "at"])
def test_values_nested_1000_deep_are_reported(field: str) -> None:
    event = {"type": "raised", "at": R, field: nested(1000)}
    with pytest.raises(HistoryError) as caught:
        evaluate(load_policy("newcastle"), [event])
    assert len(str(caught.value)) < 1000


# -- command line ----------------------------------------------------------------------------


def console(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """The installed console script's entry point, run as a process."""
    command = [sys.executable, "-c", "from escalation_rules.cli import main; main()", *args]
    return subprocess.run(command, capture_output=True, text=True, **kwargs)


def test_closed_standard_input_exits_2() -> None:
    done = console("evaluate", "newcastle", "-", stdin=subprocess.DEVNULL, close_fds=True)
    assert done.returncode in (0, 1)  # an empty stdin is an empty history: refused as invalid
    shell = f"{sys.executable} -c 'from escalation_rules.cli import main; main()' "
    closed = subprocess.run(
        shell + "evaluate newcastle - <&-", shell=True, capture_output=True, text=True
    )
    assert closed.returncode == 2
    assert "Traceback" not in closed.stderr and "stdin_closed" in closed.stderr


@pytest.mark.parametrize("command", ["validate policies/*.yaml", "test tests/scenarios"])
def test_a_broken_pipe_ends_quietly(command: str) -> None:
    shell = f"{sys.executable} -c 'from escalation_rules.cli import main; main()' "
    root = Path(__file__).parent.parent
    for _ in range(3):
        done = subprocess.run(
            f"{shell}{command} | head -c1 >/dev/null; echo $PIPESTATUS",
            shell=True,
            capture_output=True,
            text=True,
            cwd=root,
            executable="/bin/bash",
        )
        assert "Traceback" not in done.stderr and "Exception" not in done.stderr
        assert done.stdout.strip() in ("0", "2")


def test_closed_and_full_output_exit_2() -> None:
    shell = f"{sys.executable} -c 'from escalation_rules.cli import main; main()' "
    closed = subprocess.run(shell + "schema >&-", shell=True, capture_output=True, text=True)
    assert closed.returncode == 2 and "Traceback" not in closed.stderr
    if Path("/dev/full").exists():
        full = subprocess.run(
            shell + "schema > /dev/full", shell=True, capture_output=True, text=True
        )
        assert full.returncode == 2 and "Traceback" not in full.stderr
        assert "cannot be written" in full.stderr


def test_a_path_that_is_not_utf8_prints_on_a_strict_terminal(tmp_path: Path) -> None:
    name = os.fsencode(tmp_path) + b"/bad\xff.yaml"
    with open(name, "wb") as handle:
        handle.write((Path(__file__).parent.parent / "policies" / "halton.yaml").read_bytes())
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    done = subprocess.run(
        [sys.executable, "-c", "from escalation_rules.cli import main; main()", "validate", name],
        capture_output=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert b"bad\\udcff.yaml: valid" in done.stdout


def test_a_folder_nested_1100_deep(tmp_path: Path) -> None:
    made = [str(tmp_path)]
    try:
        for _ in range(1100):  # one at a time: pathlib's mkdir(parents=True) recurses
            made.append(os.path.join(made[-1], "d"))
            os.mkdir(made[-1])
        Path(made[-1], "s.yaml").write_text(
            "policy: newcastle\nnote: deep\nsource: '1'\n"
            "events: [{type: raised, at: 2026-12-14T10:00:00+00:00}]\nexpect: {stage: 1}\n"
        )
        code, out, _ = cli("test", made[1])
        assert (code, out.splitlines()[-1]) == (0, "1 passed, 0 failed")
    finally:  # removed here, bottom up: shutil.rmtree recurses too
        with contextlib.suppress(FileNotFoundError):
            os.remove(os.path.join(made[-1], "s.yaml"))
        for folder in reversed(made[1:]):
            with contextlib.suppress(FileNotFoundError):
                os.rmdir(folder)


# -- time and memory (small versions; full size in test_bounds.py) ---------------------------


def test_thousands_of_problems_give_a_short_report() -> None:
    import hostile

    with pytest.raises(PolicyError) as caught:
        load_policy_text(hostile.unknown_roles_policy(roles=500, stages=400), "big.yaml")
    error = caught.value
    assert sum(p.code == "unknown_role" for p in error.problems) == 400
    report = str(error)
    assert len(report) < 100_000
    assert report.splitlines()[-1].endswith("more problems, not shown")
    assert "and 492 more" in report  # a message lists a few role ids, and counts the rest


def sparse(path: Path, size: int) -> Path:
    with open(path, "wb") as handle:
        handle.truncate(size)
    return path


def test_a_3_gib_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = 3 * 1024**3
    policy = sparse(tmp_path / "huge.yaml", huge)
    with pytest.raises(PolicyError) as caught:
        load_policy(policy)
    assert caught.value.code == "too_large"
    history = sparse(tmp_path / "huge.json", huge)
    assert cli("evaluate", "newcastle", str(history))[0] == 1
    folder = tmp_path / "scenarios"
    folder.mkdir()
    sparse(folder / "huge.yaml", huge)
    code, out, _ = cli("test", str(folder))
    assert code == 1 and "too_large" in out


def test_nested_empty_lists_are_refused_before_they_are_built() -> None:
    with pytest.raises(HistoryError) as caught:
        history_from_json("[" + ",".join(["[]"] * 30_000) + "]")
    assert caught.value.code == "history_too_long"


def test_brackets_inside_strings_do_not_count() -> None:
    note = "[" * 30_000
    events = history_from_json(json.dumps([{"type": "raised", "at": R, "note": note[:2000]}] * 20))
    assert len(events) == 20


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    with pytest.raises(PolicyError) as caught:
        load_policy(fifo)
    assert caught.value.code == "not_a_file"
    code, _, err = cli("evaluate", "newcastle", str(fifo))
    assert code == 2 and "not_a_file" in err
    code, out, _ = cli("test", str(fifo))
    assert code == 1 and "not_a_file" in out


def test_an_endless_iterator_of_events_is_refused() -> None:
    def endless() -> Any:
        while True:
            yield {"type": "raised", "at": R}

    assert history_codes(load_policy("newcastle"), endless()) == ["history_too_long"]


# -- wrong or unsafe answers -----------------------------------------------------------------


def test_deadlines_outside_the_calendar_years_are_refused() -> None:
    calendar_days = one_stage_policy('{kind: calendar_days, days: 10, source: "1"}')
    assert history_codes(
        calendar_days, [{"type": "raised", "at": "2099-12-31T10:00:00+00:00"}]
    ) == ["outside_calendar"]
    assert history_codes(
        calendar_days, [{"type": "raised", "at": "1026-12-14T10:00:00+00:00"}]
    ) == ["outside_calendar"]
    newcastle = load_policy("newcastle")
    agreed = [
        {"type": "raised", "at": R},
        {"type": "escalated", "at": "2026-12-15T10:00:00+00:00"},
        {
            "type": "timescale_agreed",
            "at": "2026-12-15T11:00:00+00:00",
            "deadline": "8999-01-01T10:00:00+00:00",
        },
    ]
    assert history_codes(newcastle, agreed) == ["outside_calendar"]


def test_a_country_whose_holiday_data_stops_early() -> None:
    india = one_stage_policy(
        '{kind: working_days, days: 5, source: "1"}',
        calendar=(
            "calendar: {timezone: Asia/Kolkata, bank_holidays: {country: IN, subdivision: null}}"
        ),
    )
    assert india.working_calendar.years == (2001, 2035)
    assert evaluate(india, [{"type": "raised", "at": "2030-01-07T10:00:00+05:30"}]).deadline
    with pytest.raises(HistoryError) as caught:
        evaluate(india, [{"type": "raised", "at": "2036-01-07T10:00:00+05:30"}])
    assert caught.value.code == "outside_calendar"
    assert "2001-2035" in str(caught.value) and "holiday data for IN" in str(caught.value)
    assert load_policy("newcastle").working_calendar.years == (2000, 2099)


def test_working_days_past_the_last_year_are_named_as_such() -> None:
    policy = one_stage_policy('{kind: working_days, days: 5, source: "1"}')
    with pytest.raises(HistoryError) as caught:
        evaluate(policy, [{"type": "raised", "at": "2099-12-30T10:00:00+00:00"}])
    assert "working day 5 after 2099-12-30 is outside the years 2000-2099" in str(caught.value)


def test_a_bundled_name_that_is_also_a_file_here_is_ambiguous(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("newcastle").write_text("broken: [\n")
    code, _, err = cli("validate", "newcastle")
    assert code == 2 and "ambiguous_policy" in err
    code, _, err = cli("validate", "./newcastle")
    assert code == 1 and "yaml_syntax" in err
    Path("mine").write_text(SMALL)
    assert cli("validate", "mine")[0] == 0  # a plain name that is only a file here is the file


def test_load_policy_with_a_plain_name_reads_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("mine").write_text(SMALL)
    with pytest.raises(PolicyError) as caught:
        load_policy("mine")
    assert caught.value.code == "unknown_policy"


def test_a_file_that_is_not_a_policy_is_quoted_short(tmp_path: Path) -> None:
    secret = tmp_path / "passwd"
    secret.write_text(
        "".join(f"user{i}:x:{i}:{i}:secret-{i}:/home/u{i}:/bin/sh\n" for i in range(50))
    )
    with pytest.raises(PolicyError) as caught:
        load_policy(str(secret))
    message = str(caught.value)
    assert "secret-49" not in message and "secret-2" not in message
    assert len(message) < 400


def forged_history() -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    events[0]["note"] = "fine\nStatus: resolved\nOverdue: YES \x1b[2J\x1b[31mred\u202e"
    events[0]["by"] = "someone\r\nOverdue: YES"
    return events


def test_notes_cannot_forge_lines_of_the_report(tmp_path: Path) -> None:
    history = tmp_path / "h.json"
    history.write_text(json.dumps(forged_history()))
    code, out, _ = cli(
        "evaluate", "newcastle", str(history), "--as-of", "2026-12-22T12:00:00+00:00"
    )
    assert code == 0
    lines = out.splitlines()
    assert [line for line in lines if line.startswith("Status:")] == ["Status: open"]
    assert [line for line in lines if line.startswith("Overdue:")] == ["Overdue: no"]
    assert "\x1b" not in out and "\u202e" not in out and "\r" not in out
    assert "fine\\nStatus: resolved" in out and "\\x1b[2J" in out


def test_an_escape_sequence_in_a_yaml_key_is_shown_escaped(tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text(SMALL + '"\\e[2Jwipe": 1\n')
    code, _, err = cli("validate", str(policy))
    assert code == 1 and "\x1b" not in err and "\\x1b[2Jwipe" in err


def test_a_15_mib_unknown_key_is_quoted_short() -> None:
    key = "k" * (15 * 1024 * 1024)
    text = json.dumps([{"type": "raised", "at": R, key: 1}])
    with pytest.raises(HistoryError) as caught:
        history_from_json(text)
    assert caught.value.code == "unknown_field"
    assert len(str(caught.value)) < 500
    assert "15,728,640 characters in all" in str(caught.value)


def test_an_unknown_field_named_raised_is_reported_by_its_name() -> None:
    with pytest.raises(HistoryError) as caught:
        evaluate(load_policy("newcastle"), [{"type": "raised", "at": R, "raised": 1}])
    assert caught.value.code == "unknown_field"
    assert "has no field 'raised'" in str(caught.value)


def test_a_history_file_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    history = tmp_path / "h.json"
    history.write_bytes(b"\xef\xbb\xbf" + EXAMPLE.read_bytes())
    code, out, err = cli("evaluate", "newcastle", str(history), "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["pathway"] == "professional_disagreement"
    assert history_from_json(b"\xef\xbb\xbf" + EXAMPLE.read_bytes())


def test_days_010_is_refused_as_ambiguous() -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy_text(SMALL.replace("days: 5,", "days: 010,"), "p.yaml")
    assert caught.value.code == "ambiguous_number"
    assert "write 10" in str(caught.value)


def test_a_quoted_unix_time_is_not_a_closure_date() -> None:
    text = SMALL + 'calendar:\n  closure_dates: ["1767225600"]\n'
    with pytest.raises(PolicyError) as caught:
        load_policy_text(text, "p.yaml")
    assert "written like 2026-12-24" in str(caught.value)


@pytest.mark.parametrize("name", bundled_policies())
def test_policies_are_picklable_hashable_and_immutable(name: str) -> None:
    policy = load_policy(name)
    again = pickle.loads(pickle.dumps(policy))
    assert again == policy and hash(again) == hash(policy)
    assert again.digest == policy.digest
    assert copy.deepcopy(policy) == policy
    assert {policy: 1}[again] == 1
    with pytest.raises(TypeError):
        policy._roles["someone"] = policy.roles[0]  # type: ignore[index]
    with pytest.raises((TypeError, AttributeError)):
        policy.roles[0].titles["school"] = "x"  # type: ignore[index]
    events = [{"type": "raised", "at": R}]
    assert evaluate(again, events) == evaluate(policy, events)


# -- exit codes, codes, formats --------------------------------------------------------------


def test_exit_codes_0_1_2(tmp_path: Path) -> None:
    assert cli("validate", "newcastle")[0] == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [\n")
    assert cli("validate", str(bad))[0] == 1
    assert cli("validate", str(tmp_path / "missing.yaml"))[0] == 2
    assert cli("validate", "nosuchpolicy")[0] == 2
    assert cli("validate", str(tmp_path))[0] == 2
    assert cli("evaluate", "newcastle", str(EXAMPLE), "--bogus")[0] == 2
    assert cli("evaluate", "newcastle", "-", stdin="[]")[0] == 1


def test_a_naive_time_has_one_code_whatever_the_path() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError) as caught:
        Raised(at="2026-12-14T10:00:00")  # type: ignore[arg-type]
    assert caught.value.errors()[0]["type"] == "naive_time"
    policy = load_policy("newcastle")
    assert history_codes(policy, [{"type": "raised", "at": "2026-12-14T10:00:00"}]) == [
        "naive_time"
    ]
    assert history_codes(policy, [{"type": "raised", "at": R}], "2026-12-14T10:00:00") == [
        "naive_time"
    ]
    ways = escalation_rules.testing.INVALID_WAYS
    assert "naive_time" in ways


def test_errors_come_out_as_json_with_format_json(tmp_path: Path) -> None:
    code, out, err = cli("evaluate", "newcastle", "-", "--format", "json", stdin="[{}]")
    assert code == 1 and err
    problems = json.loads(out)["error"]["problems"]
    assert problems == [
        {
            "code": "missing_type",
            "message": problems[0]["message"],
            "index": 0,
            "event_id": None,
        }
    ]
    code, out, _ = cli("evaluate", "nosuch", "-", "--format", "json", stdin="[]")
    assert code == 2 and json.loads(out)["error"]["kind"] == "policy"


def test_deadlines_have_one_kind_of_zone() -> None:
    events = [
        {"type": "raised", "at": "2026-12-14T15:00:00+05:00"},
        {"type": "escalated", "at": "2026-12-15T10:00:00+00:00"},
        {
            "type": "timescale_agreed",
            "at": "2026-12-15T11:00:00+00:00",
            "deadline": "2026-12-18T15:00:00+05:00",
        },
    ]
    result = evaluate(load_policy("newcastle"), events)
    times = [result.deadline, result.stage_deadline, *(d.deadline for d in result.due)]
    times += [entry.entered_at for entry in result.timeline]
    assert {type(t.tzinfo) for t in times if t is not None} == {dt.timezone}
    assert result.stage_deadline == at("2026-12-18T10:00:00+00:00")
