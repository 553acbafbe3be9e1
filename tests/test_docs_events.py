"""docs/events.md lists every event type and every field, as the event models have them:
nothing missing, nothing made up, and "required" as the models require."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from escalation_rules.history._events import EVENT_CLASSES

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "events.md"
COMMON = {"type", "at", "id", "by", "note"}


def sections() -> dict[str, dict[str, bool]]:
    """Each section of the guide (`Every event`, then each type) -> field -> required."""
    if not GUIDE.exists():
        pytest.skip("docs/events.md is not in this checkout")
    found: dict[str, dict[str, bool]] = {}
    current = None
    for line in GUIDE.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^#{2,3} (?:`(\w+)`|(Every event))$", line)
        if heading:
            current = heading.group(1) or heading.group(2)
            found[current] = {}
        elif line.startswith("## "):
            current = None
        elif current is not None:
            row = re.match(r"^\| `(\w+)` \| (yes|no) \|", line)
            if row:
                found[current][row.group(1)] = row.group(2) == "yes"
    return found


def test_every_event_type_has_its_section() -> None:
    types = {cls.model_fields["type"].default for cls in EVENT_CLASSES}
    assert set(sections()) - {"Every event"} == types


def test_the_fields_every_event_has() -> None:
    documented = sections()["Every event"]
    assert set(documented) == COMMON
    for cls in EVENT_CLASSES:
        for name in COMMON - {"type"}:
            assert documented[name] == cls.model_fields[name].is_required(), (cls, name)


@pytest.mark.parametrize("cls", EVENT_CLASSES, ids=lambda c: c.__name__)
def test_each_type_lists_its_own_fields(cls: type) -> None:
    kind = cls.model_fields["type"].default  # type: ignore[attr-defined]
    own = {
        name: field.is_required()
        for name, field in cls.model_fields.items()  # type: ignore[attr-defined]
        if name not in COMMON
    }
    assert sections()[kind] == own
