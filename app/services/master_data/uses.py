"""Who uses a master-data row: the live rows of other tables that refer to rows by key, and how they
are named in the refusal of a delete — “Project › Estimate” for lines (and a line's candidate quotes,
which count while the line is live), crew members by name, else a row's own name.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.engine import Connection

from app.models import metadata


@dataclass(frozen=True, slots=True)
class Use:
    """Live rows of one table that use a row: how many, and a few of them by name."""

    what: tuple[str, str]  # ("estimate line", "estimate lines")
    count: int
    examples: tuple[str, ...]  # a few of them, or the places they are in
    more: bool = False  # more than these

    def __str__(self) -> str:
        noun = self.what[0] if self.count == 1 else self.what[1]
        shown = f" ({', '.join(self.examples)}{', …' if self.more else ''})" if self.examples else ""
        return f"{self.count} {noun}{shown}"


_USERS: dict[str, tuple[tuple[str, str], str | None]] = {
    "lineitem": (("estimate line", "estimate lines"), None),
    "catalogitem": (("catalog item", "catalog items"), "name"),
    "project": (("project", "projects"), "name"),
    "crewrole": (("crew member", "crew members"), None),
    "crewassignment": (("crew assignment", "crew assignments"), None),
    "contact": (("contact", "contacts"), "name"),
    "estimate": (("estimate", "estimates"), "name"),
    "kitcomponent": (("kit component", "kit components"), None),
    "equipmentitem": (("stock item", "stock items"), "name"),
    "subrentalrate": (("sub-rental rate", "sub-rental rates"), None),
    "supplierquote": (("supplier quote", "supplier quotes"), "number"),
    "linequotecandidate": (("line's candidate quote", "lines' candidate quotes"), None),
}


def _line_places(conn: Connection, ids: list[uuid.UUID]) -> list[str]:
    """“Project › Estimate” for lines, each place once."""
    tables = metadata.tables
    line, section, estimate, project = (tables[n] for n in ("lineitem", "section", "estimate", "project"))
    rows = conn.execute(
        select(project.c.name, estimate.c.name)
        .select_from(line.join(section, line.c.section_id == section.c.id)
                     .join(estimate, section.c.estimate_id == estimate.c.id)
                     .join(project, estimate.c.project_id == project.c.id))
        .where(line.c.id.in_(ids)).order_by(project.c.name, estimate.c.name)
    )
    return list(dict.fromkeys(f"{p} › {e}" for p, e in rows))


def _crew_names(conn: Connection, table: Table, ids: list[uuid.UUID]) -> list[str]:
    member = metadata.tables["crewmember"]
    joined = table.join(member, table.c.crew_member_id == member.c.id)
    rows = conn.execute(select(member.c.name).select_from(joined)
                        .where(table.c.id.in_(ids)).order_by(member.c.name))
    return list(dict.fromkeys(str(n) for n in rows.scalars()))


def live(table: Table) -> Any:
    return table.c.deleted_at.is_(None) if "deleted_at" in table.c else True


def users_by_key(conn: Connection, target: Table, target_ids: list[uuid.UUID], owned: set[tuple[str, str]],
           examples: int) -> list[Use]:
    """The live rows of other tables that refer by key to one of ``target_ids`` of ``target``; a row
    that belongs to a line counts while its line is live (a deleted line's candidate quote does not)."""
    line = metadata.tables["lineitem"]
    found = []
    for table in metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is not target or fk.parent.table is target:
                continue
            if (table.name, fk.parent.name) in owned:
                continue
            users = select(table.c.id).where(fk.parent.in_(target_ids), live(table))
            if table.name == "linequotecandidate":
                users = users.join(line, line.c.id == table.c.line_item_id).where(line.c.deleted_at.is_(None))
            ids = list(conn.execute(users).scalars())
            if ids:
                found.append(_use(conn, table, ids, examples))
    return found


def _use(conn: Connection, table: Table, ids: list[uuid.UUID], examples: int) -> Use:
    what, name_column = _USERS.get(table.name, ((f"{table.name} row", f"{table.name} rows"), None))
    if table.name == "lineitem":
        places = _line_places(conn, ids)
    elif table.name == "linequotecandidate":  # the estimates of the lines
        line_ids = list(conn.execute(select(table.c.line_item_id).where(table.c.id.in_(ids))).scalars())
        places = _line_places(conn, line_ids)
    elif "crew_member_id" in table.c:
        places = _crew_names(conn, table, ids)
    elif name_column is not None:
        places = [str(n) for n in conn.execute(select(table.c[name_column]).where(table.c.id.in_(ids))
                                               .order_by(table.c[name_column])).scalars()]
    else:
        places = []
    return Use(what, len(ids), tuple(places[:examples]), len(places) > examples)
