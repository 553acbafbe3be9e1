"""Whole-policy checks: the rules no single field can check on its own.

Each check takes a validated `Policy` and returns findings: the path of the field that is
wrong, a stable code and a message naming the ids involved and what to write instead. The
findings carry no line or column; the loader looks those up from the path. Every check runs,
so an author sees all that is wrong at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import NamedTuple

from .._suggestions import Suggester, did_you_mean
from ..time._timescales import Timescale
from ._model import OUTCOMES, STAGE_TRIGGERS, Pathway, Policy

__all__ = ["Finding", "check_policy", "format_path"]

Path = tuple[str | int, ...]


class Finding(NamedTuple):
    """One thing wrong with the policy as a whole; `at_key` points at the key, not its value."""

    path: Path
    code: str
    message: str
    at_key: bool = False


def check_policy(policy: Policy) -> list[Finding]:
    """Every finding of every check, in the order the checks run."""
    return [finding for check in _CHECKS for finding in check(policy)]


def format_path(path: Path, count_from: int = 0, top: str = "the top level") -> str:
    """A path as an author reads it: `pathways[0].stages[1]`, items counted from `count_from`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part + count_from}]"
        else:
            out += f".{part}" if out else part
    return out or top


def _listing(ids: Sequence[str], most: int = 8) -> str:
    """The ids to choose from, or the first few of them and how many more there are."""
    if not ids:
        return "(none)"
    if len(ids) <= most:
        return ", ".join(ids)
    return f"{', '.join(ids[:most])} and {len(ids) - most:,} more"


def _duplicates(items: Iterable[tuple[Path, str]], what: str, scope: str) -> Iterator[Finding]:
    first: dict[str, Path] = {}
    for path, item_id in items:
        if item_id not in first:
            first[item_id] = path
            continue
        yield Finding(
            (*path, "id"),
            "duplicate_id",
            f"the id '{item_id}' is already used by {format_path(first[item_id])}{scope}; "
            f"give each {what} an id of its own",
        )


def _unique_policy_ids(policy: Policy) -> Iterator[Finding]:
    lists: tuple[tuple[str, str, Sequence[str]], ...] = (
        ("roles", "role", [role.id for role in policy.roles]),
        ("agency_types", "agency type", [agency.id for agency in policy.agency_types]),
        ("pathways", "pathway", [pathway.id for pathway in policy.pathways]),
    )
    for field, what, ids in lists:
        yield from _duplicates((((field, i), item_id) for i, item_id in enumerate(ids)), what, "")


def _unique_pathway_ids(policy: Policy) -> Iterator[Finding]:
    for i, pathway in enumerate(policy.pathways):
        base: Path = ("pathways", i)
        scope = f" in pathway '{pathway.id}'"
        steps = [((*base, "stages", j), stage.id) for j, stage in enumerate(pathway.stages)]
        if pathway.final_referral is not None:
            steps.append(((*base, "final_referral"), pathway.final_referral.id))
        yield from _duplicates(steps, "stage (and the final referral)", scope)
        categories = (((*base, "categories", j), c.id) for j, c in enumerate(pathway.categories))
        yield from _duplicates(categories, "category", scope)
        dates = (((*base, "dates", j), d.id) for j, d in enumerate(pathway.dates))
        yield from _duplicates(dates, "named date", scope)
        for j, stage in enumerate(pathway.stages):
            routes = (((*base, "stages", j, "routes", k), r.id) for k, r in enumerate(stage.routes))
            yield from _duplicates(routes, "route", f" in stage '{stage.id}'")
        actions = [((*base, "actions", j), a.id) for j, a in enumerate(pathway.actions)]
        harm = pathway.significant_harm
        if harm is not None and harm.required_action is not None:
            path: Path = (*base, "significant_harm", "required_action")
            actions.append((path, harm.required_action.id))
        yield from _duplicates(actions, "action", scope)


def role_references(pathway: Pathway, base: Path) -> Iterator[tuple[Path, str]]:
    """Every role id a pathway names (as holder, counterpart or doer), and where."""
    for j, stage in enumerate(pathway.stages):
        if stage.responsible is not None:
            yield (*base, "stages", j, "responsible"), stage.responsible
        if stage.counterpart is not None:
            yield (*base, "stages", j, "counterpart"), stage.counterpart
        for k, route in enumerate(stage.routes):
            yield (*base, "stages", j, "routes", k, "responsible"), route.responsible
            if route.counterpart is not None:
                yield (*base, "stages", j, "routes", k, "counterpart"), route.counterpart
    if pathway.final_referral is not None:
        yield (*base, "final_referral", "responsible"), pathway.final_referral.responsible
    for j, action in enumerate(pathway.actions):
        if action.role is not None:
            yield (*base, "actions", j, "role"), action.role
    harm = pathway.significant_harm
    if harm is not None and harm.required_action is not None and harm.required_action.role:
        yield (*base, "significant_harm", "required_action", "role"), harm.required_action.role


def _known_roles(policy: Policy) -> Iterator[Finding]:
    role_ids = [role.id for role in policy.roles]
    suggest = Suggester(role_ids)
    for i, pathway in enumerate(policy.pathways):
        for path, role_id in role_references(pathway, ("pathways", i)):
            if policy.role(role_id) is None:
                yield Finding(
                    path,
                    "unknown_role",
                    f"there is no role '{role_id}'{suggest(role_id)}; write "
                    f"one of the role ids declared under `roles:` ({_listing(role_ids)}), or "
                    "declare this role there",
                )


def _known_agency_types(policy: Policy) -> Iterator[Finding]:
    agency_ids = [agency.id for agency in policy.agency_types]
    suggest = Suggester(agency_ids)
    for i, role in enumerate(policy.roles):
        for agency in role.titles:
            if agency not in agency_ids:
                yield Finding(
                    ("roles", i, "titles", agency),
                    "unknown_agency_type",
                    f"role '{role.id}' has a title for agency type '{agency}', which is not "
                    f"declared{suggest(agency)}; write one of the ids under "
                    f"`agency_types:` ({_listing(agency_ids)}), or declare it there",
                    at_key=True,
                )


def _one_default_pathway(policy: Policy) -> Iterator[Finding]:
    if len(policy.pathways) < 2:
        return
    defaults = [i for i, pathway in enumerate(policy.pathways) if pathway.default]
    ids = [pathway.id for pathway in policy.pathways]
    if not defaults:
        yield Finding(
            ("pathways",),
            "no_default_pathway",
            f"there are {len(ids)} pathways ({_listing(ids)}) and none is the default; add "
            "`default: true` to the pathway an escalation takes when it does not name one",
        )
    for i in defaults[1:]:
        yield Finding(
            ("pathways", i, "default"),
            "several_default_pathways",
            f"pathway '{ids[i]}' and pathway '{ids[defaults[0]]}' both say `default: true`; "
            "only one pathway can be the default, so remove it from the other",
        )


def _stage_ids(pathway: Pathway) -> list[str]:
    ids = [stage.id for stage in pathway.stages]
    if pathway.final_referral is not None:
        ids.append(pathway.final_referral.id)
    return ids


def _stage_reference(pathway: Pathway, path: Path, stage_id: str) -> Iterator[Finding]:
    if pathway.number_of(stage_id) is None:
        ids = _stage_ids(pathway)
        yield Finding(
            path,
            "unknown_stage",
            f"pathway '{pathway.id}' has no stage '{stage_id}'{did_you_mean(stage_id, ids)}; "
            f"write the id of one of its stages or its final referral ({_listing(ids)})",
        )


def _missing_stage(pathway: Pathway, path: Path, needs: str, field: str) -> Finding:
    return Finding(
        path,
        "missing_stage",
        f"{needs} needs `{field}:` naming a stage of pathway '{pathway.id}'; add it, with one "
        f"of {_listing(_stage_ids(pathway))}",
    )


def _unexpected_stage(path: Path, field: str, only_with: str) -> Finding:
    return Finding(
        path,
        "unexpected_stage",
        f"`{field}` is only used with `{only_with}`; remove `{field}`, or write `{only_with}`",
    )


def _significant_harm_targets(policy: Policy) -> Iterator[Finding]:
    for i, pathway in enumerate(policy.pathways):
        harm = pathway.significant_harm
        if harm is None:
            continue
        base: Path = ("pathways", i, "significant_harm")
        if harm.jump == "fixed" and harm.to_stage is None:
            yield _missing_stage(pathway, (*base, "jump"), "`jump: fixed`", "to_stage")
        elif harm.jump == "fixed" and harm.to_stage is not None:
            yield from _stage_reference(pathway, (*base, "to_stage"), harm.to_stage)
        elif harm.to_stage is not None:
            yield _unexpected_stage((*base, "to_stage"), "to_stage", "jump: fixed")


def _skipping_targets(policy: Policy) -> Iterator[Finding]:
    for i, pathway in enumerate(policy.pathways):
        rule = pathway.skipping
        if rule is None:
            continue
        base: Path = ("pathways", i, "skipping")
        if rule.allowed != "to_named_stages":
            if rule.to_stages:
                yield _unexpected_stage(
                    (*base, "to_stages"), "to_stages", "allowed: to_named_stages"
                )
            continue
        if not rule.to_stages:
            yield _missing_stage(
                pathway, (*base, "allowed"), "`allowed: to_named_stages`", "to_stages"
            )
        for k, stage_id in enumerate(rule.to_stages):
            yield from _stage_reference(pathway, (*base, "to_stages", k), stage_id)


def _action_stages(policy: Policy) -> Iterator[Finding]:
    for i, pathway in enumerate(policy.pathways):
        for j, action in enumerate(pathway.actions):
            base: Path = ("pathways", i, "actions", j)
            staged = action.when in STAGE_TRIGGERS
            if staged and action.stage is None:
                yield _missing_stage(pathway, (*base, "when"), f"`when: {action.when}`", "stage")
            elif staged and action.stage is not None:
                yield from _stage_reference(pathway, (*base, "stage"), action.stage)
            elif action.stage is not None:
                yield _unexpected_stage(
                    (*base, "stage"), "stage", "when: entering_stage or when: reaching_stage"
                )


def timescales_of(pathway: Pathway, base: Path) -> Iterator[tuple[Path, Timescale, int | None]]:
    """Every timescale of a pathway, its path, and the stage number it belongs to (if any)."""
    for j, stage in enumerate(pathway.stages):
        if stage.timescale is not None:
            yield (*base, "stages", j, "timescale"), stage.timescale, j + 1
        for k, route in enumerate(stage.routes):
            yield (*base, "stages", j, "routes", k, "timescale"), route.timescale, j + 1
    referral = pathway.final_referral
    if referral is not None:
        yield (*base, "final_referral", "timescale"), referral.timescale, len(pathway.stages) + 1
    for j, action in enumerate(pathway.actions):
        yield (*base, "actions", j, "timescale"), action.timescale, None
    harm = pathway.significant_harm
    if harm is not None:
        if harm.timescale is not None:
            yield (*base, "significant_harm", "timescale"), harm.timescale, None
        if harm.required_action is not None:
            path: Path = (*base, "significant_harm", "required_action", "timescale")
            yield path, harm.required_action.timescale, None


def _clock_starts(policy: Policy) -> Iterator[Finding]:
    for i, pathway in enumerate(policy.pathways):
        date_ids = [d.id for d in pathway.dates]
        for path, timescale, number in timescales_of(pathway, ("pathways", i)):
            kind = timescale.counts_from
            if kind == "stage" and timescale.from_stage is None:
                yield _missing_stage(
                    pathway, (*path, "counts_from"), "`counts_from: stage`", "from_stage"
                )
            elif kind == "stage" and timescale.from_stage is not None:
                found = pathway.number_of(timescale.from_stage)
                if found is None:
                    yield from _stage_reference(
                        pathway, (*path, "from_stage"), timescale.from_stage
                    )
                elif number is not None and found > number:
                    yield Finding(
                        (*path, "from_stage"),
                        "clock_from_later_stage",
                        f"this timescale belongs to stage {number}, so its clock cannot start "
                        f"on entering the later stage '{timescale.from_stage}'; name this "
                        "stage or an earlier one",
                    )
            elif timescale.from_stage is not None:
                yield _unexpected_stage((*path, "from_stage"), "from_stage", "counts_from: stage")
            if kind == "date" and timescale.from_date is None:
                yield Finding(
                    (*path, "counts_from"),
                    "missing_date",
                    "`counts_from: date` needs `from_date:` naming one of the pathway's "
                    f"`dates:` ({_listing(date_ids)}); add it",
                )
            elif kind == "date" and timescale.from_date not in date_ids:
                yield Finding(
                    (*path, "from_date"),
                    "unknown_date",
                    f"pathway '{pathway.id}' asks for no date '{timescale.from_date}'"
                    f"{did_you_mean(str(timescale.from_date), date_ids)}; write one of its "
                    f"`dates:` ({_listing(date_ids)}), or declare it there",
                )
            elif kind != "date" and timescale.from_date is not None:
                yield _unexpected_stage((*path, "from_date"), "from_date", "counts_from: date")


def _outcome_stages(policy: Policy) -> Iterator[Finding]:
    for i, pathway in enumerate(policy.pathways):
        base: Path = ("pathways", i)
        for j, action in enumerate(pathway.actions):
            path: Path = (*base, "actions", j)
            if action.at_stages and action.when not in OUTCOMES:
                yield _unexpected_stage(
                    (*path, "at_stages"),
                    "at_stages",
                    "when: resolved, when: resolved_with_dissent or when: withdrawn",
                )
            for k, stage_id in enumerate(action.at_stages):
                yield from _stage_reference(pathway, (*path, "at_stages", k), stage_id)
            if action.when in OUTCOMES and action.lapses != "never":
                yield Finding(
                    (*path, "lapses"),
                    "lapse_not_possible",
                    f"action '{action.id}' is required once the escalation has ended "
                    f"(`when: {action.when}`), so it cannot lapse on leaving its stage or on "
                    "the end; remove `lapses:`",
                )
        seen: dict[str, int] = {}
        for j, rule in enumerate(pathway.outcomes):
            path = (*base, "outcomes", j)
            if rule.outcome in seen:
                yield Finding(
                    (*path, "outcome"),
                    "duplicate_outcome_rule",
                    f"outcome '{rule.outcome}' already has its stages in "
                    f"outcomes[{seen[rule.outcome]}]; "
                    "list all its stages there",
                )
            seen.setdefault(rule.outcome, j)
            for k, stage_id in enumerate(rule.at_stages):
                yield from _stage_reference(pathway, (*path, "at_stages", k), stage_id)
        agreement = pathway.agreed_timescales
        if agreement is not None:
            for k, stage_id in enumerate(agreement.at_stages):
                path = (*base, "agreed_timescales", "at_stages", k)
                yield from _stage_reference(pathway, path, stage_id)


_CHECKS: tuple[Callable[[Policy], Iterable[Finding]], ...] = (
    _unique_policy_ids,
    _unique_pathway_ids,
    _known_roles,
    _known_agency_types,
    _one_default_pathway,
    _significant_harm_targets,
    _skipping_targets,
    _action_stages,
    _clock_starts,
    _outcome_stages,
)
