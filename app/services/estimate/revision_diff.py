"""What changed between two revisions of a quote (or a revision and the estimate as it is now):
totals first, then the estimate's terms, parameters, sections and lines, from the snapshots
:mod:`app.services.estimate.revisions` stores with every quote sent."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from app.services.estimate.fields import ESTIMATE_FIELDS, LINE_FIELDS, SECTION_FIELDS
from app.services.money import ZERO

# The estimate totals a snapshot keeps, in the order a reader expects them.
TOTAL_LABELS: dict[str, str] = {
    "subtotal": "Subtotal",
    "contingency": "Contingency",
    "discount": "Discount",
    "net": "Net",
    "tax": "Tax",
    "total": "Total",
    "cost": "Cost",
    "margin": "Margin",
    "optional_price": "Optional add-ons",
}
# Computed per line; compared like fields, labelled here because they are not editable columns.
LINE_COMPUTED_LABELS: dict[str, str] = {
    "cost": "Line cost",
    "price": "Line price",
    "overridden": "Price overridden",
    "counts_in_total": "In total",
    "supplier": "Supplier",
    "role": "Role",
}
# Header fields a snapshot taken before they existed lacks, with the value that quote had: a quote
# sent before schema 0006 showed contingency as a line and printed its budget range.
_HEADER_BEFORE = {"show_contingency_line": True, "show_budget_range": True}
# Line fields a snapshot taken before schema 0007 lacks, with the value every line had then.
_LINE_BEFORE = {"shows_components": False, "supplier_quote_item_id": None}
# Ids a person cannot read; their names (supplier, role) are compared instead (links to other
# lines: what the client reads of them shows in the price and wording of the lines themselves; the
# quote item followed shows in the unit cost).
_LINE_SKIP_IN_DIFF = frozenset({"supplier_id", "role_id", "labour_rule_set_id", "catalog_item_id",
                                "kit_line_id", "subrental_of_id", "supplier_quote_item_id"})

# -- differences ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldChange:
    name: str
    label: str
    old: Any
    new: Any


@dataclass(frozen=True, slots=True)
class TotalChange:
    name: str
    label: str
    old: Decimal
    new: Decimal

    @property
    def delta(self) -> Decimal:
        return self.new - self.old

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass(frozen=True, slots=True)
class LineEntry:
    """A line that is only on one side: what it was (or is) and where."""

    line_id: str
    description: str
    section: str
    price: Decimal
    values: dict[str, Any]


@dataclass(frozen=True, slots=True)
class LineChange:
    """A line on both sides that differs: changed fields and/or a move."""

    line_id: str
    description: str
    section: str
    changes: tuple[FieldChange, ...]
    moved: bool = False
    old_section: str = ""
    old_price: Decimal = ZERO
    new_price: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class SectionChange:
    section_id: str
    name: str
    status: str  # "added", "removed", "changed", "moved"
    changes: tuple[FieldChange, ...] = ()


@dataclass(frozen=True, slots=True)
class RevisionDiff:
    totals: list[TotalChange]
    header: list[FieldChange] = field(default_factory=list)
    parameters: list[FieldChange] = field(default_factory=list)  # label = the parameter's name
    sections: list[SectionChange] = field(default_factory=list)
    added: list[LineEntry] = field(default_factory=list)
    removed: list[LineEntry] = field(default_factory=list)
    changed: list[LineChange] = field(default_factory=list)

    @property
    def moved(self) -> list[LineChange]:
        return [c for c in self.changed if c.moved]

    @property
    def changed_totals(self) -> list[TotalChange]:
        return [t for t in self.totals if t.changed]

    @property
    def is_empty(self) -> bool:
        return not (self.changed_totals or self.header or self.parameters or self.sections or self.added
                    or self.removed or self.changed)


def _label(name: str, specs: dict[str, Any]) -> str:
    spec = specs.get(name)
    if spec is not None:
        return str(spec.label)
    return LINE_COMPUTED_LABELS.get(name) or name.replace("_", " ").capitalize()


def _field_changes(old: dict[str, Any], new: dict[str, Any], specs: dict[str, Any],
                   skip: frozenset[str]) -> tuple[FieldChange, ...]:
    """Fields that differ, in the newer snapshot's order (then any the newer one dropped)."""
    names = [*new, *(k for k in old if k not in new)]
    return tuple(
        FieldChange(name, _label(name, specs), old.get(name), new.get(name))
        for name in names
        if name not in skip and old.get(name) != new.get(name)
    )


def _line_name(line: dict[str, Any]) -> str:
    return str(line.get("description") or line.get("client_description") or line.get("kind") or "Line")


def _dec(value: Any) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else ZERO


def _moved_in_place(old_order: list[str], new_order: list[str]) -> set[str]:
    """Lines whose order among the lines both sides share changed (fewest possible marked)."""
    matcher = difflib.SequenceMatcher(a=old_order, b=new_order, autojunk=False)
    kept = {old_order[block.a + k] for block in matcher.get_matching_blocks() for k in range(block.size)}
    return set(old_order) - kept


def diff_snapshots(old: dict[str, Any], new: dict[str, Any]) -> RevisionDiff:
    """What changed from ``old`` to ``new``: totals, header, sections and lines, matched by id.

    Internal fields (cost, supplier, rates) are compared too: this is the team's view.
    """
    old_totals, new_totals = old.get("totals", {}), new.get("totals", {})
    totals = [
        TotalChange(name, label, _dec(old_totals.get(name)), _dec(new_totals.get(name)))
        for name, label in TOTAL_LABELS.items()
    ]
    # The quote number is the revisions' own bookkeeping (given on the first send), not an edit.
    header = list(_field_changes({**_HEADER_BEFORE, **old.get("header", {})},
                                 {**_HEADER_BEFORE, **new.get("header", {})}, ESTIMATE_FIELDS,
                                 frozenset({"estimate_id", "quote_number", "based_on_id"})))
    parameters = _parameter_changes(old.get("parameters", []), new.get("parameters", []))

    old_sections = {s["id"]: s for s in old.get("sections", [])}
    new_sections = {s["id"]: s for s in new.get("sections", [])}
    section_name = {**{k: s.get("name", "") for k, s in old_sections.items()},
                    **{k: s.get("name", "") for k, s in new_sections.items()}}
    sections: list[SectionChange] = []
    shared_sections = [k for k in old_sections if k in new_sections]
    moved_sections = _moved_in_place(shared_sections, [k for k in new_sections if k in old_sections])
    for sid, sec in new_sections.items():
        if sid not in old_sections:
            sections.append(SectionChange(sid, sec.get("name", ""), "added"))
            continue
        changes = _field_changes(old_sections[sid], sec, SECTION_FIELDS, frozenset({"id"}))
        if changes or sid in moved_sections:
            status = "changed" if changes else "moved"
            sections.append(SectionChange(sid, sec.get("name", ""), status, changes))
    for sid, sec in old_sections.items():
        if sid not in new_sections:
            sections.append(SectionChange(sid, sec.get("name", ""), "removed"))

    old_lines = {line["id"]: line for line in old.get("lines", [])}
    new_lines = {line["id"]: line for line in new.get("lines", [])}
    moved: set[str] = set()
    for sid in {*old_sections, *new_sections}:
        stay_old = [k for k, v in old_lines.items() if v["section_id"] == sid and new_lines.get(k, {}).get(
            "section_id") == sid]
        stay_new = [k for k, v in new_lines.items() if v["section_id"] == sid and old_lines.get(k, {}).get(
            "section_id") == sid]
        moved |= _moved_in_place(stay_old, stay_new)
    skip = _LINE_SKIP_IN_DIFF | {"id", "section_id"}
    added = [
        LineEntry(k, _line_name(v), section_name.get(v["section_id"], ""), _dec(v.get("price")), v)
        for k, v in new_lines.items() if k not in old_lines
    ]
    removed = [
        LineEntry(k, _line_name(v), section_name.get(v["section_id"], ""), _dec(v.get("price")), v)
        for k, v in old_lines.items() if k not in new_lines
    ]
    changed: list[LineChange] = []
    for k, v in new_lines.items():
        before = old_lines.get(k)
        if before is None:
            continue
        changes = _field_changes({**_LINE_BEFORE, **before}, {**_LINE_BEFORE, **v}, LINE_FIELDS, skip)
        was_moved = k in moved or before["section_id"] != v["section_id"]
        if changes or was_moved:
            changed.append(LineChange(
                k, _line_name(v), section_name.get(v["section_id"], ""), changes, was_moved,
                section_name.get(before["section_id"], ""), _dec(before.get("price")), _dec(v.get("price")),
            ))
    return RevisionDiff(totals, header, parameters, sections, added, removed, changed)


def _parameter_changes(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[FieldChange]:
    """Parameters matched by id: a new value or formula reads "screen_length_ft: 160 → 80"."""
    before = {p.get("id"): p for p in old}
    after = {p.get("id"): p for p in new}
    out: list[FieldChange] = []
    for pid, p in after.items():
        was = before.get(pid, {})
        name = str(p.get("name", ""))
        if was.get("name") not in (None, name):
            out.append(FieldChange("name", f"{name} (renamed)", was.get("name"), name))
        if was.get("value") != p.get("value"):
            out.append(FieldChange("value", name, was.get("value"), p.get("value")))
        if was.get("formula", "") != p.get("formula", ""):
            out.append(FieldChange("formula", f"{name} formula", was.get("formula"), p.get("formula")))
    for pid, p in before.items():
        if pid not in after:
            out.append(FieldChange("value", str(p.get("name", "")), p.get("value"), None))
    return out
