"""What a user may type into an estimate's cells: each editable field's label and parser.

A parser turns typed text into a value or raises InputError with the message to show;
:mod:`app.services.estimate.document` applies the result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from app.models.enums import CallPhase, LineKind, PriceBasis
from app.services.bounds import ESTIMATE_LIMITS, LINE_LIMITS
from app.services.values import (
    InputError,
    flag,
    optional_id,
    parse_date,
    parse_decimal,
    parse_text,
    parse_time,
)


@dataclass(frozen=True, slots=True)
class _Spec:
    label: str
    parse: Callable[[Any], Any]


def _decimal(label: str, **kwargs: Any) -> _Spec:
    return _Spec(label, lambda v: parse_decimal(v, label, **kwargs))


def _text(label: str, max_length: int, required: bool = False, multiline: bool = False) -> _Spec:
    return _Spec(label, lambda v: parse_text(v, label, max_length=max_length, required=required,
                                             multiline=multiline))


def _choice(label: str, enum: type[StrEnum]) -> _Spec:
    def parse(value: Any) -> Any:
        try:
            return enum(value)
        except ValueError:
            choices = ", ".join(member.value for member in enum)  # type: ignore[attr-defined]
            raise InputError(f"{label} must be one of: {choices}.") from None

    return _Spec(label, parse)


def _flag(label: str) -> _Spec:
    return _Spec(label, flag(label))


def _optional_id(label: str) -> _Spec:
    return _Spec(label, optional_id(label))


def _phase(label: str) -> _Spec:
    by_text = {p.value: p.value for p in CallPhase}
    by_text.update({p.label.lower(): p.value for p in CallPhase})
    by_text.update({p.value.replace("_", " "): p.value for p in CallPhase})
    by_text.update({p.label.lower().replace("-", " "): p.value for p in CallPhase})

    def parse(value: Any) -> str:
        text = "" if value is None else str(value).strip().lower()
        if text == "":
            return ""
        if text not in by_text:
            choices = ", ".join(p.label for p in CallPhase)
            raise InputError(f"{label} must be one of: {choices} (or empty).")
        return by_text[text]

    return _Spec(label, parse)


PCT = {"percent": True, "places": 4}
# An amount or a quantity: 1.5k and 2m are read (not days, hours or percentages: 2m is not 2 months).
AMOUNT = {"shorthand": True}
# How each numeric line figure is read: its decimal places, whether it may be empty, and its
# label and bounds from app.services.bounds. The Excel import reads its numbers by these too.
LINE_NUMBERS: dict[str, dict[str, Any]] = {
    name: {**LINE_LIMITS[name].kwargs(), "places": 4, **extra}
    for name, extra in {
        "quantity": AMOUNT,
        "days": {"places": 2},
        "hours": {"places": 2, "allow_empty": True},
        "unit_cost": AMOUNT,
        "unit_price": AMOUNT,
        "markup_pct": {},
        "margin_pct": {},
        "price_override": {"places": 2, "allow_empty": True, **AMOUNT},
        "range_low_pct": {"allow_empty": True},
        "range_high_pct": {"allow_empty": True},
        "range_low": {"places": 2, "allow_empty": True, **AMOUNT},
        "range_high": {"places": 2, "allow_empty": True, **AMOUNT},
    }.items()
}


def _figure(name: str) -> _Spec:
    return _decimal(LINE_LIMITS[name].label, **LINE_NUMBERS[name])


LINE_FIELDS: dict[str, _Spec] = {
    "kind": _choice("Kind", LineKind),
    "description": _text("Description", 500),
    "client_description": _text("Client description", 500),
    "quantity": _figure("quantity"),
    "unit": _text("Unit", 20),
    "days": _figure("days"),
    "hours": _figure("hours"),
    "unit_cost": _figure("unit_cost"),
    "markup_pct": _figure("markup_pct"),
    "unit_price": _figure("unit_price"),
    "margin_pct": _figure("margin_pct"),
    "price_override": _figure("price_override"),
    "optional": _flag("Optional"),
    "supplier_id": _optional_id("Supplier"),
    "role_id": _optional_id("Role"),
    "labour_rule_set_id": _optional_id("Labour rules"),
    "catalog_item_id": _optional_id("Catalog item"),
    "phase": _phase("Phase"),
    "call_date": _Spec("Date", lambda v: parse_date(v, "Date")),
    "start_time": _Spec("Start", lambda v: parse_time(v, "Start")),
    "end_time": _Spec("End", lambda v: parse_time(v, "End")),
    "quantity_formula": _text("Quantity formula", 500),
    "days_formula": _text("Days formula", 500),
    "range_low_pct": _figure("range_low_pct"),
    "range_high_pct": _figure("range_high_pct"),
    "range_low": _figure("range_low"),
    "range_high": _figure("range_high"),
    "alternative_group": _text("Alternative group", 100),
    "alternative_chosen": _flag("Chosen alternative"),
}
SECTION_FIELDS: dict[str, _Spec] = {
    "name": _text("Section name", 200, required=True),
    "client_description": _text("Client description", 2000, multiline=True),
    "optional": _flag("Optional"),
    "range_low_pct": _figure("range_low_pct"),
    "range_high_pct": _figure("range_high_pct"),
}
PARAMETER_FIELDS: dict[str, _Spec] = {
    "name": _text("Parameter name", 64, required=True),
    "value": _decimal("Value", minimum=None, places=6, **AMOUNT),
    "formula": _text("Formula", 500),
    "unit": _text("Unit", 20),
    "description": _text("Description", 200),
}
# Typing one of these in a line's quantity or days column starts a formula.
FORMULA_OF = {"quantity": "quantity_formula", "days": "days_formula"}
ESTIMATE_FIELDS: dict[str, _Spec] = {
    "name": _text("Estimate name", 200, required=True),
    "notes": _text("Notes", 10000, multiline=True),
    **{name: _decimal(limit.label, **{**limit.kwargs(), **PCT}) for name, limit in ESTIMATE_LIMITS.items()},
    "show_contingency_line": _flag("Show contingency as a line"),
    "show_budget_range": _flag("Print the budget range"),
}
# Editing one of these makes it the line's price basis.
BASIS_OF_FIELD = {
    "markup_pct": PriceBasis.MARKUP,
    "unit_price": PriceBasis.UNIT_PRICE,
    "margin_pct": PriceBasis.MARGIN,
}

