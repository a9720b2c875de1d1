"""The open estimate's equipment against the stock, as the production pane shows it: each line's
``free / owned`` cell and its sentence, the footer's "Short: 352 × 500 mm LED panel (292 if
tentative holds are lost)", and for an add-on or an unchosen alternative "if chosen: short 6 × LED
processor, sub-hire $840.00".

:class:`EquipmentWatch` keeps it current: the stock, the other projects' holds and the sub-rental
rates are read once and again when the document reloads (others' changes arrive that way, on the
window's poll); a change of the document itself only marks the figures stale, and they are worked
out again (one call for the whole estimate) the next time they are asked for. Internal figures:
nothing here is client-facing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from decimal import Decimal

from app.models.enums import LineKind
from app.services.equipment.availability import (
    Availability,
    EstimateAvailability,
    HoldIndex,
    Stock,
    estimate_availability,
    hold_index,
)
from app.services.equipment.rates import Rate, load_rates, subhire_cost
from app.services.estimate.document import PARAMETER_CHANGES, Change, ChangeKind, EstimateDocument, LineRow
from app.services.money import ZERO, format_money, format_number
from app.services.storage.errors import StorageError

NO_RATE = "no sub-rental rate"
_ONE_LINE = frozenset({ChangeKind.LINE_CHANGED, ChangeKind.LINE_INSERTED, ChangeKind.LINE_REMOVED})
_MANY_LINES = frozenset({ChangeKind.LINES_RECALCULATED, ChangeKind.ALTERNATIVES_CHANGED})


@dataclass(frozen=True, slots=True)
class LineAvailability:
    """What the production pane shows for one equipment line with stock.

    A ``counted`` line (in the total) is short when its item is. For an add-on or an unchosen
    alternative, ``availability`` is its item's were it chosen (its need added, its chosen
    alternative's taken away): it is short when choosing it leaves the item ``added_short`` shorter
    than now, which a sub-hire of ``subhire`` would cover (None: no supplier has a rate).
    """

    availability: Availability
    counted: bool
    added_short: Decimal = ZERO
    subhire: Decimal | None = None

    @property
    def short(self) -> bool:
        return self.availability.short > 0 if self.counted else self.added_short > 0

    def cell(self) -> str:
        return self.availability.cell()

    def if_chosen(self, currency: str) -> str:
        """ "if chosen: short 6 × LED processor, sub-hire $840.00", or "" when it adds no shortage
        ("short 6 more" when the item is short already)."""
        if self.counted or self.added_short <= 0:
            return ""
        more = " more" if self.availability.short > self.added_short else ""
        cost = NO_RATE if self.subhire is None else f"sub-hire {format_money(self.subhire, currency)}"
        name = self.availability.stock.name
        return f"if chosen: short {format_number(self.added_short)}{more} × {name}, {cost}"

    def tooltip(self, currency: str) -> str:
        explained = self.availability.explain()
        if self.counted:
            return explained
        said = self.if_chosen(currency)
        if said:
            return f"{said[0].upper()}{said[1:]}\n{explained}"
        if self.availability.short > 0:
            return f"If chosen, no shorter than now:\n{explained}"
        return f"If chosen, it fits:\n{explained}"


def _released(doc: EstimateDocument, line: LineRow, stock: Stock, index: HoldIndex) -> Decimal:
    """What choosing an unchosen alternative gives back: its group's chosen line, when that one
    needs the same item."""
    if not line.alternative_group or line.optional:
        return ZERO
    chosen = doc.chosen_alternative(line.alternative_group)
    if chosen is None or chosen.id == line.id or not doc.counts_in_total(chosen):
        return ZERO
    if chosen.kind is not LineKind.EQUIPMENT or chosen.catalog_item_id is None:
        return ZERO
    if index.by_catalog_item.get(chosen.catalog_item_id) != stock:
        return ZERO
    return max(chosen.quantity, ZERO)


def line_availability(
    index: HoldIndex,
    doc: EstimateDocument,
    found: EstimateAvailability,
    rates: dict[uuid.UUID, list[Rate]],
    line_id: uuid.UUID,
) -> LineAvailability | None:
    """What one line's availability cell shows (None: no stock sells it)."""
    counted = found.lines.get(line_id)
    if counted is not None:
        return LineAvailability(counted, True)
    a = found.if_chosen.get(line_id)
    if a is None:
        return None
    line = doc.line(line_id)
    quantity = max(line.quantity, ZERO)
    now = replace(a, needed=a.needed - quantity)  # the item's need in the total, without this line
    chosen = replace(a, needed=now.needed + quantity - _released(doc, line, a.stock, index))
    added = max(chosen.short - now.short, ZERO)
    cost = subhire_cost(rates, a.stock.id, added, line.days) if added > 0 else None
    return LineAvailability(chosen, False, added, cost)


def shortage_sentence(found: EstimateAvailability) -> str:
    """ "Short: 352 × 500 mm LED panel (292 if tentative holds are lost)", item after item; "" if none."""
    parts = []
    for a in found.shortages:
        text = f"{format_number(a.short)} × {a.stock.name}"
        if a.tentative_matters:
            lost = "none" if a.short_confirmed == 0 else format_number(a.short_confirmed)
            text += f" ({lost} if tentative holds are lost)"
        parts.append(text)
    return "Short: " + "; ".join(parts) if parts else ""


class EquipmentWatch:
    """One open estimate's equipment availability, kept current (see the module's docstring)."""

    def __init__(self, doc: EstimateDocument) -> None:
        self.doc = doc
        self.index = HoldIndex({}, [])
        self.rates: dict[uuid.UUID, list[Rate]] = {}
        self.problem = ""  # why the stock could not be read last time ("" when it was)
        self._found = EstimateAvailability(None, {}, {})
        self._shown: dict[uuid.UUID, LineAvailability | None] = {}  # made when a cell asks
        self._stale = True
        self.read()

    def read(self) -> None:
        """The stock, every other project's holds and the sub-rental rates, from the database.

        A failed read keeps what was known (and says why in ``problem``): the next reload tries again.
        """
        try:
            index = hold_index(self.doc.db)
            with self.doc.db.read() as conn:
                rates = load_rates(conn)
        except StorageError as error:
            self.problem = str(error)
            return
        self.index, self.rates, self.problem = index, rates, ""
        self._stale = True

    @property
    def has_stock(self) -> bool:
        return bool(self.index.by_catalog_item)

    def follow(self, change: Change) -> bool:
        """Take a document change; True when the figures may have moved (they are then stale)."""
        if change.before or change.kind in PARAMETER_CHANGES:
            return False
        if change.kind is ChangeKind.RESET:
            self.read()
        elif not self.has_stock:
            return False
        elif change.kind in _ONE_LINE:
            if not self._concerns(change.row_id):
                return False
        elif change.kind in _MANY_LINES and not any(self._concerns(i) for i in change.row_ids):
            return False
        self._stale = True
        return True

    def _concerns(self, line_id: uuid.UUID | None) -> bool:
        """A line shown with stock before, or one that needs stock now (a removed one was shown)."""
        if line_id is None or line_id in self._found.lines or line_id in self._found.if_chosen:
            return True
        if not self.doc.has_line(line_id):
            return False
        line = self.doc.line(line_id)
        return (
            line.kind is LineKind.EQUIPMENT
            and line.catalog_item_id is not None
            and line.catalog_item_id in self.index.by_catalog_item
        )

    def _fresh(self) -> None:
        if self._stale:
            self._stale = False
            self._found = estimate_availability(self.index, self.doc)
            self._shown = {}

    @property
    def found(self) -> EstimateAvailability:
        self._fresh()
        return self._found

    def stocked_ids(self) -> set[uuid.UUID]:
        """The lines with an availability cell (stock sells them)."""
        found = self.found
        return found.lines.keys() | found.if_chosen.keys()

    def shown_keys(self) -> dict[uuid.UUID, tuple[object, ...]]:
        """Per line with a cell, what its text and colour follow from: when a key is unchanged, so is
        the cell (cheaper than making every cell: a line's edit moves the figures of its whole item)."""
        found = self.found
        keys: dict[uuid.UUID, tuple[object, ...]] = {
            line_id: (a.free, a.stock.owned, a.short > 0) for line_id, a in found.lines.items()
        }
        for line_id in found.if_chosen:
            shown = self.line(line_id)
            keys[line_id] = (shown.cell(), shown.short) if shown else ()
        return keys

    @property
    def lines(self) -> dict[uuid.UUID, LineAvailability]:
        """Every line with an availability cell → what it shows."""
        return {line_id: shown for line_id in self.stocked_ids() if (shown := self.line(line_id))}

    def line(self, line_id: uuid.UUID) -> LineAvailability | None:
        """What one line's cell shows (None: no stock sells it); made the first time it is asked for."""
        self._fresh()
        if line_id not in self._shown:
            self._shown[line_id] = line_availability(self.index, self.doc, self._found, self.rates, line_id)
        return self._shown[line_id]

    def shortage_sentence(self) -> str:
        return shortage_sentence(self.found)

    def if_chosen_sentences(self) -> list[str]:
        """One "if chosen: …" per add-on or unchosen alternative that would make its item short."""
        currency = self.doc.header.currency
        said = (self.line(line_id) for line_id in self.found.if_chosen)
        return [text for shown in said if shown and (text := shown.if_chosen(currency))]
