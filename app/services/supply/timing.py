"""When an order must go out: need-by = load-in − transit, order-by = need-by − lead time.

A supplier that works every day counts calendar days. One that works weekdays only
(``Supplier.weekdays_only``) counts working days, Monday to Friday, and a date that would fall
on a weekend is the Friday before: it neither ships, receives an order nor delivers on a
Saturday. These are the only date sums orders, the validity guard and the deadlines use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

_DAY = timedelta(days=1)


def working_day_on_or_before(day: date) -> date:
    """``day``, or the Friday before when it is a Saturday or a Sunday."""
    while day.weekday() >= 5:
        day -= _DAY
    return day


def days_before(day: date, days: int, *, weekdays_only: bool = False) -> date:
    """The date ``days`` before ``day``: calendar days, or working days for a weekdays-only supplier.

    Working days: the count starts from the working day on or before ``day`` and steps over
    every Saturday and Sunday, so Monday − 1 is the Friday before and Saturday − 0 is Friday.
    """
    if days < 0:
        raise ValueError("days before a date cannot be negative")
    if not weekdays_only:
        return day - timedelta(days=days)
    day = working_day_on_or_before(day)
    weeks, rest = divmod(days, 5)
    day -= timedelta(weeks=weeks)
    for _ in range(rest):
        day = working_day_on_or_before(day - _DAY)
    return day


@dataclass(frozen=True, slots=True)
class Timing:
    """A supplier's times for one order or line: lead time (from order to dispatch) and transit
    (from dispatch to the venue), both in days, counted as ``weekdays_only`` says."""

    lead_days: int = 0
    transit_days: int = 0
    weekdays_only: bool = False

    def need_by(self, load_in: date) -> date:
        """The day it must leave the supplier to arrive by load-in."""
        return days_before(load_in, self.transit_days, weekdays_only=self.weekdays_only)

    def order_by(self, load_in: date) -> date:
        """The last day to place the order (need-by − lead time)."""
        return days_before(self.need_by(load_in), self.lead_days, weekdays_only=self.weekdays_only)
