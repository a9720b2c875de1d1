"""The scenario comparison as a workbook for the client: each option's price by section and its total.

An account manager sends it with the options ("Full booth" or "Half booth"), so it is
client-facing: prices only, as the quote shows them — no cost, margin, labour hours,
supplier or internal line anywhere in it (tests/test_excel_export.py's confidentiality scan
runs over it too). The figures come from
:func:`app.services.estimate.scenarios.compare_estimates`, the same the dialog shows; the
subtotals, contingency, discount, tax, totals and the differences to the first option are
live formulas that recalculate to the app's figures to the cent.

An option whose quote folds its contingency into the line prices (the estimate does not tick
*Contingency as a line*) shows its sections at the quote's prices — the sums of the folded line
prices, :func:`app.services.quote.content.quote_content`, so the comparison and the quote agree
to the cent — and no contingency of its own; its total is the same either way.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from app.services.company.settings import load_company
from app.services.estimate.document import EstimateDocument
from app.services.estimate.scenarios import Comparison, Metric
from app.services.excel.fit import fitted_width, text_width, wrapped_lines
from app.services.excel.workbook import (
    Cancelled,
    ExportResult,
    Progress,
    Sheet,
    build,
    check,
    common_styles,
    new_workbook,
    prepare,
    sum_formula,
)
from app.services.money import ZERO, shown_money
from app.services.quote.content import quote_content
from app.services.storage.database import Database

SHEET = "Options compared"
_FIRST_FIGURES = 2  # column B: the first option


def export_comparison(
    db: Database,
    comparison: Comparison,
    path: str | Path,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ExportResult:
    """Write the client's comparison of the options in ``comparison`` (the first is the one the
    others are measured against) to ``path`` (.xlsx)."""
    company = load_company(db)
    values: dict[str, Any] = company.values if company is not None else {}
    name = str(values.get("name") or "")
    tax_label = str(values.get("tax_label") or "Tax")
    count = len(comparison.scenarios)
    check(progress, cancelled, "Writing the comparison…", 0, count)
    folded = [_folded_prices(db, info.id) for info in comparison.scenarios]
    wb = new_workbook(f"{SHEET} — {comparison.project}", name)
    build(wb, Path(path), lambda: _write(wb, comparison, name, tax_label, folded))
    check(progress, cancelled, "Saved.", count, count)
    return ExportResult(Path(path), len(comparison.sections), f"{count} options compared")


def _folded_prices(db: Database, estimate_id: Any) -> dict[str, Decimal] | None:
    """The section prices of the estimate's quote with its contingency in them (sections of one
    name add up, as in the comparison), or None when its quote shows contingency as a line."""
    doc = EstimateDocument(db, estimate_id)
    if doc.header.show_contingency_line or doc.totals.contingency == 0:
        return None
    prices: dict[str, Decimal] = {}
    for section in quote_content(doc, db).sections:
        prices[section.name] = prices.get(section.name, ZERO) + section.total
    return prices


def _write(wb: Any, comparison: Comparison, company: str, tax_label: str,
           folded: list[dict[str, Decimal] | None]) -> None:
    scenarios = comparison.scenarios
    n = len(scenarios)
    figure_cols = [get_column_letter(_FIRST_FIGURES + i) for i in range(n)]
    base = scenarios[0].name
    headings = ["", *(s.name for s in scenarios), *(f"{s.name} compared with {base}" for s in scenarios[1:])]
    widths = _widths(comparison, headings, tax_label, folded)
    header_row = 5
    s = Sheet(wb, SHEET, comparison.currency, widths)
    prepare(s.ws, f"B{header_row + 1}")
    common_styles(s)
    s.append([s.text(company or "Options compared", "title")])
    s.append([s.text(" · ".join(p for p in (comparison.client, comparison.project) if p), "subtitle")])
    today = date.today()
    s.append([s.text(f"Options compared, {today.day} {today:%b %Y}", "plain")])
    s.append()
    s.append(
        [
            s.text(text or "Section", "header" if i == 0 else "header_right")
            for i, text in enumerate(headings)
        ],
        lines=max(
            wrapped_lines(text, width, bold=True) for text, width in zip(headings, widths, strict=True)
        ),
    )

    def deltas(row: int, style: str = "money") -> list[Any]:
        return [s.formula(f"={col}{row}-{figure_cols[0]}{row}", style) for col in figure_cols[1:]]

    section_rows = []
    for section in comparison.sections:
        row = s.row + 1
        prices = [
            s.number(
                section.cell(Metric.PRICE, i).value
                if folded[i] is None
                else folded[i].get(section.name, ZERO)  # type: ignore[union-attr]
            )
            for i in range(n)
        ]
        s.append([s.text(section.name), *prices, *deltas(row)], lines=wrapped_lines(section.name, widths[0]))
        section_rows.append(row)
    sub = s.row + 1
    s.append(
        [
            s.text("Subtotal", "total_label"),
            *(
                s.formula(sum_formula([f"{col}{r}" for r in section_rows]), "money_bold")
                for col in figure_cols
            ),
            *deltas(sub, "money_bold"),
        ]
    )
    net_parts: list[list[str]] = [[f"{col}{sub}"] for col in figure_cols]
    terms = [info.terms for info in scenarios]
    cont: int | None = None
    # Only the options that show contingency as a line have one here (0 for those folding it in).
    shown = [bool(t.contingency_pct) and folded[i] is None for i, t in enumerate(terms)]
    if any(shown):
        cont = s.row + 1
        s.append(
            [
                s.text("Contingency", "label"),
                *(
                    s.formula(f"=ROUND({col}{sub}*{_pct(t.contingency_pct) if on else 0}/100,2)")
                    for col, t, on in zip(figure_cols, terms, shown, strict=True)
                ),
                *deltas(cont),
            ]
        )
        for parts, col in zip(net_parts, figure_cols, strict=True):
            parts.append(f"{col}{cont}")
    if any(t.discount_pct for t in terms):
        disc = s.row + 1
        s.append(
            [
                s.text("Discount", "label"),
                *(
                    s.formula(
                        f"=-ROUND(({col}{sub}{f'+{col}{cont}' if cont else ''})*{_pct(t.discount_pct)}/100,2)"
                    )
                    for col, t in zip(figure_cols, terms, strict=True)
                ),
                *deltas(disc),
            ]
        )
        for parts, col in zip(net_parts, figure_cols, strict=True):
            parts.append(f"{col}{disc}")
    net = sub
    if len(net_parts[0]) > 1:
        net = s.row + 1
        s.append(
            [s.text("Net", "label"), *(s.formula("=" + "+".join(parts)) for parts in net_parts), *deltas(net)]
        )
    total_parts = [[f"{col}{net}"] for col in figure_cols]
    if any(t.tax_pct for t in terms):
        tax = s.row + 1
        s.append(
            [
                s.text(tax_label, "label"),
                *(
                    s.formula(f"=ROUND({col}{net}*{_pct(t.tax_pct)}/100,2)")
                    for col, t in zip(figure_cols, terms, strict=True)
                ),
                *deltas(tax),
            ]
        )
        for parts, col in zip(total_parts, figure_cols, strict=True):
            parts.append(f"{col}{tax}")
    total = s.row + 1
    s.append(
        [
            s.text(f"Total ({comparison.currency})", "total_label"),
            *(s.formula("=" + "+".join(parts), "total") for parts in total_parts),
            *deltas(total, "total"),
        ]
    )
    s.append()
    columns = "the last column is the difference" if n == 2 else "the last columns are the differences"
    s.append([s.text(f"Each option in full; {columns} to {base}.", "plain")])
    within = [info.name for info, prices in zip(scenarios, folded, strict=True) if prices is not None]
    if within:
        s.append([s.text(f"Contingency is included in the section prices of {', '.join(within)}.", "plain")])
    s.print_setup(header_row, f"{company} — {SHEET} — {comparison.project}", landscape=len(headings) > 5)


def _pct(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _widths(comparison: Comparison, headings: list[str], tax_label: str,
            folded: list[dict[str, Decimal] | None]) -> list[float]:
    """The section column fits the names (wrapping past 40); each option's column its amounts."""
    currency = comparison.currency
    names = [row.name for row in comparison.sections] + [
        "Subtotal",
        "Contingency",
        "Discount",
        tax_label,
        f"Total ({currency})",
    ]
    widths = [fitted_width(names, cap=40)]
    amounts: list[str] = []
    for info in comparison.scenarios:
        priced = info.priced
        if priced is not None:
            amounts += [
                shown_money(v, currency)
                for v in (
                    priced.subtotal,
                    priced.contingency,
                    priced.discount,
                    priced.net,
                    priced.tax,
                    priced.total,
                )
            ]
    amounts += [
        shown_money(row.cell(Metric.PRICE, i).value, currency)
        for row in comparison.sections
        for i in range(len(comparison.scenarios))
    ]
    amounts += [shown_money(v, currency) for prices in folded if prices for v in prices.values()]
    # A difference is at most a total's width and a minus sign; a heading takes two lines at most.
    for heading in headings[1:]:
        two_lines = min(24.0, text_width(heading, bold=True) / 2 + 2)
        widths.append(max(13.0, two_lines, fitted_width([*amounts, *(f"-{a}" for a in amounts)], heading)))
    return widths
