"""Every rule of every bundled policy cites a paragraph, section, stage or appendix that is
really in its partnership's document, and no policy carries contact details.

The documents are the project's seeds, kept beside the repository (in shared/seeds next to
the clone), not in it. Where they are absent, as in a bare clone, the tests that need them
skip and say why; the check for contact details needs only the policies.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from pydantic import BaseModel

from escalation_rules import Policy, bundled_policies, load_policy

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
NUMBERED = re.compile(
    r"^(?:(?:section|paragraph|para)\s+)?(?P<number>\d+(?:\.\d+)*)(?:\.(?P<roman>[IVX]+))?$",
    re.IGNORECASE,
)


def sources(value: object, path: str = "") -> Iterator[tuple[str, str | None]]:
    """Every (field path, source) in a policy, for every model that has a `source` field."""
    if isinstance(value, BaseModel):
        if "source" in type(value).model_fields:
            yield path or "policy", value.source  # type: ignore[attr-defined]
        for name in type(value).model_fields:
            yield from sources(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, tuple):
        for index, item in enumerate(value):
            yield from sources(item, f"{path}[{index}]")


def cited_in(document: str, source: str) -> bool:
    """Whether a citation names something the document has."""
    parts = [p.strip() for p in re.split(r",|;|\band\b", source) if p.strip()]
    return bool(parts) and all(_part_cited(document, part) for part in parts)


def _part_cited(document: str, part: str) -> bool:
    match = NUMBERED.match(part)
    if match is None:
        return part.casefold() in document.casefold()
    number = re.escape(match["number"])
    # A paragraph number as the document writes it: "5.1", "- 1.5", "## **2." or "2. Heading".
    if not re.search(rf"(?m)(^|[\s*#(\-])({number})(\.|\s|\*|$)", document):
        return False
    roman = match["roman"]
    return roman is None or re.search(rf"(?m)^\s*[-*]?\s*{roman}\.", document) is not None


def seed(name: str) -> str:
    """The text of a partnership's document, or a skip where the seeds are not beside us."""
    document = SEEDS / f"{name}.txt"
    if not document.exists():
        pytest.skip(
            f"the partnership document {name}.txt is not beside this clone (shared/seeds); "
            "the citations are checked where it is"
        )
    return document.read_text(encoding="utf-8")


@pytest.fixture(scope="module", params=bundled_policies())
def bundled(request: pytest.FixtureRequest) -> tuple[Policy, str]:
    name = request.param
    return load_policy(name), seed(name)


def test_every_rule_cites_its_document(bundled: tuple[Policy, str]) -> None:
    policy, document = bundled
    found = list(sources(policy))
    missing = [path for path, source in found if source is None and path != "calendar"]
    assert missing == [], "rules without a source"
    wrong = [(path, src) for path, src in found if src is not None and not cited_in(document, src)]
    assert wrong == [], "sources that name nothing in the document"
    assert len(found) >= 10


@pytest.mark.parametrize("name", bundled_policies())
def test_no_contact_details_in_policies(name: str) -> None:
    text = (
        resources.files("escalation_rules")
        .joinpath("policies", f"{name}.yaml")
        .read_text(encoding="utf-8")
    )
    assert "@" not in text
    assert not re.search(r"https?:|www\.", text)
    assert not re.search(r"\b0\d{3,4}[ -]?\d{3}[ -]?\d{3,4}\b", text), "a telephone number"


@pytest.mark.parametrize(
    ("source", "expected"),
    [("5.1.II", True), ("1.5", True), ("9.9", False), ("5.1.XI", False), ("Appendix Seven", False)],
)
def test_the_citation_check_can_fail(source: str, expected: bool) -> None:
    assert cited_in(seed("newcastle"), source) is expected
