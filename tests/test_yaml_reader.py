"""The strict YAML reader, through `load_policy_text` / `load_policy` and PolicyError.

Each bad case pins the `file:line:col: code` an author would see, so that a change in where
an error points is a visible change to a test.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from support import printed, refused, replaced_once

from escalation_rules import PolicyError, load_policy, load_policy_text
from escalation_rules.policy import _yaml_reader

# A minimal valid policy. Line numbers the tests rely on:
MINIMAL = """\
id: test
title: Test partnership
document: Test procedure
roles:
  - id: practitioner
    title: Practitioner
    source: "5.1.I"
pathways:
  - id: professional_disagreement
    title: Professional disagreement
    source: "5"
    stages:
      - id: practitioner_level
        title: Practitioner to practitioner
        responsible: practitioner
        timescale: {kind: working_days, days: 5, source: "5.1.I"}
        source: "5.1.I"
"""
#  1 id   2 title   3 document   4 roles   8 pathways   13 stages   16 timescale   17 source


def edited(old: str, new: str, text: str = MINIMAL) -> str:
    return replaced_once(text, old, new)


def test_the_minimal_policy_loads() -> None:
    policy = load_policy_text(MINIMAL, "p.yaml")
    assert policy.id == "test"
    assert policy.pathways[0].stages[0].source == "5.1.I"


def test_a_problem_prints_file_line_column_code_and_message() -> None:
    error = refused(edited("title: Test partnership\n", "title: Test\ntitle: Again\n"))
    problem = error.problems[0]
    assert str(problem).startswith("p.yaml:3:1: duplicate_key: `title` is written twice")
    assert "keep only one" in problem.message
    assert (error.code, error.file, error.line, error.column) == ("duplicate_key", "p.yaml", 3, 1)
    assert problem.path == ("title",)


def test_duplicate_key_in_a_nested_mapping_points_at_the_second_key() -> None:
    text = edited("    title: Practitioner\n", "    title: Practitioner\n    title: Again\n")
    assert printed(text) == ["p.yaml:7:5: duplicate_key"]


def test_an_anchor_and_an_alias_are_both_refused() -> None:
    text = edited('    source: "5"\n', '    source: &para "5"\n') + "extra: *para\n"
    assert printed(text) == ["p.yaml:11:13: yaml_anchor", "p.yaml:18:8: yaml_alias"]


def test_an_alias_bomb_is_refused_fast_without_expanding() -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for name, below in zip("bcdefghi", "abcdefgh", strict=True):
        levels.append(f"{name}: &{name} [" + ",".join([f"*{below}"] * 9) + "]")
    bomb = "\n".join(levels) + "\n"
    assert len(bomb) < 400  # expanded, it would be 9**9 strings
    started = time.perf_counter()
    error = refused(bomb)
    assert time.perf_counter() - started < 1.0
    codes = [problem.code for problem in error.problems]
    assert codes.count("yaml_anchor") == 9
    assert codes.count("yaml_alias") == 8 * 9
    assert printed(bomb)[:3] == [
        "p.yaml:1:4: yaml_anchor",
        "p.yaml:2:4: yaml_anchor",
        "p.yaml:2:8: yaml_alias",
    ]


def test_a_python_tag_is_refused() -> None:
    text = edited("title: Test partnership", "title: !!python/object:os.system echo")
    error = refused(text)
    assert printed(text) == ["p.yaml:2:8: yaml_tag"]
    assert "!!python/object:os.system is not allowed" in error.problems[0].message


def test_a_local_tag_is_refused() -> None:
    assert printed(edited("title: Test partnership", "title: !text Test")) == [
        "p.yaml:2:8: yaml_tag"
    ]


def test_standard_tags_are_applied() -> None:
    text = edited('    source: "5"\n', "    source: !!str 5\n")
    assert load_policy_text(text).pathways[0].source == "5"


def test_a_standard_tag_that_does_not_fit_its_value_is_refused() -> None:
    text = edited("days: 5,", "days: !!int five,")
    assert printed(text) == ["p.yaml:16:47: yaml_tag"]


@pytest.mark.parametrize(
    ("word", "meant"),
    [
        ("no", "false"),
        ("on", "true"),
        ("yes", "true"),
        ("off", "false"),
        ("No", "false"),
        ("YES", "true"),
        ("Off", "false"),
    ],
)
def test_yaml_11_booleans_are_refused(word: str, meant: str) -> None:
    text = edited("title: Test partnership", f"title: {word}")
    error = refused(text)
    assert printed(text) == ["p.yaml:2:8: yaml11_boolean"]
    message = error.problems[0].message
    assert f"YAML 1.1 reads `{word}` as {meant}; write {meant}" in message
    assert f'put the word in quotes if you mean text: "{word}"' in message


def test_a_quoted_yaml_11_boolean_is_text() -> None:
    assert load_policy_text(edited("title: Test partnership", "title: 'no'")).title == "no"


def test_every_reader_problem_is_collected_and_sorted() -> None:
    text = edited("title: Test partnership", "title: yes") + "extra: *nothing\nid: again\n"
    assert printed(text) == [
        "p.yaml:2:8: yaml11_boolean",
        "p.yaml:18:8: yaml_alias",
        "p.yaml:19:1: duplicate_key",
    ]


def test_an_unquoted_date_where_text_is_meant() -> None:
    text = edited("title: Test partnership", "title: 2026-12-25")
    error = refused(text)
    assert printed(text) == ["p.yaml:2:8: not_text"]
    assert error.problems[0].message == (
        "YAML reads the unquoted value 2026-12-25 as a date, but text is meant here; put it "
        'in quotes: "2026-12-25"'
    )


def test_an_unquoted_timestamp_where_text_is_meant() -> None:
    text = edited("title: Test partnership", "title: 2026-12-25 10:00:00")
    assert printed(text) == ["p.yaml:2:8: not_text"]
    assert "as a date and time" in refused(text).problems[0].message


def test_an_unquoted_number_where_text_is_meant_is_quoted_as_written() -> None:
    text = edited('    source: "5"\n', "    source: 5.10\n")
    error = refused(text)
    assert printed(text) == ["p.yaml:11:13: not_text"]
    assert error.problems[0].message.endswith('put it in quotes: "5.10"')


def test_close_of_business_unquoted_is_five_pm_not_a_sexagesimal_number() -> None:
    policy = load_policy_text(MINIMAL + "calendar:\n  close_of_business: 17:00\n")
    assert policy.calendar.close_of_business == dt.time(17, 0)


def test_plain_dates_are_dates_and_quoted_dates_are_read_the_same() -> None:
    text = MINIMAL + "calendar:\n  closure_dates: [2026-12-29, '2026-12-30']\n"
    dates = load_policy_text(text).calendar.closure_dates
    assert dates == (dt.date(2026, 12, 29), dt.date(2026, 12, 30))


@pytest.mark.parametrize(
    ("nesting", "column"),
    [("[" * 100_000, 65), ("{a: " * 100_000, 257), ("- " * 50_000, 129)],
    ids=["flow_lists", "flow_mappings", "block_lists"],
)
def test_deep_nesting_is_refused_quickly_where_it_happens(nesting: str, column: int) -> None:
    started = time.perf_counter()
    error = refused(nesting)
    assert time.perf_counter() - started < 3.0
    assert printed(nesting) == [f"p.yaml:1:{column}: too_deep"]
    assert "nested more than 64 deep" in error.problems[0].message


def test_nesting_of_64_is_allowed_to_reach_the_model() -> None:
    text = "[" * 64 + "]" * 64
    assert printed(text) == ["p.yaml:1:1: not_a_mapping"]


def test_too_many_values_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # Reading 100,000 values with the pure-Python parser takes seconds; the guard is the
    # same at any limit.
    monkeypatch.setattr(_yaml_reader, "MAX_EVENTS", 50)
    text = "[" + "1, " * 100 + "]"  # the 51st event is the 48th value, at column 143
    assert printed(text) == ["p.yaml:1:143: too_many_values"]


def test_a_two_mebibyte_text_is_refused_before_parsing() -> None:
    text = "# " + "x" * (2 * 1024 * 1024) + "\n"
    started = time.perf_counter()
    error = refused(text)
    assert time.perf_counter() - started < 0.5
    assert [(p.code, p.line, p.column) for p in error.problems] == [("too_large", None, None)]
    assert str(error.problems[0]).startswith("p.yaml: too_large: the file is larger than 1 MiB")


def test_a_two_mebibyte_file_is_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text(MINIMAL + "# " + "x" * (2 * 1024 * 1024) + "\n", encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(big)
    assert (caught.value.code, caught.value.file, caught.value.line) == (
        "too_large",
        str(big),
        None,
    )


def test_a_second_document_is_refused_at_its_start() -> None:
    text = MINIMAL + "---\nid: other\n"
    error = refused(text)
    assert printed(text) == ["p.yaml:18:1: multiple_documents"]
    assert "one document" in error.problems[0].message


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n"])
def test_an_empty_file_is_refused(text: str) -> None:
    error = refused(text)
    assert printed(text) == ["p.yaml:1:1: empty_file"]
    assert "`id:`" in error.problems[0].message


def test_an_empty_file_on_disk_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_bytes(b"")
    with pytest.raises(PolicyError) as caught:
        load_policy(empty)
    assert str(caught.value) == (
        f"{empty}:1:1: empty_file: the file is empty; a policy starts with its fields, such as "
        "`id:`, `title:` and `document:`"
    )


def test_a_syntax_error_is_a_problem_at_its_mark_not_a_traceback() -> None:
    text = edited("title: Test partnership", "title: Test: partnership")
    error = refused(text)
    assert printed(text) == ["p.yaml:2:12: yaml_syntax"]
    assert "must be put in quotes" in error.problems[0].message


def test_problems_found_before_a_syntax_error_are_kept() -> None:
    text = "id: yes\ntitle: [unclosed\n"
    assert printed(text) == ["p.yaml:1:5: yaml11_boolean", "p.yaml:3:1: yaml_syntax"]


def test_a_tab_is_explained() -> None:
    text = edited("title: Test partnership", "title:\tTest partnership")
    assert printed(text) == ["p.yaml:2:7: yaml_syntax"]
    assert "tab" in refused(text).problems[0].message


def test_a_control_character_is_refused_where_it_is() -> None:
    text = edited("title: Test partnership", "title: Test\x07partnership")
    assert printed(text) == ["p.yaml:2:12: bad_character"]


def test_a_list_used_as_a_key_is_refused() -> None:
    text = MINIMAL + "? [a, b]\n: c\n"
    assert printed(text) == ["p.yaml:18:3: non_scalar_key"]


def test_keys_are_text_even_when_they_look_like_numbers() -> None:
    # `5: x` is the key "5": the model then names it as an unknown field, as written.
    text = MINIMAL + "5: x\n"
    error = refused(text)
    assert printed(text) == ["p.yaml:18:1: unknown_field"]
    assert error.problems[0].message.startswith("'5' is not a field of the top level")


def test_a_field_indented_further_than_the_one_above_is_explained_at_the_line_start() -> None:
    text = edited(
        '    title: Practitioner\n    source: "5.1.I"',
        '    title: Practitioner\n     source: "5.1.I"',
    )
    assert printed(text) == ["p.yaml:7:6: yaml_syntax"]
    message = refused(text).problems[0].message
    assert message == (
        "this line starts in column 6, further in than the field on the line above it (column "
        "5), which already has a value; line the fields of one mapping up in the same column, "
        "or, if this text is part of that value, put it in quotes"
    )
    assert "<block" not in message and "mapping values" not in message


def test_a_field_indented_less_than_its_mapping_is_explained_without_parser_words() -> None:
    text = edited(
        '    title: Practitioner\n    source: "5.1.I"', '    title: Practitioner\n  source: "5.1.I"'
    )
    assert printed(text) == ["p.yaml:7:3: yaml_syntax"]
    message = refused(text).problems[0].message
    assert message.startswith("this line starts in column 3, out of line with the fields above")
    assert "<block end>" not in message


def test_a_list_item_out_of_line_with_the_items_above_is_explained() -> None:
    text = edited("      - id: practitioner_level", "       - id: practitioner_level")
    text = edited("stages:\n", "stages:\n      - id: first\n        title: First\n", text)
    assert printed(text) == ["p.yaml:15:8: yaml_syntax"]
    assert "each item of a list starts with '- '" in refused(text).problems[0].message
