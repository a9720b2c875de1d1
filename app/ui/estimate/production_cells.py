"""What a cell of the breakdown tree shows: display and edit values, fonts, colours, tooltips and choices."""

from __future__ import annotations

import functools
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.models.enums import CallPhase, LineKind, PriceBasis
from app.services.equipment.estimate_view import LineAvailability
from app.services.estimate.document import EstimateDocument, LineRow, SectionRow
from app.services.estimate.parameters import format_range
from app.services.estimate.pricing import EXCLUDED
from app.services.labour.pay import CallSplit, LabourRules
from app.services.money import format_money, format_number, format_percent
from app.services.supply.line_quotes import followed_item, quote_cell
from app.ui.estimate.production_columns import (
    CHOICES_ROLE,
    COLUMNS,
    LEFT,
    NEW_NAME_ROLE,
    RIGHT,
    ROW_ID_ROLE,
    ROW_KIND_ROLE,
)

_SECTION_BG = QBrush(QColor("#e8eef5"))
_DERIVED_FG = QBrush(QColor("#6b7280"))
LOSS_FG = QBrush(QColor("#b91c1c"))
# Said of a line whose figures are out of bounds, in both panes.
IN_ERROR_NOTE = "It is priced as zero and left out of the totals until it is corrected."
_OVERRIDE_FG = QBrush(QColor("#9a3412"))
_FORMULA_FG = QBrush(QColor("#1d4ed8"))
_EXCLUDED_FG = QBrush(QColor("#9ca3af"))
_CALL_KEYS = {"phase", "call_date", "start_time", "end_time", "paid"}
SHORT_BG = QBrush(QColor("#fee2e2"))  # a line whose item is short over the project's days


@functools.cache
def _font(style: str) -> QFont:
    """Shared fonts: views ask for a cell's font on every paint."""
    font = QFont()
    font.setBold(style == "bold")
    font.setItalic(style == "italic")
    font.setStrikeOut(style == "struck")
    return font


def section_data(doc: EstimateDocument, section: SectionRow, column: int, role: int) -> Any:
    key = COLUMNS[column].key
    if role == ROW_ID_ROLE:
        return str(section.id)
    if role == ROW_KIND_ROLE:
        return "section"
    if role == Qt.ItemDataRole.BackgroundRole:
        return _SECTION_BG
    if role == Qt.ItemDataRole.FontRole:
        return _font("bold")
    if role == Qt.ItemDataRole.TextAlignmentRole:
        return RIGHT if COLUMNS[column].numeric else LEFT
    if role == Qt.ItemDataRole.CheckStateRole and key == "optional":
        return Qt.CheckState.Checked if section.optional else Qt.CheckState.Unchecked
    if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole):
        return None
    totals = doc.totals.groups.get(section.id)
    currency = doc.header.currency
    if key == "description":
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = section.client_description
            if section.optional:
                tip = (tip + "\n" if tip else "") + "Optional section: an add-on, left out of the total."
            return tip or None
        return section.name
    if key == "range":
        if role == Qt.ItemDataRole.ToolTipRole:
            if totals is None or (totals.low == totals.price and totals.high == totals.price):
                return "Type a range for the section's lines, e.g. ±10% or -5% / +15%."
            return (f"The section's included lines range from {format_money(totals.low, currency)} to "
                    f"{format_money(totals.high, currency)} (lines with a range of their own keep it).")
        return format_range(section.price_range)
    if totals is None or role == Qt.ItemDataRole.EditRole:
        return None
    if key == "cost":
        return format_money(totals.cost, currency)
    if key == "price":
        return format_money(totals.price, currency)
    if key == "margin_pct":
        return format_percent(totals.margin_pct)
    if key == "price" and section.optional and role == Qt.ItemDataRole.DisplayRole:
        return f"({format_money(totals.optional_price, currency)})"
    if key == "unit" and role == Qt.ItemDataRole.DisplayRole:
        count = totals.line_count
        return f"{count} line{'s' if count != 1 else ''}"
    return None

def line_data(doc: EstimateDocument, line: LineRow, column: int, role: int,
              stock: LineAvailability | None = None) -> Any:
    """One cell of a line; ``stock`` is the line's availability (None: no stock sells it)."""
    key = COLUMNS[column].key
    if role == ROW_ID_ROLE:
        return str(line.id)
    if role == ROW_KIND_ROLE:
        return "line"
    if key == "availability":
        return _availability_data(doc, stock, role)
    if key == "quote":
        return _quote_data(doc, line, role)
    if role == Qt.ItemDataRole.CheckStateRole:
        if key == "optional":
            return Qt.CheckState.Checked if line.optional else Qt.CheckState.Unchecked
        if key == "alternative" and line.alternative_group:
            chosen = doc.is_chosen_alternative(line)
            return Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked
        return None
    if role == Qt.ItemDataRole.TextAlignmentRole:
        return RIGHT if COLUMNS[column].numeric else LEFT
    if role == CHOICES_ROLE:
        return _choices(doc, key)
    if role == NEW_NAME_ROLE:
        return key == "supplier_id"  # a supplier not in the list may be typed (and added)
    if role == Qt.ItemDataRole.ForegroundRole:
        return _line_foreground(doc, line, key)
    if role == Qt.ItemDataRole.FontRole:
        if key == "price" and doc.inclusion(line) == EXCLUDED:
            return _font("struck")
        if key == "price" and line.price.overridden:
            return _font("bold")
        if key in {"markup_pct", "unit_price", "margin_pct"} and _is_derived(doc, line, key):
            return _font("italic")
        return None
    if role == Qt.ItemDataRole.ToolTipRole:
        return _line_tooltip(doc, line, key)
    if role == Qt.ItemDataRole.EditRole:
        return _line_edit_value(doc, line, key)
    if role == Qt.ItemDataRole.DisplayRole:
        return _line_display(doc, line, key)
    return None

def _availability_data(doc: EstimateDocument, stock: LineAvailability | None, role: int) -> Any:
    """``free / owned``, the sentence behind it as its tooltip, red when the line is short (an add-on's
    or an unchosen alternative's red: choosing it would make its item short)."""
    if role == Qt.ItemDataRole.TextAlignmentRole:
        return RIGHT
    if stock is None:
        return "" if role == Qt.ItemDataRole.DisplayRole else None
    if role == Qt.ItemDataRole.DisplayRole:
        return stock.cell()
    if role == Qt.ItemDataRole.ToolTipRole:
        return stock.tooltip(doc.header.currency)
    if role == Qt.ItemDataRole.ForegroundRole:
        return LOSS_FG if stock.short else _DERIVED_FG if not stock.counted else None
    if role == Qt.ItemDataRole.BackgroundRole:
        return SHORT_BG if stock.short and stock.counted else None
    return None


def _quote_data(doc: EstimateDocument, line: LineRow, role: int) -> Any:
    """The supplier quote a line's unit cost follows: its number, its terms as the tooltip, red
    once it has expired (Estimate › Compare supplier quotes… picks another)."""
    cell = quote_cell(line, doc.quote_items, date.today())
    if cell is None:
        return "" if role == Qt.ItemDataRole.DisplayRole else None
    if role == Qt.ItemDataRole.DisplayRole:
        return cell.text
    if role == Qt.ItemDataRole.ToolTipRole:
        return cell.tooltip
    if role == Qt.ItemDataRole.ForegroundRole:
        return LOSS_FG if cell.expired else None
    if role == Qt.ItemDataRole.BackgroundRole:
        return SHORT_BG if cell.expired else None
    return None


def _line_display(doc: EstimateDocument, line: LineRow, key: str) -> str | None:
    priced = line.price
    currency = doc.header.currency
    if key == "price" and line.problem is not None:
        return "in error"
    if key == "description":
        return line.description
    if key == "kind":
        return line.kind.label
    if key == "quantity":
        return format_number(line.quantity)
    if key == "unit":
        return line.unit
    if key == "days":
        return format_number(line.days)
    if key == "range":
        return format_range(line.price_range, currency)
    if key == "alternative":
        return line.alternative_group
    if key == "hours":
        return format_number(line.hours) if line.kind is LineKind.LABOUR else ""
    if key in _CALL_KEYS:
        return _call_display(line, key) if line.kind is LineKind.LABOUR else ""
    if key == "unit_cost":
        return format_money(line.unit_cost, currency)
    if key == "cost":
        return format_money(priced.cost, currency)
    if key == "markup_pct":
        return format_percent(priced.markup_pct)
    if key == "unit_price":
        return format_money(priced.unit_price, currency)
    if key == "price":
        return format_money(priced.price, currency)
    if key == "margin_pct":
        return format_percent(priced.margin_pct)
    if key == "supplier_id":
        supplier = doc.lookups.suppliers.get(line.supplier_id) if line.supplier_id else None
        return supplier.name if supplier else ""
    if key == "role_id":
        role = doc.lookups.roles.get(line.role_id) if line.role_id else None
        return role.name if role else ""
    return None

def _line_edit_value(doc: EstimateDocument, line: LineRow, key: str) -> Any:
    priced = line.price
    if line.problem is not None and key in {"markup_pct", "margin_pct", "unit_price", "price"}:
        value = getattr(line, "price_override" if key == "price" else key)  # as stored, unrounded
        return "" if value is None else format_number(value)
    if key in {"supplier_id", "role_id"}:
        value = getattr(line, key)
        return str(value) if value else ""
    if key == "kind":
        return line.kind.value
    if key == "price":
        return format_number(priced.price)
    if key == "markup_pct":
        value = line.markup_pct if line.price_basis is PriceBasis.MARKUP else priced.markup_pct
        return "" if value is None else format_number(value.quantize(Decimal("0.01")))
    if key == "margin_pct":
        value = line.margin_pct if line.price_basis is PriceBasis.MARGIN else priced.margin_pct
        return "" if value is None else format_number(value.quantize(Decimal("0.01")))
    if key == "unit_price":
        value = line.unit_price if line.price_basis is PriceBasis.UNIT_PRICE else priced.unit_price
        return "" if value is None else format_number(value.quantize(Decimal("0.0001")).normalize())
    if key == "quantity" and line.quantity_formula:
        return "=" + line.quantity_formula
    if key == "days" and line.days_formula:
        return "=" + line.days_formula
    if key == "range":
        return format_range(line.price_range).replace("$", "")
    if key == "alternative":
        return line.alternative_group
    if key in {"quantity", "days", "hours", "unit_cost"}:
        value = getattr(line, key)
        return "" if value is None else format_number(value).replace(",", "")
    if key in {"description", "unit", "phase"}:
        return getattr(line, key)
    if key == "call_date":
        return line.call_date.isoformat() if line.call_date else ""
    if key in {"start_time", "end_time"}:
        value = getattr(line, key)
        return value.strftime("%H:%M") if value else ""
    return None

def _is_derived(doc: EstimateDocument, line: LineRow, key: str) -> bool:
    basis_key = {PriceBasis.MARKUP: "markup_pct", PriceBasis.UNIT_PRICE: "unit_price",
                 PriceBasis.MARGIN: "margin_pct"}[line.price_basis]
    return line.price.overridden or key != basis_key

def _line_foreground(doc: EstimateDocument, line: LineRow, key: str) -> QBrush | None:
    if line.problem is not None:
        return LOSS_FG
    if key in {"quantity", "days"} and getattr(line, f"{key}_formula"):
        return LOSS_FG if line.formula_error else _FORMULA_FG
    if doc.inclusion(line) == EXCLUDED:
        return _EXCLUDED_FG
    if key == "price" and line.price.overridden:
        return _OVERRIDE_FG
    if key == "margin_pct" and line.price.margin < 0:
        return LOSS_FG
    if key in {"markup_pct", "unit_price", "margin_pct"} and _is_derived(doc, line, key):
        return _DERIVED_FG
    if line.optional or not doc.counts_in_total(line):
        return _DERIVED_FG
    return None

def _line_tooltip(doc: EstimateDocument, line: LineRow, key: str) -> str | None:
    priced = line.price
    currency = doc.header.currency
    if line.problem is not None and key in {"description", "price", line.problem.field}:
        return f"⚠ {line.problem.message}\n{IN_ERROR_NOTE}"
    if key in {"quantity", "days"} and getattr(line, f"{key}_formula"):
        source = getattr(line, f"{key}_formula")
        if line.formula_error:
            return f"= {source}\n⚠ {line.formula_error}"
        return f"= {source}\n= {format_number(getattr(line, key))} with the estimate's parameters"
    if key == "description" and line.formula_error:
        return f"⚠ {line.formula_error}"
    if key == "range":
        low, high = doc.line_span(line)
        if not line.price_range.is_set:
            section = doc.section(line.section_id)
            if section.price_range.is_set:
                return (f"From the section's range {format_range(section.price_range)}: "
                        f"{format_money(low, currency)} – {format_money(high, currency)}")
            return "Type a range: ±10%, -5% / +20%, or amounts 7,000 – 9,500."
        return f"{format_money(low, currency)} – {format_money(high, currency)}"
    if key == "alternative":
        if not line.alternative_group:
            return "Type a group name to make this line one of several alternatives (one counts)."
        chosen = doc.chosen_alternative(line.alternative_group)
        if chosen is line:
            return f"The chosen alternative of “{line.alternative_group}”: its price is in the total."
        return (f"An alternative to “{chosen.description if chosen else ''}”: not in the total. "
                "Tick it to choose it instead.")
    if key == "price" and priced.overridden:
        return (f"Price overridden. The {line.price_basis.value.replace('_', ' ')} basis gives "
                f"{format_money(priced.basis_price, currency)}. Clear the cell to remove the override.")
    if key in {"paid", "hours", "start_time", "end_time", "call_date"} and priced.call is not None:
        return call_tooltip(priced.call, doc.rules_for(line), line)
    if key == "hours" and priced.hours is not None:
        split = priced.hours
        rules = doc.rules_for(line)
        parts = [f"{format_number(split.straight)} h straight"]
        if split.overtime:
            mult = rules.overtime_multiplier if rules else Decimal("1.5")
            parts.append(f"{format_number(split.overtime)} h overtime ×{format_number(mult)}")
        if split.double_time:
            mult = rules.double_time_multiplier if rules else Decimal(2)
            parts.append(f"{format_number(split.double_time)} h double time ×{format_number(mult)}")
        name = rules.name if rules else "straight time"
        return (f"Per person per day under {name}: " + " + ".join(parts)
                + f" = {format_number(split.weighted)} paid hours")
    if key in {"markup_pct", "unit_price", "margin_pct"}:
        if priced.overridden:
            return "Follows from the overridden price."
        if _is_derived(doc, line, key):
            return "Derived from the price basis; type a value to make this the basis."
        return "Price basis of this line."
    if key == "cost":
        return f"{format_number(priced.units)} units × {format_money(line.unit_cost, currency)}"
    if key == "unit_cost" and (item := followed_item(line, doc.quote_items)) is not None:
        return (f"Follows supplier quote {item.quote.label} at {format_number(line.quantity)} {line.unit}; "
                "type a cost to stop following it.")
    return None

def _choices(doc: EstimateDocument, key: str) -> list[tuple[str, str]] | None:
    if key == "kind":
        return [(k.label, k.value) for k in LineKind]
    if key == "supplier_id":
        return [("", "")] + [(s.name, str(s.id)) for s in doc.lookups.suppliers.values()]
    if key == "role_id":
        return [("", "")] + [(r.name, str(r.id)) for r in doc.lookups.roles.values()]
    if key == "phase":
        return [("", "")] + [(p.label, p.value) for p in CallPhase]
    return None

# -- editing -----------------------------------------------------------------


_PHASE_LABELS = {p.value: p.label for p in CallPhase}


def _call_display(line: LineRow, key: str) -> str:
    if key == "phase":
        return _PHASE_LABELS.get(line.phase, line.phase)
    if key == "call_date":
        return line.call_date.strftime("%a %b %d").replace(" 0", " ") if line.call_date else ""
    if key in {"start_time", "end_time"}:
        value = line.start_time if key == "start_time" else line.end_time
        return value.strftime("%H:%M") if value else ""
    call = line.price.call
    return paid_summary(call) if call is not None else ""


def paid_summary(call: CallSplit) -> str:
    """One person's paid hours over a call, e.g. "8 ST + 2 OT" or "40 ST + 8 OT + 2 DT"."""
    return paid_summary_day(call.straight, call.overtime, call.double_time)


def call_tooltip(call: CallSplit, rules: LabourRules | None, line: LineRow) -> str:
    """The arithmetic of one person's call, line by line, as the estimator would check it."""
    rules = rules or LabourRules(name="straight time")
    ot, dt = format_number(rules.overtime_multiplier), format_number(rules.double_time_multiplier)
    day = call.first_day
    lines = [f"Under {rules.name or 'these rules'}, per person:"]
    if day is not None:
        when = ""
        if line.start_time is not None and line.end_time is not None:
            when = f" ({line.start_time.strftime('%H:%M')}–{line.end_time.strftime('%H:%M')})"
        text = f"a day of {format_number(day.worked)} h{when}"
        if day.meal_break:
            text += f" − {format_number(day.meal_break)} h unpaid meal break"
        if day.paid != day.worked - day.meal_break:
            text += f", paid the {format_number(rules.min_call_hours)} h minimum call"
        lines.append(text + f" = {paid_summary_day(day.straight, day.overtime, day.double_time)}")
    days = f"{format_number(call.days)} day{'s' if call.days != 1 else ''}"
    lines.append(f"{days}: {format_number(call.straight)} h straight"
                 f" + {format_number(call.overtime)} h overtime ×{ot}"
                 + (f" + {format_number(call.double_time)} h double time ×{dt}" if call.double_time else "")
                 + f" = {format_number(call.paid)} paid hours")
    if call.weekly_overtime:
        lines.append(f"{format_number(call.weekly_overtime)} h of the overtime are over the "
                     f"{format_number(rules.weekly_overtime_after_hours or 0)} h weekly threshold")
    if call.weekend:
        mult = format_number(rules.weekend_multiplier)
        lines.append(f"{format_number(call.weekend)} h on a weekend: straight time ×{mult}, "
                     f"overtime at the larger of ×{ot} and ×{mult}")
    if call.holiday:
        mult = format_number(rules.holiday_multiplier)
        lines.append(f"{format_number(call.holiday)} h on a holiday: straight time ×{mult}, "
                     f"overtime at the larger of ×{ot} and ×{mult}")
    lines.append(f"weighted: {format_number(call.weighted)} h × {format_number(line.quantity)} people "
                 f"= {format_number(call.weighted * line.quantity)} paid-rate hours")
    return "\n".join(lines)


def paid_summary_day(straight: Decimal, overtime: Decimal, double_time: Decimal) -> str:
    parts = [f"{format_number(straight)} ST"]
    if overtime:
        parts.append(f"{format_number(overtime)} OT")
    if double_time:
        parts.append(f"{format_number(double_time)} DT")
    return " + ".join(parts)
