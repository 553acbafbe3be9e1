"""Loading policies: bundled names and paths, model errors and whole-policy checks.

Every bad case pins the `file:line:col: code` an author would see and the words that tell
them what to write instead.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError
from support import printed, refused, replaced_once

from escalation_rules import (
    EscalationRulesError,
    PolicyError,
    bundled_policies,
    load_policy,
    load_policy_text,
)

# A minimal valid policy with two roles and two stages. Line numbers the tests rely on:
#  2 title  8 second role  11 pathways  16 first stage  18 responsible  20 its timescale
#  25 second stage  27 responsible  28 timescale  29 kind  31 source; pathway fields
#  appended at the end start on line 32, indented by four spaces.
MINIMAL = """\
id: test
title: Test partnership
document: Test procedure
roles:
  - id: practitioner
    title: Practitioner
    source: "5.1.I"
  - id: line_manager
    title: Line manager
    source: "5.1.II"
pathways:
  - id: professional_disagreement
    title: Professional disagreement
    source: "5"
    stages:
      - id: practitioner_level
        title: Practitioner to practitioner
        responsible: practitioner
        counterpart: practitioner
        timescale:
          kind: working_days
          days: 5
          source: "5.1.I"
        source: "5.1.I"
      - id: line_manager_level
        title: Line manager to line manager
        responsible: line_manager
        timescale:
          kind: same_working_day
          source: "5.1.II"
        source: "5.1.II"
"""

SECOND_PATHWAY = """\
  - id: practice_alert
    title: Practice alert
    source: "7"
    stages:
      - id: alert
        title: Alert
        responsible: line_manager
        timescale: {kind: immediately, source: "7"}
        source: "7"
"""

AS_DEFAULT = SECOND_PATHWAY.replace(
    "title: Practice alert\n", "title: Practice alert\n    default: true\n"
)


def edited(old: str, new: str, text: str = MINIMAL) -> str:
    return replaced_once(text, old, new)


def message(text: str) -> str:
    error = refused(text)
    assert len(error.problems) == 1, str(error)
    return error.problems[0].message


# -- the happy path ----------------------------------------------------------------------------


def test_the_minimal_policy_loads_with_its_defaults() -> None:
    policy = load_policy_text(MINIMAL)
    assert policy.default_pathway.id == "professional_disagreement"
    assert policy.calendar.close_of_business == dt.time(17, 0)
    assert [stage.id for stage in policy.pathways[0].stages] == [
        "practitioner_level",
        "line_manager_level",
    ]


def test_a_policy_file_loads_by_path_and_by_path_text(tmp_path: Path) -> None:
    file = tmp_path / "mine.yaml"
    file.write_text(MINIMAL, encoding="utf-8")
    assert load_policy(file).id == "test"
    assert load_policy(str(file)).id == "test"


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    file = tmp_path / "bom.yml"
    file.write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert load_policy(file).id == "test"


def test_bundled_policies_is_a_sorted_tuple_of_names() -> None:
    names = bundled_policies()
    assert isinstance(names, tuple)
    assert list(names) == sorted(names)
    assert all("/" not in name and not name.endswith(".yaml") for name in names)


def test_policy_error_is_the_library_error_and_a_value_error() -> None:
    error = refused("- a list\n")
    assert isinstance(error, EscalationRulesError)
    assert isinstance(error, ValueError)


# -- field errors from the model ---------------------------------------------------------------


def test_a_misspelt_field_points_at_the_key_and_suggests_the_field() -> None:
    text = edited("title: Test partnership", "titel: Test partnership")
    error = refused(text)
    assert printed(text) == ["p.yaml:1:1: missing_field", "p.yaml:2:1: unknown_field"]
    assert error.problems[1].message.startswith(
        "'titel' is not a field of the top level (did you mean 'title'?); the fields allowed "
        "there are format_version, id, title, document, version, effective_from, words, calendar"
    )
    assert error.problems[0].message == (
        "the top level needs `title`, which is missing; add `title:` with its name, as the "
        "document gives it"
    )


def test_a_misspelt_field_in_a_stage() -> None:
    text = edited("responsible: line_manager", "responsable: line_manager")
    error = refused(text)
    # A stage may name its role or offer routes instead, so the misspelt field is the error.
    assert printed(text) == ["p.yaml:27:9: unknown_field"]
    assert "(did you mean 'responsible'?)" in error.problems[0].message
    assert error.problems[0].path == ("pathways", 0, "stages", 1, "responsable")


def test_a_stage_without_its_role_or_routes() -> None:
    text = edited("        responsible: line_manager\n", "")
    assert printed(text) == ["p.yaml:25:9: missing_field"]
    assert message(text).startswith(
        "stage 'line_manager_level' needs `responsible:`, which is missing; add "
        "`responsible:` with the id of a role declared under `roles:`, or give the stage "
        "`routes:`"
    )


def test_a_field_of_another_timescale_kind_lists_the_fields_of_this_kind() -> None:
    text = edited("          days: 5\n", "          days: 5\n          hours: 3\n")
    assert printed(text) == ["p.yaml:23:11: unknown_field"]
    assert message(text).endswith(
        "the fields allowed there are counts_from, from_stage, from_date, source, kind, days"
    )


def test_a_missing_field_points_at_the_mapping_that_needs_it() -> None:
    text = edited('source: "5.1.II"\n        source: "5.1.II"\n', 'source: "5.1.II"\n')
    assert printed(text) == ["p.yaml:25:9: missing_field"]
    assert message(text) == (
        "pathways[0].stages[1] needs `source`, which is missing; add `source:` with the "
        'paragraph of the document it comes from, in quotes, such as "5.1"'
    )


def test_a_missing_field_of_a_timescale_kind() -> None:
    text = edited("          days: 5\n", "")
    assert printed(text) == ["p.yaml:21:11: missing_field"]
    assert "pathways[0].stages[0].timescale needs `days`" in message(text)


def test_a_wrong_timescale_kind_lists_the_six_kinds() -> None:
    text = edited("kind: same_working_day", "kind: same_day")
    assert printed(text) == ["p.yaml:29:11: unknown_timescale_kind"]
    assert message(text) == (
        "there is no timescale kind 'same_day' (did you mean 'same_working_day'?); write one "
        "of: working_days, hours, calendar_days, same_working_day, immediately, unspecified"
    )


def test_a_misspelt_kind_key_is_named() -> None:
    text = edited("kind: same_working_day", "knd: same_working_day")
    assert printed(text) == ["p.yaml:29:11: missing_timescale_kind"]
    assert "is this meant to be `kind`: 'knd'?" in message(text)


def test_an_unquoted_number_where_text_is_meant() -> None:
    text = edited('    source: "5"\n', "    source: 5.1\n")
    assert printed(text) == ["p.yaml:14:13: not_text"]
    assert message(text) == (
        "YAML reads the unquoted value 5.1 as a number, but text is meant here; put it in "
        'quotes: "5.1"'
    )


def test_a_quoted_number_where_a_whole_number_is_meant() -> None:
    text = edited("days: 5", 'days: "5"')
    assert printed(text) == ["p.yaml:22:17: not_whole_number"]
    assert message(text) == "write the number without quotes: 5"


def test_a_number_out_of_range() -> None:
    text = edited("days: 5", "days: 0")
    assert printed(text) == ["p.yaml:22:17: out_of_range"]
    assert message(text) == "0 is out of range here; write a number greater than or equal to 1"


def test_a_value_outside_a_fixed_list_lists_the_allowed_values() -> None:
    text = MINIMAL + '    significant_harm: {jump: sideways, source: "1.5"}\n'
    assert printed(text) == ["p.yaml:32:30: not_allowed_value"]
    assert message(text) == "'sideways' is not allowed here; write one of: none, fixed, discretion"


def test_an_id_that_is_not_an_id_gets_a_suggestion() -> None:
    text = edited("id: line_manager_level", "id: Line Manager Level")
    assert printed(text) == ["p.yaml:25:13: bad_id"]
    assert message(text).endswith("write line_manager_level")


def test_close_of_business_as_a_bare_number() -> None:
    text = MINIMAL + "calendar:\n  close_of_business: 17\n"
    assert printed(text) == ["p.yaml:33:22: bad_time"]
    assert 'write the time as HH:MM, such as "17:00"' in message(text)


def test_an_empty_list_of_stages() -> None:
    text = MINIMAL + '  - {id: empty, title: Empty, source: "7", stages: []}\n'
    assert printed(text) == ["p.yaml:32:52: too_few_items"]
    assert message(text) == "pathways[1].stages needs at least 1 item(s) in its list; add them"


def test_a_list_of_stages_that_fail_does_not_also_say_the_list_is_empty() -> None:
    text = edited("responsible: practitioner\n", "responsible: 5\n")
    assert printed(text) == ["p.yaml:18:22: not_text"]


def test_the_top_level_must_be_a_mapping() -> None:
    assert printed("- id: test\n") == ["p.yaml:1:1: not_a_mapping"]
    assert "this file holds a list" in message("- id: test\n")


def test_every_field_error_is_reported_sorted_by_position() -> None:
    text = edited("title: Test partnership", "titel: Test partnership")
    text = edited("kind: same_working_day", "kind: same_day", text)
    text = edited("days: 5", "days: five", text)
    assert printed(text) == [
        "p.yaml:1:1: missing_field",
        "p.yaml:2:1: unknown_field",
        "p.yaml:22:17: not_whole_number",
        "p.yaml:29:11: unknown_timescale_kind",
    ]


# -- whole-policy checks -----------------------------------------------------------------------


def test_a_misspelt_role_id_suggests_the_role() -> None:
    text = edited("responsible: line_manager", "responsible: line_manger")
    error = refused(text)
    assert printed(text) == ["p.yaml:27:22: unknown_role"]
    assert error.problems[0].message == (
        "there is no role 'line_manger' (did you mean 'line_manager'?); write one of the role "
        "ids declared under `roles:` (practitioner, line_manager), or declare this role there"
    )
    assert error.problems[0].path == ("pathways", 0, "stages", 1, "responsible")


def test_a_duplicate_stage_id() -> None:
    text = edited("id: line_manager_level", "id: practitioner_level")
    assert printed(text) == ["p.yaml:25:13: duplicate_id"]
    assert message(text) == (
        "the id 'practitioner_level' is already used by pathways[0].stages[0] in pathway "
        "'professional_disagreement'; give each stage (and the final referral) an id of its own"
    )


def test_a_final_referral_shares_the_stage_ids() -> None:
    text = MINIMAL + (
        "    final_referral:\n"
        "      id: line_manager_level\n"
        "      title: Partnership chair\n"
        "      responsible: line_manager\n"
        '      timescale: {kind: unspecified, wording: "as soon as practicable", source: "4"}\n'
        '      source: "4.1"\n'
    )
    assert printed(text) == ["p.yaml:33:11: duplicate_id"]


def test_a_duplicate_role_id() -> None:
    text = edited("  - id: line_manager\n", "  - id: practitioner\n")
    text = text.replace("responsible: line_manager", "responsible: practitioner")
    assert printed(text) == ["p.yaml:8:9: duplicate_id"]
    assert "give each role an id of its own" in message(text)


def test_one_pathway_needs_no_default() -> None:
    assert load_policy_text(MINIMAL).default_pathway.id == "professional_disagreement"


def test_two_default_pathways() -> None:
    text = edited('    source: "5"\n', '    source: "5"\n    default: true\n')
    text += AS_DEFAULT
    assert printed(text) == ["p.yaml:35:14: several_default_pathways"]
    assert message(text) == (
        "pathway 'practice_alert' and pathway 'professional_disagreement' both say "
        "`default: true`; only one pathway can be the default, so remove it from the other"
    )


def test_several_pathways_and_no_default() -> None:
    text = MINIMAL + SECOND_PATHWAY
    assert printed(text) == ["p.yaml:12:3: no_default_pathway"]
    assert "add `default: true`" in message(text)


def test_several_pathways_with_one_default_load() -> None:
    text = MINIMAL + AS_DEFAULT
    assert load_policy_text(text).default_pathway.id == "practice_alert"


def test_a_title_for_an_undeclared_agency_type_points_at_the_key() -> None:
    text = edited(
        "    title: Line manager\n",
        "    title: Line manager\n    titles:\n      scool: Designated safeguarding lead\n",
    )
    text += 'agency_types:\n  - {id: school, title: School, source: "2.4"}\n'
    assert printed(text) == ["p.yaml:11:7: unknown_agency_type"]
    assert "(did you mean 'school'?)" in message(text)


def test_a_fixed_jump_needs_a_stage() -> None:
    text = MINIMAL + '    significant_harm: {jump: fixed, source: "2"}\n'
    assert printed(text) == ["p.yaml:32:30: missing_stage"]
    assert message(text) == (
        "`jump: fixed` needs `to_stage:` naming a stage of pathway 'professional_disagreement'; "
        "add it, with one of practitioner_level, line_manager_level"
    )


def test_a_fixed_jump_to_an_unknown_stage() -> None:
    text = MINIMAL + '    significant_harm: {jump: fixed, to_stage: line_manager, source: "2"}\n'
    assert printed(text) == ["p.yaml:32:47: unknown_stage"]
    assert "(did you mean 'line_manager_level'?)" in message(text)


def test_a_stage_for_a_jump_that_is_not_fixed() -> None:
    text = MINIMAL + (
        '    significant_harm: {jump: none, to_stage: line_manager_level, source: "2"}\n'
    )
    assert printed(text) == ["p.yaml:32:46: unexpected_stage"]
    assert message(text) == (
        "`to_stage` is only used with `jump: fixed`; remove `to_stage`, or write `jump: fixed`"
    )


def test_skipping_to_named_stages_needs_known_stages() -> None:
    text = MINIMAL + (
        '    skipping: {allowed: to_named_stages, to_stages: [line_manager_levl], source: "3"}\n'
    )
    assert printed(text) == ["p.yaml:32:54: unknown_stage"]
    empty = MINIMAL + '    skipping: {allowed: to_named_stages, source: "3"}\n'
    assert printed(empty) == ["p.yaml:32:25: missing_stage"]
    needless = MINIMAL + (
        '    skipping: {allowed: never, to_stages: [line_manager_level], source: "3"}\n'
    )
    assert printed(needless) == ["p.yaml:32:43: unexpected_stage"]


def test_actions_name_known_stages_and_roles_and_have_their_own_ids() -> None:
    text = (
        MINIMAL
        + """\
    significant_harm:
      jump: none
      required_action:
        id: refer
        title: Refer to children's social care
        role: social_worker
        timescale: {kind: same_working_day, source: "1.5"}
        source: "1.5"
      source: "1.5"
    actions:
      - id: refer
        title: Tell the partnership
        when: reaching_stage
        timescale: {kind: working_days, days: 2, source: "6.2"}
        source: "6.2"
      - id: record
        title: Record the outcome
        when: resolved
        stage: line_manager_level
        timescale: {kind: working_days, days: 2, source: "7.2"}
        source: "7.2"
"""
    )
    assert printed(text) == [
        "p.yaml:35:13: duplicate_id",
        "p.yaml:37:15: unknown_role",
        "p.yaml:44:15: missing_stage",
        "p.yaml:50:16: unexpected_stage",
    ]


def test_every_whole_policy_finding_is_reported() -> None:
    text = edited("responsible: line_manager", "responsible: head_of_service")
    text = edited("counterpart: practitioner", "counterpart: practioner", text)
    text = edited("id: line_manager_level", "id: practitioner_level", text)
    assert printed(text) == [
        "p.yaml:19:22: unknown_role",
        "p.yaml:25:13: duplicate_id",
        "p.yaml:27:22: unknown_role",
    ]


# -- bundled names and files -------------------------------------------------------------------


def test_an_unknown_bundled_name() -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy("no_such_policy")
    error = caught.value
    assert (error.code, error.file, error.line, error.column) == (
        "unknown_policy",
        "no_such_policy",
        None,
        None,
    )
    assert str(error).startswith(
        "no_such_policy: unknown_policy: there is no bundled policy called 'no_such_policy'"
    )
    assert "give its path ending in .yaml, such as ./no_such_policy.yaml" in str(error)


def test_a_name_ending_in_yaml_is_a_path_not_a_bundled_name() -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy("no_such_policy.yaml")
    assert caught.value.code == "file_not_found"


def test_a_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    with pytest.raises(PolicyError) as caught:
        load_policy(missing)
    assert str(caught.value) == f"{missing}: file_not_found: there is no such file; check the path"


def test_a_folder_is_not_a_policy(tmp_path: Path) -> None:
    with pytest.raises(PolicyError) as caught:
        load_policy(tmp_path)
    assert (caught.value.code, caught.value.file) == ("file_unreadable", str(tmp_path))


def test_a_file_that_is_not_utf8_points_at_the_byte(tmp_path: Path) -> None:
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(MINIMAL.replace("Test partnership", "Caf\xe9 partnership").encode("latin-1"))
    with pytest.raises(PolicyError) as caught:
        load_policy(latin)
    problem = caught.value.problems[0]
    assert (problem.code, problem.line, problem.column) == ("not_utf8", 2, 11)
    assert "save it from your editor with the UTF-8 encoding" in problem.message


def test_a_bundled_policy_is_read_once_and_shared() -> None:
    first = load_policy("rutland")
    assert load_policy("rutland") is first
    with pytest.raises(ValidationError):
        first.id = "changed"  # type: ignore[misc]
