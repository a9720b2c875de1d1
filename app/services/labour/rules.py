"""Labour rule sets: minimum call, overtime, weekend and holiday rates — master data like the catalog.

Edited through app/services/master_data.py (:data:`RULE_SETS`): each field typed,
validated and saved on its own with a version check. Holidays are one field, a list of
dates kept in their own table: the rule set owns them, so a duplicate copies them. A rule
set that a project or a line uses is not deleted.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from app.models import LabourHoliday, LabourRuleSet
from app.models.types import utcnow
from app.services.master_data import FieldSpec, RecordKind, format_value, text
from app.services.values import InputError, parse_date, parse_decimal

RULES_T = LabourRuleSet.__table__  # type: ignore[attr-defined]
HOLIDAY_T = LabourHoliday.__table__  # type: ignore[attr-defined]


def _hours(label: str, required: bool = False) -> Any:
    return lambda v: parse_decimal(v, label, places=2, allow_empty=not required, maximum=Decimal(168))


def _multiplier(label: str) -> Any:
    return lambda v: parse_decimal(v, label, places=4, minimum=Decimal(1), maximum=Decimal(10))


def _minutes(value: Any) -> int:
    number = parse_decimal(value if value not in (None, "") else "0", "Meal break minutes", places=0,
                           maximum=Decimal(240))
    return int(number or 0)


def _holidays(value: Any) -> list[date]:
    if isinstance(value, list):
        return sorted(set(value))
    typed = "" if value is None else str(value)
    days: set[date] = set()
    for chunk in typed.replace(";", "\n").splitlines():
        try:  # "May 31, 2027" is one date; "2027-05-31, 2027-07-05" are two
            parts = [chunk] if parse_date(chunk, "Holiday") else []
        except InputError:
            parts = chunk.split(",")
        for part in parts:
            day = parse_date(part, "Holiday")
            if day is not None:
                days.add(day)
    return sorted(days)


def _read_holidays(conn: Connection) -> dict[uuid.UUID, list[date]]:
    holidays: dict[uuid.UUID, list[date]] = {}
    for rule_set_id, day in conn.execute(
        select(HOLIDAY_T.c.rule_set_id, HOLIDAY_T.c.day)
        .where(HOLIDAY_T.c.deleted_at.is_(None)).order_by(HOLIDAY_T.c.day)
    ):
        holidays.setdefault(rule_set_id, []).append(day)
    return holidays


def _write_holidays(conn: Connection, rule_set_id: uuid.UUID, days: list[date]) -> None:
    """The rule set's holidays become ``days``: the old rows tombstoned, one new row a day."""
    now = utcnow()
    conn.execute(update(HOLIDAY_T)
                 .where(HOLIDAY_T.c.rule_set_id == rule_set_id, HOLIDAY_T.c.deleted_at.is_(None))
                 .values(deleted_at=now, updated_at=now, version=HOLIDAY_T.c.version + 1))
    for day in days:
        record = LabourHoliday(rule_set_id=rule_set_id, day=day)
        conn.execute(HOLIDAY_T.insert().values(**{c.name: getattr(record, c.name)
                                                  for c in HOLIDAY_T.columns}))


def format_rule_number(value: Any) -> str:
    if isinstance(value, Decimal) and value == value.to_integral():
        return format(value.normalize(), "f")
    return format_value(value)


def _field(key: str, title: str, parse: Any, tip: str) -> FieldSpec:
    return FieldSpec(key, title, parse, format_rule_number, numeric=True, tip=tip)


RULE_SETS = RecordKind(
    model=LabourRuleSet,
    noun="labour rule set",
    fields=(
        FieldSpec("name", "Name", text("Name", 100, required=True)),
        _field("min_call_hours", "Minimum call (h)",
               lambda v: parse_decimal(v, "Minimum call", places=2, maximum=Decimal(24)),
               "Each person is paid at least this many hours on any day they work."),
        _field("overtime_after_hours", "OT after (h/day)", _hours("Overtime threshold"),
               "Hours a day after which time is overtime (empty: none)."),
        _field("overtime_multiplier", "OT ×", _multiplier("Overtime multiplier"),
               "Overtime pays this × straight."),
        _field("double_time_after_hours", "DT after (h/day)", _hours("Double-time threshold"),
               "Hours a day after which time is double time (empty: none)."),
        _field("double_time_multiplier", "DT ×", _multiplier("Double-time multiplier"),
               "Double time pays this × straight."),
        _field("weekly_overtime_after_hours", "Weekly OT after (h)", _hours("Weekly overtime threshold"),
               "Straight hours in a Mon–Sun week after which every hour is overtime."),
        _field("weekend_multiplier", "Weekend ×", _multiplier("Weekend multiplier"),
               "Saturday and Sunday: straight time × this; overtime pays the larger multiplier."),
        _field("holiday_multiplier", "Holiday ×", _multiplier("Holiday multiplier"),
               "Holidays (last column): straight time × this; overtime pays the larger."),
        _field("meal_break_after_hours", "Meal break after (h)", _hours("Meal break threshold"),
               "A day longer than this loses the unpaid meal break."),
        _field("meal_break_minutes", "Meal break (min)", _minutes, "Minutes of the unpaid meal break."),
        _field("min_turnaround_hours", "Turnaround (h)", _hours("Minimum turnaround"),
               "Minimum rest between two calls of one person (the crew calendar checks it)."),
        FieldSpec("holidays", "Holidays", _holidays, lambda v: ", ".join(d.isoformat() for d in v or ()),
                  tip="Dates paid at the holiday multiplier, e.g. 2027-05-31, 2027-07-05.",
                  write=_write_holidays, read=_read_holidays),
    ),
    children=((HOLIDAY_T, "rule_set_id"),),
)
RULE_FIELDS = RULE_SETS.fields
