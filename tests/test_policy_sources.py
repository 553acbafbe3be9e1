"""Every rule of every bundled policy cites a paragraph, section, stage or appendix that is
really in its partnership's document, and no policy carries contact details.

The documents are the project's seeds, kept beside the repository (in shared/seeds next to
the clone), not in it. Where they are absent, as in a bare clone, the tests that need them
skip and say why; the check for contact details needs only the policies.
"""

from __future__ import annotations

import io
import json
import re
from importlib import resources
from pathlib import Path

import pytest

from escalation_rules import Policy, bundled_policies, load_policy
from escalation_rules.authoring._citations import cited_in, sources
from escalation_rules.cli import run

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


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
    policy, _ = bundled
    found = list(sources(policy))
    missing = [path for path, source in found if source is None and path != ("calendar",)]
    assert missing == [], "rules without a source"
    assert len(found) >= 10
    # What a policy author runs: lint with the document names every source it does not have.
    out, err = io.StringIO(), io.StringIO()
    document = SEEDS / f"{policy.id}.txt"
    run(["lint", policy.id, "--document", str(document), "--format", "json"], out, err)
    assert err.getvalue() == ""
    findings = json.loads(out.getvalue())
    assert [f for f in findings if f["code"] == "source_not_in_document"] == []


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
