"""What an import reads, before it is written: the imported estimate, its sections and row problems."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Any

from app.models.enums import LineKind, PriceBasis
from app.services.bounds import LineProblem, check_line
from app.services.estimate.pricing import LinePrice, LineTerms, PriceRange

NAME_MAX = 200
DEFAULT_SECTION = "General"


class ImportFailed(Exception):
    """The file cannot be imported; ``str(error)`` is the one-line reason for the user."""


class ImportCancelled(ImportFailed):
    """The user cancelled a long read; nothing was written."""

    def __init__(self) -> None:
        super().__init__("Import cancelled; nothing was imported.")


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row that could not be read (``skipped``) or was read with a caveat (a note)."""

    row_number: int
    reason: str
    skipped: bool = True

    def __str__(self) -> str:
        return f"row {self.row_number}: {self.reason}"


@dataclass(slots=True)
class ImportedSection:
    name: str
    client_description: str = ""
    optional: bool = False
    range_low_pct: Decimal | None = None
    range_high_pct: Decimal | None = None
    # Each line is a dict of LineItem column values, links by name ("supplier": "SkyPoint Rigging"),
    # plus "row_number" (where it came from).
    lines: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class ImportedEstimate:
    """An estimate read from a workbook, not yet in any database."""

    name: str
    sections: list[ImportedSection] = field(default_factory=list)
    parameters: list[dict[str, Any]] = field(default_factory=list)
    settings: dict[str, Decimal] = field(default_factory=dict)
    choices: dict[str, bool] = field(default_factory=dict)  # the quote's: tandem_sheets.QUOTE_CHOICES
    notes_text: str = ""
    source: str = "tandem"  # or "mapped": a foreign sheet through a column mapping
    total_price: Decimal | None = None  # as written by the exporter, for the summary only
    total_cost: Decimal | None = None
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def line_count(self) -> int:
        return sum(len(s.lines) for s in self.sections)



_TERMS = tuple(f.name for f in fields(LineTerms) if f.name not in {"kind", "price_basis"})


def checked_line(line: dict[str, Any]) -> tuple[LinePrice, LineProblem | None]:
    """A line's values priced, or why its figures are out of bounds (as the document would refuse them)."""
    terms = LineTerms(kind=LineKind(line.get("kind") or LineKind.EQUIPMENT.value),
                      price_basis=PriceBasis(line.get("price_basis") or PriceBasis.MARKUP.value),
                      **{name: line[name] for name in _TERMS if name in line})
    span = PriceRange(line.get("range_low_pct"), line.get("range_high_pct"), line.get("range_low"),
                      line.get("range_high"))
    return check_line(terms, price_range=span)
