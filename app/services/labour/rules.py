"""Editing labour rule sets: each field typed, validated and saved on its own.

Each edit is parsed first (an :class:`InputError` changes nothing), then written in
one short transaction with an optimistic version check (someone else's change in
between raises :class:`EditConflict`). Holidays are edited as one list of dates.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update

from app.models import LabourHoliday, LabourRuleSet
from app.models.types import utcnow
from app.services.storage.database import Database
from app.services.storage.versioned import EditConflict, update_versioned
from app.services.values import InputError, parse_date, parse_decimal, parse_text

RULES_T = LabourRuleSet.__table__  # type: ignore[attr-defined]
HOLIDAY_T = LabourHoliday.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class RuleField:
    key: str
    title: str
    parse: Callable[[Any], Any]


def _hours(label: str, required: bool = False) -> Callable[[Any], Any]:
    return lambda v: parse_decimal(v, label, places=2, allow_empty=not required, maximum=Decimal(168))


def _multiplier(label: str) -> Callable[[Any], Any]:
    return lambda v: parse_decimal(v, label, places=4, minimum=Decimal(1), maximum=Decimal(10))


def _minutes(value: Any) -> int:
    number = parse_decimal(value if value not in (None, "") else "0", "Meal break minutes", places=0,
                           maximum=Decimal(240))
    return int(number or 0)


def _holidays(value: Any) -> list[date]:
    if isinstance(value, list):
        return sorted(set(value))
    text = "" if value is None else str(value)
    days: set[date] = set()
    for chunk in text.replace(";", "\n").splitlines():
        try:  # "May 31, 2027" is one date; "2027-05-31, 2027-07-05" are two
            parts = [chunk] if parse_date(chunk, "Holiday") else []
        except InputError:
            parts = chunk.split(",")
        for part in parts:
            day = parse_date(part, "Holiday")
            if day is not None:
                days.add(day)
    return sorted(days)


RULE_FIELDS: tuple[RuleField, ...] = (
    RuleField("name", "Name", lambda v: parse_text(v, "Name", max_length=100, required=True)),
    RuleField("min_call_hours", "Minimum call (h)",
              lambda v: parse_decimal(v, "Minimum call", places=2, maximum=Decimal(24))),
    RuleField("overtime_after_hours", "OT after (h/day)", _hours("Overtime threshold")),
    RuleField("overtime_multiplier", "OT ×", _multiplier("Overtime multiplier")),
    RuleField("double_time_after_hours", "DT after (h/day)", _hours("Double-time threshold")),
    RuleField("double_time_multiplier", "DT ×", _multiplier("Double-time multiplier")),
    RuleField("weekly_overtime_after_hours", "Weekly OT after (h)", _hours("Weekly overtime threshold")),
    RuleField("weekend_multiplier", "Weekend ×", _multiplier("Weekend multiplier")),
    RuleField("holiday_multiplier", "Holiday ×", _multiplier("Holiday multiplier")),
    RuleField("meal_break_after_hours", "Meal break after (h)", _hours("Meal break threshold")),
    RuleField("meal_break_minutes", "Meal break (min)", _minutes),
    RuleField("min_turnaround_hours", "Turnaround (h)", _hours("Minimum turnaround")),
    RuleField("holidays", "Holidays", _holidays),
)
FIELD_BY_KEY = {f.key: f for f in RULE_FIELDS}


@dataclass(slots=True)
class RuleSetRow:
    id: uuid.UUID
    version: int
    values: dict[str, Any]


def load_rule_sets(db: Database) -> list[RuleSetRow]:
    """Every live rule set, by name, with its holidays (two queries)."""
    with db.read() as conn:
        holidays: dict[uuid.UUID, list[date]] = {}
        for rule_set_id, day in conn.execute(
            select(HOLIDAY_T.c.rule_set_id, HOLIDAY_T.c.day)
            .where(HOLIDAY_T.c.deleted_at.is_(None)).order_by(HOLIDAY_T.c.day)
        ):
            holidays.setdefault(rule_set_id, []).append(day)
        rows = conn.execute(select(RULES_T).where(RULES_T.c.deleted_at.is_(None)).order_by(RULES_T.c.name))
        return [
            RuleSetRow(row.id, row.version, {
                **{f.key: getattr(row, f.key) for f in RULE_FIELDS if f.key != "holidays"},
                "holidays": holidays.get(row.id, []),
            })
            for row in rows
        ]


def parse_rule_edit(key: str, value: Any) -> Any:
    field = FIELD_BY_KEY.get(key)
    if field is None:
        raise InputError(f"{key} cannot be edited.")
    return field.parse(value)


def save_rule_edit(db: Database, row: RuleSetRow, key: str, value: Any) -> bool:
    """Validate and write one field of a rule set; False when nothing changed.

    Raises InputError (nothing written) or EditConflict (someone else changed the row).
    """
    parsed = parse_rule_edit(key, value)
    if row.values.get(key) == parsed:
        return False
    with db.write() as conn:
        # Holidays live in their own table; the rule set's version still moves with them.
        values: dict[str, Any] = {} if key == "holidays" else {key: parsed}
        try:
            update_versioned(conn, RULES_T, row.id, row.version, values)
        except EditConflict as conflict:
            conflict.mine = {key: parsed}
            raise
        if key == "holidays":
            now = utcnow()
            conn.execute(update(HOLIDAY_T)
                         .where(HOLIDAY_T.c.rule_set_id == row.id, HOLIDAY_T.c.deleted_at.is_(None))
                         .values(deleted_at=now, updated_at=now))
            for day in parsed:
                record = LabourHoliday(rule_set_id=row.id, day=day)
                conn.execute(HOLIDAY_T.insert().values(**{c.name: getattr(record, c.name)
                                                          for c in HOLIDAY_T.columns}))
    row.values[key] = parsed
    row.version += 1
    return True


def format_rule_value(key: str, value: Any) -> str:
    if value is None:
        return ""
    if key == "holidays":
        return ", ".join(day.isoformat() for day in value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return str(value)
