"""What the readable page of a policy says, before it is written as Markdown or HTML.

The page is for a business manager to hold beside the partnership's document and check line by
line: the pathways, a flowchart of each, a table of its stages (who, with whom, the timescale
and where its clock starts, what happens if it is missed, the paragraph), the required
actions, and the calendar. It is a list of blocks that both writers render the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from ..policy._model import Pathway, Policy, RequiredAction, Role
from ..policy._pathway import FinalReferral, Stage, TriggeredAction
from ..time._deadlines import plural
from ..time._timescales import (
    CalendarDays,
    Hours,
    Immediately,
    SameWorkingDay,
    Timescale,
    Unspecified,
    WorkingDays,
)
from ..time._words import long_date


@dataclass(frozen=True, slots=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str


@dataclass(frozen=True, slots=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, slots=True)
class Node:
    """A box of the flowchart: its id, its lines of text, and its shape."""

    id: str
    lines: tuple[str, ...]
    shape: str = "stage"
    """`start`, `stage`, `referral` or `harm`."""


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    label: str = ""
    dashed: bool = False


@dataclass(frozen=True, slots=True)
class Flowchart:
    """The stages of a pathway in order, with the significant-harm route beside them."""

    title: str
    chain: tuple[Node, ...]
    """Raised, the stages, the final referral: each leads to the next."""
    side: tuple[Node, ...]
    edges: tuple[Edge, ...]
    """Edges other than those along the chain."""


Block = Heading | Paragraph | Table | Flowchart


def page(policy: Policy) -> list[Block]:
    """The page of a policy, block by block."""
    blocks: list[Block] = [Heading(1, policy.title)]
    facts = [f"Encodes: {policy.document}."]
    if policy.version:
        facts.append(f"Version {policy.version}.")
    if policy.effective_from:
        facts.append(f"In effect from {_date(policy.effective_from)}.")
    facts.append(f"Policy id `{policy.id}`, digest {policy.digest[:12]}.")
    blocks.append(Paragraph(" ".join(facts)))
    blocks.append(
        Paragraph(
            "Each rule below names the paragraph of the document it comes from: check each "
            "against the document. Deadlines follow the calendar at the end of this page."
        )
    )
    for pathway in policy.pathways:
        blocks += _pathway(policy, pathway)
    blocks += _roles(policy)
    blocks += _calendar(policy)
    return blocks


def _pathway(policy: Policy, pathway: Pathway) -> list[Block]:
    default = (
        " (the default)" if pathway is policy.default_pathway and len(policy.pathways) > 1 else ""
    )
    blocks: list[Block] = [
        Heading(2, f"Pathway: {pathway.title}{default}"),
        Paragraph(f"Id `{pathway.id}`; paragraph {pathway.source}." + _note(pathway.note)),
    ]
    if pathway.categories:
        blocks.append(
            Paragraph(
                "A disagreement raised on it may name one of: "
                + "; ".join(f"{c.title} (`{c.id}`, {c.source})" for c in pathway.categories)
                + "."
            )
        )
    if pathway.dates:
        blocks.append(
            Paragraph(
                "The raised event gives the dates: "
                + "; ".join(f"`{d.id}`, {d.title} ({d.source})" for d in pathway.dates)
                + "."
            )
        )
    blocks.append(flowchart(policy, pathway))
    blocks.append(Heading(3, f"{policy.words.stage}s"))
    blocks.append(_stage_table(policy, pathway))
    blocks += _rules(policy, pathway)
    actions = list(_actions(policy, pathway))
    if actions:
        blocks.append(Heading(3, "Required actions"))
        blocks.append(
            Table(
                ("Action", "When it is required", "Who", "Timescale", "If missed", "Paragraph"),
                tuple(actions),
            )
        )
    return blocks


def _note(note: str | None) -> str:
    return f" {note}" if note else ""


def _date(day: dt.date) -> str:
    return long_date(day).split(" ", 1)[1]


def flowchart(policy: Policy, pathway: Pathway) -> Flowchart:
    word = policy.words.stage
    chain = [Node("raised", ("Raised",), "start")]
    for number, stage in enumerate(pathway.stages, 1):
        chain.append(Node(f"s{number}", _stage_lines(policy, word, number, stage)))
    referral = pathway.final_referral
    if referral is not None:
        chain.append(
            Node(
                "referral",
                (
                    f"Final referral: {referral.title}",
                    _role_title(policy, referral.responsible),
                    _timescale_words(referral.timescale),
                    f"({referral.source})",
                ),
                "referral",
            )
        )
    side: list[Node] = []
    edges: list[Edge] = []
    harm = pathway.significant_harm
    if harm is not None:
        lines = [policy.words.significant_harm[:1].upper() + policy.words.significant_harm[1:]]
        if harm.required_action is not None:
            lines.append(f"At once: {harm.required_action.title}")
        if harm.timescale is not None:
            lines.append(f"The stage: {_timescale_words(harm.timescale)}")
        if harm.jump == "none":
            lines.append(f"The {word.lower()} does not change")
        lines.append(f"({harm.source})")
        side.append(Node("harm", tuple(lines), "harm"))
        if harm.jump == "fixed" and harm.to_stage is not None:
            target = pathway.number_of(harm.to_stage)
            edges.append(Edge("harm", f"s{target}", "goes straight to", True))
        elif harm.jump == "discretion":
            for number in range(1, len(pathway.stages) + 1):
                label = "the raiser chooses" if number == 1 else ""
                edges.append(Edge("harm", f"s{number}", label, True))
    return Flowchart(pathway.title, tuple(chain), tuple(side), tuple(edges))


def _stage_lines(policy: Policy, word: str, number: int, stage: Stage) -> tuple[str, ...]:
    lines = [f"{word} {number}: {stage.title}"]
    if stage.routes:
        for route in stage.routes:
            lines.append(
                f"{route.title}: {_role_title(policy, route.responsible)}, "
                f"{_timescale_words(route.timescale)}"
            )
    elif stage.responsible is not None and stage.timescale is not None:
        lines.append(_role_title(policy, stage.responsible))
        lines.append(_timescale_words(stage.timescale))
    lines.append(f"({stage.source})")
    return tuple(lines)


def _role_title(policy: Policy, role_id: str) -> str:
    role = policy.roles_by_id.get(role_id)
    return role.title if role is not None else role_id


def _timescale_words(timescale: Timescale) -> str:
    """A timescale as the document would say it; `unspecified` in the document's own words."""
    if isinstance(timescale, WorkingDays):
        return plural(timescale.days, "working day")
    if isinstance(timescale, Hours):
        return plural(timescale.hours, "hour")
    if isinstance(timescale, CalendarDays):
        return plural(timescale.days, "calendar day")
    if isinstance(timescale, SameWorkingDay):
        return "the same working day"
    if isinstance(timescale, Immediately):
        return "immediately"
    assert isinstance(timescale, Unspecified)
    return f"no timescale set: \u201c{timescale.wording}\u201d"


def _counted_from(pathway: Pathway, timescale: Timescale, own: str) -> str:
    if isinstance(timescale, Unspecified):
        return "\u2014"
    if timescale.counts_from == "raised":
        return "when the disagreement was raised"
    if timescale.counts_from == "stage" and timescale.from_stage is not None:
        return f"entering {_stage_name(pathway, timescale.from_stage)}"
    if timescale.counts_from == "date" and timescale.from_date is not None:
        title = next((d.title for d in pathway.dates if d.id == timescale.from_date), None)
        return f"the date given: {title or timescale.from_date}"
    return own


def _stage_table(policy: Policy, pathway: Pathway) -> Table:
    rows: list[tuple[str, ...]] = []
    steps: list[Stage | FinalReferral] = [*pathway.stages]
    if pathway.final_referral is not None:
        steps.append(pathway.final_referral)
    for number, step in enumerate(steps, 1):
        name = f"{number}. {step.title}" if isinstance(step, Stage) else f"Final: {step.title}"
        for route in step.routes or (None,):
            holder = step.holder(route.id if route is not None else None)
            rows.append(
                (
                    name + (f" \u2014 {route.title}" if route is not None else ""),
                    _role_title(policy, holder.responsible),
                    _role_title(policy, holder.counterpart) if holder.counterpart else "\u2014",
                    _timescale_words(holder.timescale),
                    _counted_from(pathway, holder.timescale, "entering this stage"),
                    holder.if_missed or "\u2014",
                    holder.source,
                )
            )
    return Table(
        ("Stage", "Who", "With whom", "Timescale", "Counted from", "If missed", "Paragraph"),
        tuple(rows),
    )


def _rules(policy: Policy, pathway: Pathway) -> list[Block]:
    lines: list[str] = []
    harm = pathway.significant_harm
    if harm is not None:
        what = {
            "none": f"the {policy.words.stage.lower()} does not change",
            "fixed": f"the matter goes straight to {_stage_name(pathway, harm.to_stage)}",
            "discretion": f"the raiser chooses the {policy.words.stage.lower()} to go to",
        }[harm.jump]
        text = f"On {policy.words.significant_harm}: {what}"
        if harm.timescale is not None:
            text += f"; that {policy.words.stage.lower()}: {_timescale_words(harm.timescale)}"
        if harm.required_action is not None:
            action = harm.required_action
            text += f"; required at once: {action.title} ({_timescale_words(action.timescale)})"
        lines.append(f"{text} ({harm.source}).")
    skip = pathway.skipping
    if skip is not None:
        allowed = {
            "never": "never",
            "with_reason": "only with a reason given",
            "to_named_stages": "only to "
            + ", ".join(_stage_name(pathway, s) for s in skip.to_stages),
        }[skip.allowed]
        lines.append(f"Passing over {policy.words.stage.lower()}s: {allowed} ({skip.source}).")
    agreed = pathway.agreed_timescales
    if agreed is not None:
        where = (
            "at " + ", ".join(_stage_name(pathway, s) for s in agreed.at_stages)
            if agreed.at_stages
            else f"at any {policy.words.stage.lower()}"
        )
        may = "may" if agreed.allowed else "may not"
        lines.append(f"The parties {may} agree another deadline, {where} ({agreed.source}).")
    for rule in pathway.outcomes:
        at = ", ".join(_stage_name(pathway, s) for s in rule.at_stages)
        lines.append(
            f"The outcome \u201c{rule.outcome.replace('_', ' ')}\u201d may be recorded only at "
            f"{at} ({rule.source})."
        )
    if not lines:
        return []
    return [Heading(3, "Rules"), *(Paragraph(line) for line in lines)]


def _stage_name(pathway: Pathway, stage_id: str | None) -> str:
    number = pathway.number_of(stage_id) if stage_id else None
    if number is None:
        return str(stage_id)
    return f"stage {number} ({pathway.step(number).title})"


_TRIGGERS = {
    "raised": "when the disagreement is raised",
    "resolved": "when it is resolved",
    "resolved_with_dissent": "when it is resolved with dissent",
    "withdrawn": "when it is withdrawn",
}
_LAPSES = {
    "never": "",
    "on_leaving_stage": "; no longer owed once its stage is left",
    "on_end": "; no longer owed once the escalation ends",
}


def _actions(policy: Policy, pathway: Pathway) -> Iterator[tuple[str, ...]]:
    for action in pathway.actions:
        yield _action_row(policy, action, _trigger(pathway, action))
    harm = pathway.significant_harm
    if harm is not None and harm.required_action is not None:
        yield _action_row(policy, harm.required_action, f"on {policy.words.significant_harm}")


def _trigger(pathway: Pathway, action: TriggeredAction) -> str:
    if action.when == "entering_stage":
        return f"on entering {_stage_name(pathway, action.stage)}"
    if action.when == "reaching_stage":
        return f"on first reaching {_stage_name(pathway, action.stage)} or a later one"
    text = _TRIGGERS[action.when]
    if action.at_stages:
        text += " at " + ", ".join(_stage_name(pathway, s) for s in action.at_stages)
    return text


def _action_row(policy: Policy, action: RequiredAction, trigger: str) -> tuple[str, ...]:
    return (
        action.title,
        trigger + _LAPSES[action.lapses],
        _role_title(policy, action.role) if action.role else "whoever holds the stage then",
        _timescale_words(action.timescale),
        action.if_missed or "\u2014",
        action.source,
    )


def _roles(policy: Policy) -> list[Block]:
    rows = tuple(
        (role.title, f"`{role.id}`", _titles(policy, role), _whose(role), role.source)
        for role in policy.roles
    )
    return [
        Heading(2, "Roles"),
        Table(("Role", "Id", "Title by agency type", "Whose", "Paragraph"), rows),
    ]


def _titles(policy: Policy, role: Role) -> str:
    names = {a.id: a.title for a in policy.agency_types}
    return "; ".join(f"{names.get(k, k)}: {v}" for k, v in role.titles.items()) or "\u2014"


def _whose(role: Role) -> str:
    return "the raising agency" if role.agency == "raising" else "the agency raised with"


def _calendar(policy: Policy) -> list[Block]:
    spec = policy.calendar
    calendar = policy.working_calendar
    holidays = spec.bank_holidays
    place = holidays.country + (f"-{holidays.subdivision}" if holidays.subdivision else "")
    closures = ", ".join(_date(d) for d in spec.closure_dates) or "none"
    lines = [
        f"Time zone: {spec.timezone}. Working week: "
        f"{', '.join(d.title() for d in spec.working_week)}.",
        f"Bank holidays: {place}, from the holidays package; closure dates: {closures}.",
        f"Close of business: {spec.close_of_business:%H:%M}; a deadline counted in days falls "
        "then. N working days from a moment end at close of business on the Nth working day "
        "after its date; that date never counts.",
        f"The calendar covers {calendar.years[0]} to {calendar.years[1]}.",
    ]
    if spec.source:
        lines.append(f"The document sets its calendar out in {spec.source}.")
    return [Heading(2, "Calendar"), *(Paragraph(line) for line in lines)]
