"""Reading what availability counts from the database: the stock, every hold derived from the
counting estimates and the projects' status, the catalog kits. Re-exported by
:mod:`app.services.equipment.availability`, where callers take them.

Only the lines that can hold are read (equipment lines naming a catalog item, and every line of an
alternative group, whose choice decides), by position, each stored id parsed once.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import String, and_, or_, select, type_coerce
from sqlalchemy.engine import Connection

from app.models import EquipmentItem, Estimate, KitComponent, LineItem, Project, Section
from app.models.enums import LineKind
from app.services.equipment.holds import CONFIRMED_STATUSES, TENTATIVE_STATUSES, Hold, Stock
from app.services.money import ZERO
from app.services.projects.counting import ESTIMATE_ORDER, pick_counting

_ITEM = EquipmentItem.__table__  # type: ignore[attr-defined]
_P = Project.__table__  # type: ignore[attr-defined]
_E = Estimate.__table__  # type: ignore[attr-defined]
_S = Section.__table__  # type: ignore[attr-defined]
_L = LineItem.__table__  # type: ignore[attr-defined]
_KIT = KitComponent.__table__  # type: ignore[attr-defined]


def load_stock(conn: Connection) -> dict[uuid.UUID, Stock]:
    rows = conn.execute(select(_ITEM).where(_ITEM.c.deleted_at.is_(None)))
    return {
        r.id: Stock(
            r.id,
            r.name,
            r.category,
            r.owned_quantity,
            r.out_of_service_quantity,
            r.out_of_service_from,
            r.out_of_service_until,
            r.prep_days,
            r.return_days,
            r.day_cost,
            r.catalog_item_id,
        )
        for r in rows
    }


def stock_by_catalog_item(stock: Iterable[Stock]) -> dict[uuid.UUID, Stock]:
    """Catalog item → the stock it sells (the first by name when two name one item)."""
    by_item: dict[uuid.UUID, Stock] = {}
    for item in sorted(stock, key=lambda s: (s.name.lower(), s.id)):
        if item.catalog_item_id is not None:
            by_item.setdefault(item.catalog_item_id, item)
    return by_item


def project_span(*days: date | None) -> tuple[date, date] | None:
    """The first and last of the set days (load-in to strike), or None when none is set."""
    known = [d for d in days if d is not None]
    return (min(known), max(known)) if known else None


def counted_line_ids(lines: Iterable[tuple[uuid.UUID, str, bool, bool, bool]]) -> set[uuid.UUID]:
    """Lines that count in the total, from (id, alternative_group, alternative_chosen, line optional,
    section optional) in estimate order (see :func:`counts_in_total`)."""
    rows = list(lines)
    counts = counts_in_total([r[1:] for r in rows])
    return {row[0] for row, counted in zip(rows, counts, strict=True) if counted}


def counts_in_total(lines: list[tuple[str, bool, bool, bool]]) -> list[bool]:
    """For each line, from (alternative_group, alternative_chosen, line optional, section optional)
    in estimate order: does it count in the total? No add-on does, and of each alternative group the
    chosen line (the first marked chosen, else the group's first), as the estimate document counts."""
    first_marked: dict[str, int] = {}
    first: dict[str, int] = {}
    for n, (group, is_chosen, _, _) in enumerate(lines):
        if group:
            first.setdefault(group, n)
            if is_chosen:
                first_marked.setdefault(group, n)
    chosen = {**first, **first_marked}
    return [
        not line_optional and not section_optional and (not group or chosen[group] == n)
        for n, (group, _, line_optional, section_optional) in enumerate(lines)
    ]


_UNSEEN: Any = object()


def _uuids() -> Callable[[Any], Any]:
    """Read stored ids as the driver gives them (a UUID from a server, hex text from SQLite), each
    distinct one parsed once: 50,000 lines name only a few thousand items and estimates."""
    seen: dict[Any, uuid.UUID] = {}

    def read(raw: Any) -> Any:
        if raw is None or isinstance(raw, uuid.UUID):
            return raw
        found = seen.get(raw)
        if found is None:
            found = seen[raw] = uuid.UUID(hex=raw)
        return found

    return read


def load_holds(
    conn: Connection, stock: dict[uuid.UUID, Stock], statuses: Iterable[str] | None = None
) -> list[Hold]:
    """Every hold, from the counting estimate of each quoted, won or in-production project with dates
    (or of the projects in ``statuses``: the capacity outlook asks for leads and estimates too).

    Only the lines that can hold are read: equipment lines naming a catalog item, and every line of
    an alternative group (which of them is chosen decides whether its equipment line counts)."""
    holding = sorted(TENTATIVE_STATUSES | CONFIRMED_STATUSES if statuses is None else set(statuses))
    projects = {
        r.id: r
        for r in conn.execute(
            select(
                _P.c.id,
                _P.c.name,
                _P.c.status,
                _P.c.start_date,
                _P.c.show_start_date,
                _P.c.show_end_date,
                _P.c.end_date,
            ).where(_P.c.deleted_at.is_(None), _P.c.status.in_(holding))
        )
    }
    if not projects or not stock:
        return []
    estimates = conn.execute(
        select(_E.c.id, _E.c.project_id, _P.c.chosen_estimate_id)
        .join(_P, _E.c.project_id == _P.c.id)
        .where(_E.c.deleted_at.is_(None), _P.c.id.in_(list(projects)))
        .order_by(*ESTIMATE_ORDER)
    )
    project_of = {row.id: project for project, row in pick_counting(estimates).items()}
    by_catalog = stock_by_catalog_item(stock.values())
    read_id = _uuids()
    lines = conn.execute(
        select(
            type_coerce(_S.c.estimate_id, String).label("estimate"),
            type_coerce(_L.c.catalog_item_id, String).label("catalog"),
            _L.c.kind,
            _L.c.quantity,
            _L.c.alternative_group,
            _L.c.alternative_chosen,
            _L.c.optional,
            _S.c.optional.label("section_optional"),
        )
        .join(_S, _L.c.section_id == _S.c.id)
        .where(
            _L.c.deleted_at.is_(None),
            _S.c.deleted_at.is_(None),
            _S.c.estimate_id.in_(list(project_of)),
            or_(
                and_(_L.c.kind == LineKind.EQUIPMENT.value, _L.c.catalog_item_id.is_not(None)),
                _L.c.alternative_group != "",
            ),
        )
        .order_by(_S.c.estimate_id, _S.c.position, _S.c.id, _L.c.position, _L.c.id)
    )
    holds: list[Hold] = []
    equipment = LineKind.EQUIPMENT.value
    item_of: dict[Any, Stock | None] = {}  # by the stored catalog id, as read: no UUID parsed or hashed
    # By position: a Row's attributes by name cost more than the rest of the loop together.
    for raw_estimate, grouped in groupby(lines, key=itemgetter(0)):
        estimate_id = read_id(raw_estimate)
        p = projects[project_of[estimate_id]]
        span = project_span(p.start_date, p.show_start_date, p.show_end_date, p.end_date)
        if span is None:
            continue
        rows = list(grouped)
        needs: dict[uuid.UUID, Decimal] = defaultdict(lambda: ZERO)
        for (_, catalog, kind, quantity, *_), counted in zip(
            rows, counts_in_total([r[4:] for r in rows]), strict=True
        ):
            if counted and kind == equipment and quantity > 0:
                item = item_of.get(catalog, _UNSEEN)
                if item is _UNSEEN:
                    item = item_of[catalog] = by_catalog.get(read_id(catalog))
                if item is not None:
                    needs[item.id] += quantity
        for item_id, quantity in needs.items():
            first, last = stock[item_id].hold_span(*span)
            holds.append(Hold(item_id, p.id, p.name, p.status, estimate_id, first, last, quantity))
    return holds


def load_kit_components(conn: Connection) -> dict[uuid.UUID, dict[uuid.UUID, Decimal]]:
    """Kit (catalog item) → its components (catalog items) → how many of each one kit takes."""
    rows = conn.execute(
        select(_KIT.c.kit_id, _KIT.c.component_id, _KIT.c.quantity_per_kit).where(_KIT.c.deleted_at.is_(None))
    )
    kits: dict[uuid.UUID, dict[uuid.UUID, Decimal]] = defaultdict(dict)
    for row in rows:
        parts = kits[row.kit_id]
        parts[row.component_id] = parts.get(row.component_id, ZERO) + row.quantity_per_kit
    return dict(kits)
