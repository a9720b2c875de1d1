"""How a person's hours on one day are paid under a labour rule set.

A call of ``hours`` is first raised to the minimum call, then split into
straight time (up to the overtime threshold), overtime (up to the double-time
threshold) and double time (the rest). The paid hours are weighted by the
multipliers, so cost = weighted hours × cost rate and price = weighted hours ×
bill rate. Example under "LVCC stagehands" (min 4 h, OT after 8 h at ×1.5, DT
after 12 h at ×2): 10 h → 8 straight + 2 overtime = 11 weighted hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.services.money import ZERO


@dataclass(frozen=True, slots=True)
class LabourRules:
    name: str = ""
    min_call_hours: Decimal = ZERO
    overtime_after_hours: Decimal | None = None
    overtime_multiplier: Decimal = Decimal("1.5")
    double_time_after_hours: Decimal | None = None
    double_time_multiplier: Decimal = Decimal(2)


STRAIGHT_TIME = LabourRules(name="Straight time")


@dataclass(frozen=True, slots=True)
class HourSplit:
    """One person's day: worked hours, and how the paid hours divide."""

    worked: Decimal
    straight: Decimal
    overtime: Decimal
    double_time: Decimal
    weighted: Decimal

    @property
    def paid(self) -> Decimal:
        return self.straight + self.overtime + self.double_time


def split_hours(hours: Decimal, rules: LabourRules = STRAIGHT_TIME) -> HourSplit:
    """Split one person's ``hours`` on one day into straight, overtime and double time."""
    if hours < 0:
        raise ValueError("hours cannot be negative")
    paid = max(hours, rules.min_call_hours) if hours > 0 else ZERO
    dt_after = rules.double_time_after_hours
    ot_after = rules.overtime_after_hours
    if dt_after is None:
        dt_after = paid
    if ot_after is None:
        ot_after = dt_after
    ot_after = min(ot_after, dt_after)
    straight = min(paid, ot_after)
    overtime = max(min(paid, dt_after) - ot_after, ZERO)
    double_time = max(paid - dt_after, ZERO)
    weighted = (
        straight
        + overtime * rules.overtime_multiplier
        + double_time * rules.double_time_multiplier
    )
    return HourSplit(hours, straight, overtime, double_time, weighted)
