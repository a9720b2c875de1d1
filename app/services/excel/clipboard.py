"""Lines and sections on the clipboard: Tandem rows (every column, to recreate them exactly) and
tab-separated text (a spreadsheet pastes it; rows a spreadsheet copied are read back through the
Excel import's column mapping, with its per-row problems).

Qt-free: the window puts :func:`encode` and :func:`to_tsv` on the clipboard under
:data:`MIME_TYPE` and as text, and gives back what it finds to :func:`decode` or :func:`from_tsv`.
:func:`paste_plan` says where the rows go in an open estimate (after the current line; a copied
section as a new section after the current one), with their links to suppliers, roles, labour
rules and catalog items checked against the estimate's database.
"""

from __future__ import annotations

import csv
import io
import json
import typing
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from sqlalchemy import select

from app.models.enums import LineKind, PriceBasis
from app.services.estimate.fields import LINE_FIELDS, SECTION_FIELDS
from app.services.estimate.rows import COPIED_ID, LINE_COLUMNS, LINK_COLUMNS, LineRow, SectionRow, relinked
from app.services.excel.imported import DEFAULT_SECTION, ImportFailed, RowProblem
from app.services.excel.importing import QUOTE_ITEMS, known_names, line_record
from app.services.excel.mapped_rows import read_text_rows
from app.services.excel.mapping import FIELD_LABELS, MAPPABLE_FIELDS, guess_header_row, guess_mapping
from app.services.excel.tandem_sheets import LINKS
from app.services.money import format_number
from app.services.supply.line_quotes import QUOTE_ITEM
from app.services.values import InputError

if typing.TYPE_CHECKING:
    from app.services.estimate.document import EstimateDocument

MIME_TYPE = "application/x-tandem-rows+json"
FORMAT = "tandem-rows"
FORMAT_VERSION = 1
SECTION_COLUMNS = ("name", "client_description", "optional", "range_low_pct", "range_high_pct")
PASTE_LINES_MAX = 1_000  # lines pasted at once (one transaction, one undo step: ~2 s at this size)
# The text a spreadsheet gets: the import's own field labels, so that it maps them back by itself.
TSV_FIELDS = tuple(name for name, _ in MAPPABLE_FIELDS)
_ID_OF_LINK = {link: id_column for link, id_column, _ in LINKS}
_COPIED_COLUMNS = (*LINE_COLUMNS, *LINK_COLUMNS, COPIED_ID)


class ClipboardError(InputError):
    """What is on the clipboard cannot be pasted here; ``str(error)`` is the one-line reason."""


@dataclass(slots=True)
class ClipBlock:
    """Lines that go together: into a new section (``section`` given) or among the current lines."""

    lines: list[dict[str, Any]]
    section: dict[str, Any] | None = None
    section_name: str = ""  # the section they come from (a spreadsheet's rows: the one they go into)


@dataclass(slots=True)
class Clip:
    """Rows read from the clipboard (or copied): blocks of lines, and the rows that were refused."""

    blocks: list[ClipBlock]
    source: str = "tandem"  # or "spreadsheet"
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def line_count(self) -> int:
        return sum(len(b.lines) for b in self.blocks)

    @property
    def section_count(self) -> int:
        return sum(1 for b in self.blocks if b.section is not None)

    def describe(self) -> str:
        """ "2 lines", "1 section (4 lines)"."""
        lines = _count(self.line_count, "line")
        if self.section_count:
            return f"{_count(self.section_count, 'section')} ({lines})"
        return lines


@dataclass(slots=True)
class PasteBlock:
    """Where one block goes: ``section_id`` at ``index`` (None: the end), or a new section at
    ``section_index`` made from ``new_section``; ``lines`` are the new lines' column values."""

    lines: list[dict[str, Any]]
    section_id: uuid.UUID | None = None
    index: int | None = None
    new_section: dict[str, Any] | None = None
    section_index: int | None = None


@dataclass(slots=True)
class PastePlan:
    blocks: list[PasteBlock]
    notes: list[str] = field(default_factory=list)  # links the database does not have (left empty)


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'s' if n != 1 else ''}"


# -- copying -----------------------------------------------------------------------------------


def copy_rows(doc: EstimateDocument, row_ids: Iterable[uuid.UUID]) -> Clip:
    """The selected lines and sections, in the estimate's order; a section brings all its lines
    (its lines also selected are not copied twice)."""
    wanted = set(row_ids)
    blocks: list[ClipBlock] = []
    for section in doc.sections:
        if section.id in wanted:
            lines = [_line_values(doc, line) for line in section.lines]
            blocks.append(ClipBlock(lines, _section_values(section), section.name))
            continue
        lines = [_line_values(doc, line) for line in section.lines if line.id in wanted]
        if lines:
            blocks.append(ClipBlock(lines, section_name=section.name))
    return Clip(blocks)


def _section_values(section: SectionRow) -> dict[str, Any]:
    return {name: getattr(section, name) for name in SECTION_COLUMNS}


def _line_values(doc: EstimateDocument, line: LineRow) -> dict[str, Any]:
    """Every column a user edits, the names of its links (so another database can match them), and
    its links to other lines with its own id (a kit's components pasted with it stay its components)."""
    values = {name: getattr(line, name) for name in (*LINE_COLUMNS, *LINK_COLUMNS)}
    values[COPIED_ID] = line.id
    names = {
        "supplier": doc.lookups.suppliers.get(line.supplier_id) if line.supplier_id else None,
        "role": doc.lookups.roles.get(line.role_id) if line.role_id else None,
        "labour_rule_set": doc.lookups.rule_sets.get(line.labour_rule_set_id)
        if line.labour_rule_set_id
        else None,
    }
    for link, info in names.items():
        values[link] = getattr(info, "name", "") if info is not None else ""
    return values


# -- the clipboard's two forms -------------------------------------------------------------------


def encode(clip: Clip) -> str:
    """The Tandem rows as JSON (Decimals, ids, dates and times as text: nothing rounded)."""
    return json.dumps(
        {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "blocks": [
                {
                    "section": None if b.section is None else {k: _json(v) for k, v in b.section.items()},
                    "lines": [{k: _json(v) for k, v in line.items()} for line in b.lines],
                }
                for b in clip.blocks
            ],
        },
        ensure_ascii=False,
    )


def _json(value: Any) -> Any:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, (Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (date, time)):
        return value.isoformat()
    return value


def to_tsv(clip: Clip) -> str:
    """Tab-separated text with a header row: what a spreadsheet shows (and what pastes back)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    writer.writerow([FIELD_LABELS[name] for name in TSV_FIELDS])
    for block in clip.blocks:
        for line in block.lines:
            writer.writerow([_tsv_cell(block, line, name) for name in TSV_FIELDS])
    return out.getvalue()


def _tsv_cell(block: ClipBlock, line: dict[str, Any], name: str) -> str:
    if name == "section":
        return block.section_name
    if name == "kind":
        return LineKind(line["kind"]).label
    if name == "unit_price" and line["price_basis"] != PriceBasis.UNIT_PRICE:
        return ""  # the price follows the markup: a number here would make it the basis
    if name == "markup_pct" and line["price_basis"] != PriceBasis.MARKUP:
        return ""
    value = line.get(name)
    if value is None:
        return ""
    return format_number(value) if isinstance(value, Decimal) else str(value)


def decode(payload: str | bytes) -> Clip:
    """Tandem rows from the clipboard, checked column by column; ClipboardError says what is wrong."""
    try:
        data = json.loads(payload)
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("not Tandem rows")
        if int(data.get("version", 0)) > FORMAT_VERSION:
            raise ClipboardError("These rows were copied from a newer Tandem; paste them there, or update.")
        blocks = [
            ClipBlock(
                [_decoded_line(line) for line in b["lines"]],
                None if b.get("section") is None else _decoded_section(b["section"]),
            )
            for b in data["blocks"]
        ]
    except ClipboardError:
        raise
    except InputError as error:
        raise ClipboardError(f"The copied rows cannot be pasted: {str(error).rstrip('.')}.") from None
    except (ValueError, KeyError, TypeError, AttributeError, InvalidOperation):
        raise ClipboardError("The clipboard's Tandem rows are damaged; copy them again.") from None
    clip = Clip(blocks)
    _check_size(clip)
    return clip


_HINTS = {**typing.get_type_hints(LineRow), COPIED_ID: uuid.UUID | None}


def _decoded_line(raw: dict[str, Any]) -> dict[str, Any]:
    line: dict[str, Any] = {}
    for name in _COPIED_COLUMNS:
        if name not in raw:
            continue
        line[name] = _typed(name, raw[name], _HINTS[name])
    for link in _ID_OF_LINK:
        if link in raw:
            line[link] = str(raw[link] or "")
    return line


def _decoded_section(raw: dict[str, Any]) -> dict[str, Any]:
    section = {name: raw[name] for name in SECTION_COLUMNS if name in raw}
    for name, value in section.items():
        spec = SECTION_FIELDS[name]
        section[name] = spec.parse("" if value is None else value)
    return section


def _typed(name: str, value: Any, hint: Any) -> Any:
    """A JSON value as the column's type; text within the column's length (InputError beyond)."""
    options = set(typing.get_args(hint)) or {hint}
    if value is None:
        if type(None) not in options:
            raise ValueError(name)
        return None
    if name == "kind":
        return LineKind(value)
    if name == "price_basis":
        return PriceBasis(value)
    if Decimal in options:
        number = Decimal(str(value))
        if not number.is_finite():
            raise ValueError(name)
        return number
    if uuid.UUID in options:
        return uuid.UUID(str(value))
    if date in options:
        return date.fromisoformat(value)
    if time in options:
        return time.fromisoformat(value)
    if bool in options:
        if not isinstance(value, bool):
            raise ValueError(name)
        return value
    if not isinstance(value, str):
        raise ValueError(name)
    spec = LINE_FIELDS.get(name)
    return spec.parse(value) if spec is not None and name != "phase" else value


def from_tsv(text: str) -> Clip:
    """Rows a spreadsheet copied (tab-separated, with their header row) read through the import's
    column mapping: each row a line, a section heading, or a problem saying why not."""
    rows = [row for row in csv.reader(io.StringIO(text), delimiter="\t")]
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows or all(len(r) < 2 for r in rows):
        raise ClipboardError(
            "The clipboard holds no rows to paste: copy lines in Tandem, or rows of a "
            "spreadsheet with their header row."
        )
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    header_row = guess_header_row(rows)
    if header_row == 0:
        raise ClipboardError(
            "The pasted rows have no header row naming their columns (Description, Qty, "
            "Unit cost…): copy the header row with them."
        )
    mapping = guess_mapping(rows[header_row - 1])
    try:
        mapped = read_text_rows(rows, header_row, mapping, "Pasted rows")
    except ImportFailed as error:
        raise ClipboardError(str(error)) from None
    blocks: list[ClipBlock] = []
    by_name: dict[str, ClipBlock] = {}
    for section in mapped.estimate.sections:
        name = "" if section.name == DEFAULT_SECTION else section.name
        block = by_name.get(name)
        if block is None:
            block = by_name[name] = ClipBlock([], section_name=name)
            blocks.append(block)
        block.lines.extend(section.lines)
    clip = Clip(blocks, "spreadsheet", mapped.problems)
    _check_size(clip)
    return clip


def _check_size(clip: Clip) -> None:
    if clip.line_count > PASTE_LINES_MAX:
        raise ClipboardError(
            f"The clipboard holds {clip.line_count:,} lines; paste at most {PASTE_LINES_MAX:,} at once "
            "(File › Import estimate from Excel… takes a whole sheet)."
        )


# -- pasting ----------------------------------------------------------------------------------------


def paste_plan(doc: EstimateDocument, clip: Clip, current_id: uuid.UUID | None) -> PastePlan:
    """Where each block goes in ``doc``: lines after the current line (or at the end of the current
    section; into a new "General" section when the estimate has none), copied sections as new
    sections after the current one, spreadsheet rows of a named section into the section of that
    name (a new one when there is none). Links the database lacks are left empty, and said."""
    notes: list[str] = []
    lines_of = _linker(doc, clip, notes)
    current_section: uuid.UUID | None = None
    line_index: int | None = None
    if current_id is not None and doc.has_line(current_id):
        line = doc.line(current_id)
        current_section, line_index = line.section_id, line.position + 1
    elif current_id is not None:
        current_section = current_id
    elif doc.sections:
        current_section = doc.sections[-1].id
    section_index = (
        (doc.section_index(current_section) + 1) if current_section is not None else len(doc.sections)
    )
    chosen = {
        line.alternative_group for line in doc.lines() if line.alternative_group and line.alternative_chosen
    }
    blocks: list[PasteBlock] = []
    new_general: PasteBlock | None = None
    named = {s.name.casefold(): s.id for s in doc.sections}
    from_sheet = clip.source == "spreadsheet"
    for block in clip.blocks:
        lines = [_alternative_checked(values, chosen) for values in lines_of(block)]
        if block.section is not None:
            blocks.append(PasteBlock(lines, new_section=dict(block.section), section_index=section_index))
            section_index += 1
        elif from_sheet and block.section_name.casefold() in named:
            blocks.append(PasteBlock(lines, section_id=named[block.section_name.casefold()]))
        elif from_sheet and block.section_name:
            blocks.append(
                PasteBlock(lines, new_section={"name": block.section_name}, section_index=section_index)
            )
            section_index += 1
        elif current_section is not None:
            blocks.append(PasteBlock(lines, section_id=current_section, index=line_index))
            if line_index is not None:
                line_index += len(lines)
        elif new_general is None:
            new_general = PasteBlock(
                lines, new_section={"name": DEFAULT_SECTION}, section_index=section_index
            )
            blocks.append(new_general)
            section_index += 1
        else:
            new_general.lines.extend(lines)
    return PastePlan(blocks, notes)


def _alternative_checked(values: dict[str, Any], chosen: set[str]) -> dict[str, Any]:
    """One chosen line per group of alternatives: a copy of the chosen one is not chosen."""
    group = values.get("alternative_group") or ""
    if group and values.get("alternative_chosen"):
        if group in chosen:
            values = {**values, "alternative_chosen": False}
        chosen.add(group)
    return values


def _linker(doc: EstimateDocument, clip: Clip, notes: list[str]) -> Any:
    """A function giving a block's lines as column values with links this database has."""
    with doc.db.read() as conn:
        known = known_names(conn)
        ids: dict[str, set[uuid.UUID]] = {}
        for link, id_column, table in LINKS:
            wanted = {line[id_column] for b in clip.blocks for line in b.lines if line.get(id_column)}
            ids[link] = (
                set(
                    conn.execute(
                        select(table.c.id).where(table.c.id.in_(wanted), table.c.deleted_at.is_(None))
                    ).scalars()
                )
                if wanted
                else set()
            )

    def tandem_line(values: dict[str, Any]) -> dict[str, Any]:
        line = {k: v for k, v in values.items() if k in _COPIED_COLUMNS}
        if line.get(QUOTE_ITEM) is not None and str(line[QUOTE_ITEM]) not in known[QUOTE_ITEMS]:
            line[QUOTE_ITEM] = None  # another database's supplier quote: the line keeps its cost
        for link, id_column, _ in LINKS:
            given = line.get(id_column)
            if given is None or given in ids[link]:
                continue
            name = str(values.get(link) or "")
            line[id_column] = known[link].get(name.casefold()) if name else None
            if line[id_column] is None:
                what = link.replace("_", " ")
                notes.append(
                    f"{what} “{name}” is not in this database; the line has none"
                    if name
                    else f"a {what} this database does not have was left out"
                )
        return line

    def lines_of(block: ClipBlock) -> list[dict[str, Any]]:
        if clip.source == "tandem":
            return [tandem_line(values) for values in block.lines]
        out = []
        for values in block.lines:
            for link, _, _ in LINKS:
                name = values.get(link) or ""
                if name and name.casefold() not in known[link]:
                    notes.append(
                        f"row {values.get('row_number', 0)}: {link.replace('_', ' ')} “{name}” is "
                        "not in this database (kept in the description)"
                    )
            out.append(line_record(values, known, "mapped"))
        return out

    return lines_of


def with_new_ids(plan: PastePlan, line_ids: list[list[uuid.UUID]]) -> list[list[dict[str, Any]]]:
    """Each block's lines as they are written, given the new lines' ids (per block, in order): a
    link to another pasted line names that line's copy, a link to a line not pasted is dropped."""
    new_ids = {
        values[COPIED_ID]: new_id
        for block, ids in zip(plan.blocks, line_ids, strict=True)
        for values, new_id in zip(block.lines, ids, strict=True)
        if values.get(COPIED_ID) is not None
    }
    return [relinked(block.lines, new_ids) for block in plan.blocks]


def problems_text(problems: Sequence[RowProblem], limit: int = 8) -> str:
    """The refused rows, one a line ("row 3: Qty “abc” is not a number"), the first ``limit`` of them."""
    shown = [f"• {p}" for p in problems[:limit]]
    if len(problems) > limit:
        shown.append(f"• and {len(problems) - limit} more")
    return "\n".join(shown)
