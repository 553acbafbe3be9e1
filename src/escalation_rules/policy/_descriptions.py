"""What each field of a policy file means, in the words an editor shows its author.

Keys are `Definition.property` as in the JSON Schema (`(root)` is the policy itself); the
schema test requires a description for every property and refuses one for a property that
does not exist.
"""

from __future__ import annotations

from .._json_schema import ROOT

_ID = "An identifier: lower-case letters, digits and underscores, starting with a letter."
_IF_MISSED = (
    "What the document says happens when the deadline passes, in its own words, such as "
    '"escalate to stage 3". Shown beside the deadline; it changes no deadline.'
)
_SOURCE = (
    'The paragraph, section, stage or appendix of the document this comes from, e.g. "5.1.II".'
)
_NOTE = "A remark for readers of the policy; the evaluator does not use it."
_TIMESCALE = (
    "How long the holder has: a `kind` (working_days, hours, calendar_days, "
    "same_working_day, immediately or unspecified), its number, and where its clock starts."
)
_ACTION_ROLE = (
    "The id of the role that must do it. Left out, it falls to the role responsible for the "
    "stage current when it is triggered."
)
_LAPSES = (
    "When the action stops being due without being done: `never` (the default: it stays due "
    "until done), `on_leaving_stage` or `on_end` (the escalation is resolved or withdrawn)."
)
_KIND = "Which kind of timescale this is."
_COUNTERPART = (
    "The id of the role the responsible role works with at this stage, if the document names one."
)

POLICY_DESCRIPTIONS: dict[str, str] = {
    f"{ROOT}.format_version": "The version of this file format. Always 1.",
    f"{ROOT}.id": "The policy's name, as `load_policy` and the command line take it. " + _ID,
    f"{ROOT}.title": "The policy's title, as the document gives it.",
    f"{ROOT}.document": "The title of the partnership's document the policy encodes.",
    f"{ROOT}.words": "The document's own words for a stage and for significant harm.",
    f"{ROOT}.calendar": (
        "When the clock runs: time zone, working week, bank holidays, closure dates and close "
        "of business. Left out: England's working days in Europe/London, closing at 17:00."
    ),
    f"{ROOT}.agency_types": (
        "The kinds of agency a disagreement may be raised by or with (school, health, ...), "
        "where roles have other titles in them."
    ),
    f"{ROOT}.roles": "Every position the policy names: who holds stages and does actions.",
    f"{ROOT}.pathways": (
        "The routes through the procedure, each with its ordered stages. The first, or the "
        "one marked `default: true`, is used when a raised event names none."
    ),
    "AgencyType.id": "The agency type's id, as a raised event's `agency` gives it. " + _ID,
    "AgencyType.title": 'The agency type\'s name, such as "School".',
    "AgencyType.source": _SOURCE,
    "BankHolidays.country": (
        "The country whose bank holidays are not working days: a two-letter code the "
        'holidays package knows, such as "GB".'
    ),
    "BankHolidays.subdivision": (
        'The part of the country, such as "ENG" for England; null for the whole country.'
    ),
    "CalendarDays.kind": _KIND,
    "CalendarDays.days": (
        "How many calendar days: the deadline is close of business on the start's date plus "
        "this many days."
    ),
    "CalendarSpec.timezone": 'The IANA time zone dates are taken in, such as "Europe/London".',
    "CalendarSpec.bank_holidays": "Where bank holidays come from: country and subdivision.",
    "CalendarSpec.working_week": "The days of the week that are working days.",
    "CalendarSpec.closure_dates": (
        "Dates that are not working days besides bank holidays, such as an office closure, "
        "written YYYY-MM-DD."
    ),
    "CalendarSpec.source": "Where the document sets out its calendar, if it does.",
    "Category.id": "The id a raised event's `category` gives. " + _ID,
    "Category.title": "The area of disagreement or reason, as the document words it.",
    "Category.source": _SOURCE,
    "FinalReferral.id": "The final referral's id. " + _ID,
    "FinalReferral.title": (
        'What the document calls it, such as "Referral to the Partnership Chair".'
    ),
    "FinalReferral.responsible": "The id of the role that holds the matter after the last stage.",
    "FinalReferral.timescale": _TIMESCALE,
    "FinalReferral.if_missed": _IF_MISSED,
    "FinalReferral.note": _NOTE,
    "FinalReferral.source": _SOURCE,
    "Hours.kind": _KIND,
    "Hours.hours": "How many elapsed hours from the start, counted across any clock change.",
    "Immediately.kind": _KIND + " The deadline is the moment the clock starts.",
    "NamedDate.id": "The key the raised event's `dates` gives this date under. " + _ID,
    "NamedDate.title": 'What the date is, such as "Date of the child protection conference".',
    "NamedDate.source": _SOURCE,
    "OutcomeRule.outcome": "The outcome limited: resolved, resolved_with_dissent or withdrawn.",
    "OutcomeRule.at_stages": "The ids of the only stages at which that outcome may be recorded.",
    "OutcomeRule.source": _SOURCE,
    "Pathway.id": "The pathway's id, as a raised event's `pathway` gives it. " + _ID,
    "Pathway.title": "The pathway's name, as the document gives it.",
    "Pathway.default": "True for the pathway used when a raised event names none.",
    "Pathway.note": _NOTE,
    "Pathway.categories": (
        "Areas of disagreement or reason codes a raised event may name in `category`."
    ),
    "Pathway.stages": "The stages, in order: an escalation starts at the first.",
    "Pathway.final_referral": (
        "Where the matter goes when the last stage does not resolve it: an `escalated` event "
        "at the last stage leads here."
    ),
    "Pathway.significant_harm": (
        "What happens at once when a child is identified as at risk of significant harm."
    ),
    "Pathway.skipping": "Whether an escalation may pass over stages. Left out: never.",
    "Pathway.agreed_timescales": (
        "Whether the parties may agree another deadline for the current stage "
        "(`timescale_agreed` events). Left out: not allowed."
    ),
    "Pathway.actions": (
        "Things that must be done once something happens (the raise, entering a stage, an "
        "outcome), by a role, within a timescale."
    ),
    "Pathway.dates": "Dates the raised event must give, that timescales may count from.",
    "Pathway.outcomes": "Outcomes that may be recorded only at named stages.",
    "Pathway.source": _SOURCE,
    "RequiredAction.id": "The action's id, as an `action_done` event names it. " + _ID,
    "RequiredAction.title": "What must be done, in the document's words.",
    "RequiredAction.role": _ACTION_ROLE,
    "RequiredAction.timescale": _TIMESCALE,
    "RequiredAction.lapses": _LAPSES,
    "RequiredAction.if_missed": _IF_MISSED,
    "RequiredAction.source": _SOURCE,
    "Role.id": "The role's id, as stages and actions name it. " + _ID,
    "Role.title": 'The role\'s title, such as "Line manager".',
    "Role.titles": (
        "The role's title in particular agency types, where it differs: agency type id to "
        'title, such as {school: "Designated safeguarding lead"}.'
    ),
    "Role.agency": (
        "Whose position it is: `raising` (the default), or `receiving`, the agency the "
        "disagreement is raised with; the title follows that agency's type."
    ),
    "Role.source": _SOURCE,
    "Route.id": "The route's id, as an `escalated` event's `route` names it. " + _ID,
    "Route.title": "The route's name, as the document gives it.",
    "Route.responsible": "The id of the role that holds the stage on this route.",
    "Route.counterpart": _COUNTERPART,
    "Route.timescale": _TIMESCALE,
    "Route.if_missed": _IF_MISSED,
    "Route.note": _NOTE,
    "Route.source": _SOURCE,
    "SameWorkingDay.kind": (
        _KIND + " Close of business on the start's day if it is a working day and the start "
        "is before then; otherwise close of business on the next working day."
    ),
    "SignificantHarmRule.jump": (
        "Where the matter goes: `none` (it stays at its stage), `fixed` (to `to_stage`) or "
        "`discretion` (the significant_harm event's `to_stage` chooses)."
    ),
    "SignificantHarmRule.to_stage": "With `jump: fixed`: the id of the stage the matter goes to.",
    "SignificantHarmRule.timescale": (
        "The timescale of the stage the matter goes to, when significant harm brings it "
        "there, if the document gives one (such as the same working day)."
    ),
    "SignificantHarmRule.required_action": (
        "An action significant harm requires at once, such as a referral through child "
        "protection procedures."
    ),
    "SignificantHarmRule.source": _SOURCE,
    "SkippingRule.allowed": (
        "`never`, `with_reason` (an `escalated` event with `to_stage` must give a `reason`) "
        "or `to_named_stages` (only to the stages in `to_stages`)."
    ),
    "SkippingRule.to_stages": "With `to_named_stages`: the ids of the stages a skip may reach.",
    "SkippingRule.source": _SOURCE,
    "Stage.id": "The stage's id. " + _ID,
    "Stage.title": 'The stage\'s name, such as "Practitioner to practitioner".',
    "Stage.responsible": (
        "The id of the role that holds the stage. Give it with `timescale`, or give `routes`."
    ),
    "Stage.counterpart": _COUNTERPART,
    "Stage.timescale": _TIMESCALE + " Give it with `responsible`, or give `routes`.",
    "Stage.routes": (
        "Several ways the stage may be taken, each with its own role, timescale and source, "
        "chosen by the `escalated` event's `route` (the first by default)."
    ),
    "Stage.if_missed": _IF_MISSED,
    "Stage.note": _NOTE,
    "Stage.source": _SOURCE,
    "TimescaleAgreement.allowed": "True if the parties may agree another deadline.",
    "TimescaleAgreement.at_stages": (
        "The ids of the stages where they may; left out or empty, at every stage."
    ),
    "TimescaleAgreement.source": _SOURCE,
    "TriggeredAction.id": "The action's id, as an `action_done` event names it. " + _ID,
    "TriggeredAction.title": "What must be done, in the document's words.",
    "TriggeredAction.role": _ACTION_ROLE,
    "TriggeredAction.timescale": _TIMESCALE,
    "TriggeredAction.lapses": _LAPSES,
    "TriggeredAction.if_missed": _IF_MISSED,
    "TriggeredAction.source": _SOURCE,
    "TriggeredAction.when": (
        "What triggers it: `raised`, `entering_stage` (entering `stage` itself; a skip past "
        "it does not), `reaching_stage` (first reaching `stage` or any later one), or an "
        "outcome (`resolved`, `resolved_with_dissent`, `withdrawn`)."
    ),
    "TriggeredAction.stage": "With `entering_stage` or `reaching_stage`: the id of the stage.",
    "Unspecified.kind": _KIND + " The document gives no timescale: there is no deadline.",
    "Unspecified.wording": (
        'The document\'s own words for the time allowed, such as "as soon as possible".'
    ),
    "WorkingDays.kind": _KIND,
    "WorkingDays.days": (
        "How many working days: the deadline is close of business on that working day after "
        "the start's date (the start's own day never counts)."
    ),
}
