"""The sweep under availability: how busy one item is on every day, as a step function.

The start and end of every hold of an item (and of its out-of-service period) are sorted once and
summed in order, which gives the level on each run of days between two events: counting every
hold, and counting confirmed holds only. The most busy over a span of days is then two bisections
and the largest level of the runs between them (a scan of the few runs that fall inside the span,
not of the days), so a question costs O(log n + runs in the span), whatever the span's length.

Days are ``date.toordinal()`` numbers; a hold covers ``first``–``last`` inclusive, so it ends
at ``last + 1``. Pure arithmetic on Decimal quantities: no database, no Qt.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

ZERO = Decimal(0)
BEFORE_ALL = 0  # before any date: date.min.toordinal() is 1
AFTER_ALL = date.max.toordinal() + 1

# (first day, last day inclusive, quantity, confirmed)
Span = tuple[int, int, Decimal, bool]


@dataclass(frozen=True, slots=True)
class Steps:
    """A step function over days: from ``starts[i]`` up to ``starts[i + 1]`` (exclusive) the level is
    ``levels[i]`` counting every hold and ``confirmed[i]`` counting confirmed ones. ``starts[0]`` is
    :data:`BEFORE_ALL`, so every day falls in one run."""

    starts: list[int]
    levels: list[Decimal]
    confirmed: list[Decimal]

    def at(self, day: int) -> tuple[Decimal, Decimal]:
        """The levels on one day."""
        i = bisect_right(self.starts, day) - 1
        return self.levels[i], self.confirmed[i]

    def peak(self, first: int, last: int) -> tuple[Decimal, Decimal]:
        """The highest levels on any day of ``first``–``last`` (inclusive): every hold, confirmed only."""
        i = bisect_right(self.starts, first) - 1
        j = bisect_right(self.starts, last)
        return max(self.levels[i:j]), max(self.confirmed[i:j])

    def runs(self, first: int, last: int) -> list[tuple[int, int, Decimal, Decimal]]:
        """The runs of days of one level within ``first``–``last``: (first, last, level, confirmed)."""
        i = bisect_right(self.starts, first) - 1
        j = bisect_right(self.starts, last)
        out = []
        for k in range(i, j):
            start = max(self.starts[k], first)
            end = min(self.starts[k + 1] - 1, last) if k + 1 < len(self.starts) else last
            out.append((start, end, self.levels[k], self.confirmed[k]))
        return out

    def peak_without(self, own: Steps, first: int, last: int) -> tuple[Decimal, Decimal]:
        """:meth:`peak` less ``own`` (a part of what this counts, e.g. one project's holds), exactly.

        ``own`` is constant between its own starts, so the span is cut there and each piece's peak
        is taken less ``own``'s level on it: max over days of (busy − own), not max busy − max own.
        """
        cuts = own.starts[bisect_right(own.starts, first) : bisect_right(own.starts, last)]
        best = best_confirmed = None
        start = first
        for end in [*(c - 1 for c in cuts), last]:
            if end < start:
                continue
            level, confirmed = self.peak(start, end)
            own_level, own_confirmed = own.at(start)
            level, confirmed = level - own_level, confirmed - own_confirmed
            if best is None or level > best:
                best = level
            if best_confirmed is None or confirmed > best_confirmed:
                best_confirmed = confirmed
            start = end + 1
        return best if best is not None else ZERO, best_confirmed if best_confirmed is not None else ZERO


def build_steps(spans: Iterable[Span]) -> Steps:
    """The step function of ``spans``: each adds its quantity from its first to its last day."""
    deltas: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for first, last, quantity, confirmed in spans:
        if last < first or quantity == 0:
            continue
        on, off = deltas[first], deltas[last + 1]
        on[0] += quantity
        off[0] -= quantity
        if confirmed:
            on[1] += quantity
            off[1] -= quantity
    starts, levels, confirmed_levels = [BEFORE_ALL], [ZERO], [ZERO]
    level = confirmed_level = ZERO
    for day in sorted(deltas):
        change, confirmed_change = deltas[day]
        level += change
        confirmed_level += confirmed_change
        if day == BEFORE_ALL:
            levels[0], confirmed_levels[0] = level, confirmed_level
        elif level != levels[-1] or confirmed_level != confirmed_levels[-1]:
            starts.append(day)
            levels.append(level)
            confirmed_levels.append(confirmed_level)
    return Steps(starts, levels, confirmed_levels)


def out_of_service_span(quantity: Decimal, since: date | None, until: date | None) -> Span:
    """An out-of-service period as a span counted at both levels (open-ended sides run to the ends)."""
    first = since.toordinal() if since is not None else BEFORE_ALL
    last = until.toordinal() if until is not None else AFTER_ALL - 1
    return first, last, quantity, True
