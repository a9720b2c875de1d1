"""Project types and their milestone templates, edited as master data (Edit › Project types…).

A project type (exhibit booth, conference, concert) carries a template: the milestones a project of
that type starts with, each counted from one of the project's days (``anchor`` + ``offset_days``,
negative before it) so that they move with the show, a window when ``duration_days`` > 0, and who
keeps it (the AM or the PM). A new company starts with three types (:data:`STARTER_TYPES`), ordinary
rows the user edits or deletes. The field parsers here are the milestones' too
(app/services/schedule/milestones.py).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from app.models import MilestoneTemplate, ProjectType
from app.models.enums import DateAnchor, MilestoneKind, MilestoneOwner
from app.services.master_data import FieldSpec, RecordKind, format_value, text
from app.services.storage.database import Database
from app.services.values import InputError, parse_decimal

TYPE_T = ProjectType.__table__  # type: ignore[attr-defined]
TEMPLATE_T = MilestoneTemplate.__table__  # type: ignore[attr-defined]
OFFSET_MAX = 730  # two years either side of the anchor day
DURATION_MAX = 365

# The kinds a user gives a milestone: an order's order-by date comes from the order, never typed.
KINDS = tuple(k for k in MilestoneKind if k is not MilestoneKind.ORDER_BY)
ANCHORS = tuple(a for a in DateAnchor if a is not DateAnchor.FIXED)


def _one_of(label: str, members: tuple[Any, ...]) -> Callable[[Any], str]:
    """The parser of a field holding one of ``members``: its value or its label, any case."""

    def parse(value: Any) -> str:
        typed = str(getattr(value, "value", value) or "").strip().lower()
        for member in members:
            if typed in (member.value.lower(), member.label.lower()):
                return str(member.value)
        raise InputError(f"{label} must be one of: {', '.join(m.label for m in members)}.")

    return parse


def _choices(members: tuple[Any, ...]) -> Callable[[Database], list[tuple[Any, str]]]:
    return lambda _db: [(m.value, m.label) for m in members]


def _label(members: tuple[Any, ...]) -> Callable[[Any], str]:
    labels = {m.value: m.label for m in members}
    return lambda v: labels.get(v, format_value(v))


def _whole_days(label: str, lowest: int, highest: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        number = parse_decimal(
            "0" if value in (None, "") else value,
            label,
            places=0,
            minimum=Decimal(lowest),
            maximum=Decimal(highest),
        )
        return int(number or 0)

    return parse


OWNERS = tuple(MilestoneOwner)
_OWNER_LABELS = {MilestoneOwner.AM: "AM", MilestoneOwner.PM: "PM"}


def _owner(value: Any) -> str:
    typed = str(getattr(value, "value", value) or "").strip().upper()
    if typed in {"AM", "ACCOUNT MANAGER"}:
        return MilestoneOwner.AM.value
    if typed in {"PM", "PROJECT MANAGER"}:
        return MilestoneOwner.PM.value
    raise InputError("Owner must be AM (the account manager) or PM (the project manager).")


def milestone_fields(anchors: tuple[DateAnchor, ...]) -> tuple[FieldSpec, ...]:
    """Name, kind, anchor (one of ``anchors``) and offset: the fields a template and a milestone share."""
    return (
        FieldSpec("name", "Milestone", text("Milestone", 200, required=True)),
        FieldSpec(
            "kind",
            "Kind",
            _one_of("Kind", KINDS),
            _label(KINDS),
            choices=_choices(KINDS),
            tip="What it is: the deadlines list filters by it.",
        ),
        FieldSpec(
            "anchor",
            "Counts from",
            _one_of("Counts from", anchors),
            _label(anchors),
            choices=_choices(anchors),
            tip="The project day it is counted from, so it moves with the show"
            + (", or a fixed date of its own." if DateAnchor.FIXED in anchors else "."),
        ),
        FieldSpec(
            "offset_days",
            "Offset (days)",
            _whole_days("Offset", -OFFSET_MAX, OFFSET_MAX),
            numeric=True,
            tip="Days after that day; negative before it (-42: six weeks before).",
        ),
    )


def window_and_owner() -> tuple[FieldSpec, ...]:
    return (
        FieldSpec(
            "duration_days",
            "Window (days)",
            _whole_days("Window", 0, DURATION_MAX),
            numeric=True,
            tip="0: one day; more: a window that many days long (the advance-freight window).",
        ),
        FieldSpec(
            "owner",
            "Owner",
            _owner,
            lambda v: _OWNER_LABELS.get(v, format_value(v)),
            choices=lambda _db: [(o.value, o.value) for o in OWNERS],
            tip="Who keeps it: AM, the account manager, or PM, the project manager.",
        ),
    )


PROJECT_TYPES = RecordKind(
    model=ProjectType,
    noun="project type",
    fields=(FieldSpec("name", "Name", text("Name", 100, required=True)),),
    order_by=("position", "name"),
    children=((TEMPLATE_T, "project_type_id"),),
)

MILESTONE_TEMPLATES = RecordKind(
    model=MilestoneTemplate,
    noun="milestone",
    fields=(*milestone_fields(ANCHORS), *window_and_owner()),
    order_by=("position", "created_at"),
    owner_key="project_type_id",
)

A, P = MilestoneOwner.AM.value, MilestoneOwner.PM.value
K, D = MilestoneKind, DateAnchor
# (name, kind, anchor, offset days, window days, owner): each type's template.
STARTER_TYPES: dict[str, tuple[tuple[str, MilestoneKind, DateAnchor, int, int, str], ...]] = {
    "Exhibit booth": (
        ("Design approval", K.DESIGN_APPROVAL, D.LOAD_IN, -42, 0, A),
        ("Advance freight window", K.FREIGHT_WINDOW, D.LOAD_IN, -30, 25, P),
        ("Ship to the advance warehouse", K.SHIP, D.LOAD_IN, -10, 0, P),
        ("Load-in", K.LOAD_IN, D.LOAD_IN, 0, 0, P),
        ("Show open", K.SHOW_OPEN, D.SHOW_START, 0, 0, P),
        ("Strike", K.STRIKE, D.STRIKE, 0, 0, P),
        ("Invoice", K.INVOICE, D.STRIKE, 3, 0, A),
    ),
    "Conference": (
        ("Design approval", K.DESIGN_APPROVAL, D.LOAD_IN, -28, 0, A),
        ("Advance freight window", K.FREIGHT_WINDOW, D.LOAD_IN, -5, 3, P),
        ("Ship", K.SHIP, D.LOAD_IN, -3, 0, P),
        ("Load-in", K.LOAD_IN, D.LOAD_IN, 0, 0, P),
        ("Show open", K.SHOW_OPEN, D.SHOW_START, 0, 0, P),
        ("Strike", K.STRIKE, D.STRIKE, 0, 0, P),
        ("Invoice", K.INVOICE, D.STRIKE, 5, 0, A),
    ),
    "Concert": (
        ("Design approval", K.DESIGN_APPROVAL, D.LOAD_IN, -21, 0, A),
        ("Advance freight window", K.FREIGHT_WINDOW, D.LOAD_IN, -4, 2, P),
        ("Ship", K.SHIP, D.LOAD_IN, -1, 0, P),
        ("Load-in", K.LOAD_IN, D.LOAD_IN, 0, 0, P),
        ("Show open", K.SHOW_OPEN, D.SHOW_START, 0, 0, P),
        ("Strike", K.STRIKE, D.STRIKE, 0, 0, P),
        ("Invoice", K.INVOICE, D.STRIKE, 2, 0, A),
    ),
}
del A, P, K, D


def starter_records() -> list[ProjectType | MilestoneTemplate]:
    """New rows of the three starter types, each followed by its template's (parents first)."""
    records: list[ProjectType | MilestoneTemplate] = []
    for position, (name, template) in enumerate(STARTER_TYPES.items()):
        kind = ProjectType(name=name, position=position)
        records.append(kind)
        records.extend(
            MilestoneTemplate(
                project_type_id=kind.id,
                position=n,
                name=title,
                kind=what.value,
                anchor=anchor.value,
                offset_days=offset,
                duration_days=window,
                owner=owner,
            )
            for n, (title, what, anchor, offset, window, owner) in enumerate(template)
        )
    return records
