"""The quick paths of `evaluate` give what the plain ones give.

Two parts of evaluation have a quick path beside the plain one, for speed:
- events of a plain shape are read by hand, not by pydantic (`history._events`);
- a result's due items, timeline, actions and explanation are made when first read, and its
  sentences when first shown (`Evaluation.made_later`, `Phrase`).

Each is checked here against the plain path on generated input: every event the history
strategies make and every odd event below reads to an equal event by both readers, and a result
read field by field, dumped, compared, hashed, copied and pickled is the same whole result.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import pickle
import threading
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import TypeAdapter

from escalation_rules import Evaluation, evaluate, load_policy
from escalation_rules.history._events import _EVENT_ADAPTER, EVENT_TYPES
from escalation_rules.history._quick_reader import _read_quickly
from escalation_rules.testing import cases, histories

NEWCASTLE = load_policy("newcastle")
UTC = dt.UTC


def _plain(item: dict[str, Any]) -> Any:
    return _EVENT_ADAPTER.validate_python(dict(item))


def _same_reading(item: dict[str, Any]) -> None:
    """Where the quick reader reads an event, pydantic reads the same event from it."""
    quick = _read_quickly(item)
    if quick is None:
        return
    plain = _plain(item)
    assert quick == plain
    assert list(quick.__dict__) == list(plain.__dict__)
    assert quick.model_fields_set == plain.model_fields_set
    assert quick.model_dump_json() == plain.model_dump_json()


@pytest.mark.parametrize("name", ["newcastle", "rutland", "pan_dorset", "brighton_hove", "halton"])
@given(data=st.data())
def test_both_readers_read_every_generated_event_alike(name: str, data: st.DataObject) -> None:
    policy = load_policy(name)
    events = data.draw(histories(policy))
    for item in events:
        _same_reading(item)


_TIMES = st.one_of(
    st.sampled_from(
        [
            "2026-12-14T10:00:00+00:00",
            "2026-12-14T10:00Z",
            "2026-12-14T10:00:00.5+01:00",
            "2026-12-14T10:00:00",  # naive
            "2026-02-30T10:00:00+00:00",  # no such day
            "2026-12-14T10:00:00+24:00",  # no such offset
            "2026-12-14 10:00:00+00:00",  # a space: dateutil's to read
            "20261214T100000Z",
            "0999-12-31T23:00:00+00:00",
            "9000-01-01T00:00:00+00:00",
            "",
            "2026-12-14T10:00:00+00:00" + " " * 60,
        ]
    ),
    st.datetimes(timezones=st.sampled_from([UTC, dt.timezone(dt.timedelta(hours=5))])),
    st.datetimes(),  # naive
    st.integers(),
    st.none(),
)
_TEXTS = st.one_of(
    st.text(max_size=3), st.text(min_size=198, max_size=202), st.none(), st.booleans()
)
_ODD_EVENTS = st.fixed_dictionaries(
    {"type": st.sampled_from([*EVENT_TYPES, "nonsense"]), "at": _TIMES},
    optional={
        "id": _TEXTS,
        "by": _TEXTS,
        "note": st.one_of(_TEXTS, st.text(min_size=1999, max_size=2001)),
        "reason": _TEXTS,
        "agency": _TEXTS,
        "pathway": _TEXTS,
        "to_stage": st.one_of(st.integers(), st.booleans(), _TEXTS, st.floats()),
        "route": _TEXTS,
        "deadline": _TIMES,
        "action": _TEXTS,
        "dates": st.one_of(
            st.none(),
            st.dictionaries(st.one_of(_TEXTS.filter(lambda t: t is not None)), _TIMES, max_size=3),
            st.dictionaries(st.text(max_size=2), _TIMES, min_size=21, max_size=22),
        ),
        "extra": st.integers(),
    },
)


@given(_ODD_EVENTS)
def test_the_quick_reader_never_takes_an_event_pydantic_refuses(item: dict[str, Any]) -> None:
    """Whatever the quick reader takes, pydantic takes too, and makes the same event of."""
    _same_reading(item)


@pytest.mark.parametrize("name", ["newcastle", "rutland", "pan_dorset", "brighton_hove", "halton"])
@given(data=st.data())
def test_a_result_dumped_before_it_is_read_dumps_as_when_read(
    name: str, data: st.DataObject
) -> None:
    """Dumped straight from the fold's state, or from the models made when it is read, a
    result dumps the same, in either mode and as JSON text."""
    policy = load_policy(name)
    case = data.draw(cases(policy))
    read = evaluate(policy, case.events, as_of=case.as_of)
    assert read.explanation  # made now: it dumps from its models
    for mode in ("python", "json"):
        assert evaluate(policy, case.events, as_of=case.as_of).model_dump(mode=mode) == (
            read.model_dump(mode=mode)
        )
    text = evaluate(policy, case.events, as_of=case.as_of).model_dump_json()
    assert text == read.model_dump_json()
    assert evaluate(policy, case.events, as_of=case.as_of).model_dump(
        exclude={"explanation"}
    ) == read.model_dump(exclude={"explanation"})


def _whole(result: Evaluation) -> dict[str, Any]:
    return result.model_dump(mode="json")


RAISED = {"type": "raised", "at": "2026-12-18T10:00:00+00:00", "agency": "school", "id": "r"}
HISTORY = [
    RAISED,
    {"type": "escalated", "at": "2026-12-21T09:30:00+00:00", "by": "A lead", "note": "Why."},
    {"type": "significant_harm", "at": "2026-12-22T09:30:00+00:00"},
]
AS_OF = dt.datetime(2026, 12, 23, 12, tzinfo=UTC)


def test_a_result_read_later_is_the_result_made_whole() -> None:
    lazy = evaluate(NEWCASTLE, HISTORY, as_of=AS_OF)
    whole = evaluate(NEWCASTLE, HISTORY, as_of=AS_OF)
    dumped = _whole(whole)
    # Field by field, each of the later fields first, before anything else completes it.
    for name in ("due", "timeline", "actions", "explanation"):
        fresh = evaluate(NEWCASTLE, HISTORY, as_of=AS_OF)
        assert getattr(fresh, name) == getattr(whole, name)
        assert _whole(fresh) == dumped
    assert list(_whole(lazy)) == list(Evaluation.model_fields)
    assert evaluate(NEWCASTLE, HISTORY, as_of=AS_OF).model_dump_json() == json.dumps(
        dumped, separators=(",", ":"), ensure_ascii=False
    )
    assert evaluate(NEWCASTLE, HISTORY, as_of=AS_OF) == whole
    assert whole == evaluate(NEWCASTLE, HISTORY, as_of=AS_OF)
    assert hash(evaluate(NEWCASTLE, HISTORY, as_of=AS_OF)) == hash(whole)
    assert evaluate(NEWCASTLE, HISTORY, as_of=AS_OF) != evaluate(NEWCASTLE, HISTORY[:2])
    for made in (
        copy.copy(evaluate(NEWCASTLE, HISTORY, as_of=AS_OF)),
        copy.deepcopy(evaluate(NEWCASTLE, HISTORY, as_of=AS_OF)),
        pickle.loads(pickle.dumps(evaluate(NEWCASTLE, HISTORY, as_of=AS_OF))),
        evaluate(NEWCASTLE, HISTORY, as_of=AS_OF).model_copy(),
        Evaluation.model_validate_json(evaluate(NEWCASTLE, HISTORY, as_of=AS_OF).model_dump_json()),
    ):
        assert made == whole
        assert _whole(made) == dumped
    assert dict(evaluate(NEWCASTLE, HISTORY, as_of=AS_OF)) == dict(whole)
    assert str(evaluate(NEWCASTLE, HISTORY, as_of=AS_OF)) == str(whole)


def test_the_later_fields_hold_the_sentences_worked_out_by_hand() -> None:
    # Raised Friday 18 December 2026; 5 working days pass over Christmas Day (25th), the
    # weekend and Boxing Day's substitute (28th): Tuesday 29th. Stage 2, entered Monday 21st,
    # is due on Wednesday 30th. The action of paragraph 2.4 counts from the raise.
    result = evaluate(NEWCASTLE, HISTORY, as_of=AS_OF)
    record = "'A clear record must be kept at all stages by all parties to the disagreement.'"
    harm = "'the matter should be escalated more quickly'"
    discuss = "Discuss the disagreement with the opposite number in the other agency"
    assert [(s.event_index, s.text, s.by, s.note) for s in result.explanation] == [
        (0, "Raised on the Professional disagreement pathway.", None, None),
        (
            0,
            "Now at stage 1 (Practitioner to practitioner), held by Practitioner; due by Tue "
            "29 Dec 2026 17:00 GMT (5 working days from Fri 18 Dec 2026 10:00 GMT: close of "
            "business on the 5th working day after Fri 18 Dec 2026).",
            None,
            None,
        ),
        (
            0,
            "Required of Practitioner: Keep a clear record at all stages, by all parties to the "
            f"disagreement; no deadline is set; the document says: {record}",
            None,
            None,
        ),
        (
            1,
            "Now at stage 2 (Line manager or safeguarding/designated lead to their "
            "equivalent), held by Designated person; due by Wed 30 Dec 2026 17:00 GMT (5 "
            "working days from Mon 21 Dec 2026 09:30 GMT: close of business on the 5th working "
            "day after Mon 21 Dec 2026).",
            "A lead",
            "Why.",
        ),
        (
            1,
            f"Required of Designated person: {discuss}; due by Tue 29 Dec 2026 17:00 GMT (5 "
            "working days from Fri 18 Dec 2026 10:00 GMT: close of business on the 5th working "
            "day after Fri 18 Dec 2026).",
            "A lead",
            "Why.",
        ),
        (2, "A risk of significant harm was identified; the stage does not change.", None, None),
        (
            2,
            f"On significant harm the document says {harm} but sets no timescale, so the "
            "stage's deadline stands.",
            None,
            None,
        ),
        (
            2,
            "Required of Practitioner: Communicate the risk to the child through agreed child "
            "protection procedures; due by Tue 22 Dec 2026 17:00 GMT (the same working day as "
            "Tue 22 Dec 2026 09:30 GMT).",
            None,
            None,
        ),
    ]
    assert [(d.id, d.why) for d in result.due] == [
        (
            "line_manager_to_line_manager",
            "5 working days from Mon 21 Dec 2026 09:30 GMT: close of business on the 5th "
            "working day after Mon 21 Dec 2026",
        ),
        ("keep_clear_record", f"no deadline is set; the document says: {record}"),
        (
            "discuss_with_opposite_number",
            "5 working days from Fri 18 Dec 2026 10:00 GMT: close of business on the 5th "
            "working day after Fri 18 Dec 2026",
        ),
        ("child_protection_referral", "the same working day as Tue 22 Dec 2026 09:30 GMT"),
    ]


def test_threads_completing_one_result_at_once_see_the_same_result() -> None:
    expected = _whole(evaluate(NEWCASTLE, HISTORY, as_of=AS_OF))
    for _ in range(20):
        shared = evaluate(NEWCASTLE, HISTORY, as_of=AS_OF)
        seen: list[Any] = []
        start = threading.Barrier(4)

        def read(shared: Evaluation, seen: list[Any], start: threading.Barrier) -> None:
            start.wait()
            seen.append((shared.explanation, shared.due, _whole(shared)))

        threads = [threading.Thread(target=read, args=(shared, seen, start)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(seen) == 4
        for explanation, due, whole in seen:
            assert whole == expected
            assert explanation == shared.explanation and due == shared.due


def test_the_quick_reader_takes_the_usual_events() -> None:
    """Not vacuous: the usual shapes are read quickly (and checked against pydantic above)."""
    for item in [*HISTORY, {"type": "resolved", "at": dt.datetime(2026, 12, 24, tzinfo=UTC)}]:
        assert _read_quickly(item) is not None
        _same_reading(item)
    for odd in [
        {"type": "escalated", "at": "2026-12-14T10:00:00"},
        {"type": "escalated", "at": "2026-12-14T10:00:00+00:00", "to_stage": True},
        {"type": "timescale_agreed", "at": "2026-12-14T10:00:00+00:00", "deadline": None},
        {"type": "action_agreed", "at": "2026-12-14T10:00:00+00:00"},
    ]:
        assert _read_quickly(odd) is None


def test_reading_one_later_field_makes_that_one_only() -> None:
    result = evaluate(NEWCASTLE, HISTORY, as_of=AS_OF)
    assert [item.id for item in result.due][:1] == ["line_manager_to_line_manager"]
    assert "due" in vars(result) and "explanation" not in vars(result)
    dumped = _whole(result)  # dumped while half made: still the whole result
    assert dumped == _whole(evaluate(NEWCASTLE, HISTORY, as_of=AS_OF))
    for name in ("timeline", "actions", "explanation"):
        getattr(result, name)
    assert list(vars(result)) == list(Evaluation.model_fields)  # whole, in order
    assert _whole(result) == dumped


def test_a_result_made_later_keeps_its_json_schema_and_dumps_inside_others() -> None:
    for mode in ("validation", "serialization"):
        schema = Evaluation.model_json_schema(mode=mode)
        assert list(schema["properties"]) == list(Evaluation.model_fields)
        assert all(p.get("description") for p in schema["properties"].values())
    whole = _whole(evaluate(NEWCASTLE, HISTORY, as_of=AS_OF))
    inside = TypeAdapter(list[Evaluation]).dump_python(
        [evaluate(NEWCASTLE, HISTORY, as_of=AS_OF)], mode="json"
    )
    assert inside == [whole]
