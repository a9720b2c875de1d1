"""An order to a supplier as a PDF: :class:`OrderContent` laid out as the quote is (its page
heading, *Page n of N*, the items table's header repeated on every page, app/ui/quote/pdf.py).
The supplier's cost only; never our price to the client."""

from __future__ import annotations

import html
from pathlib import Path

from app.services.money import format_number, shown_money
from app.services.supply.order_content import COLUMNS, NOTE, OrderContent
from app.ui.quote.pdf import STYLE, Progress, currency_page, render_html, write_paged_pdf

_WIDTHS = ("46%", "9%", "9%", "8%", "14%", "14%")
_FIGURES = {1, 3, 4, 5}


def _e(text: str) -> str:
    return html.escape(text).replace("\n", "<br/>")


def order_html(c: OrderContent) -> str:
    money = lambda value: _e(shown_money(value, c.currency))  # noqa: E731
    p = [f"<div class='title'>{_e(c.company)}</div>"]
    p += [f"<div>{_e(part)}</div>" for part in c.company_address.splitlines()]
    p.append(f"<p class='subtitle'>{_e(c.title)}</p><table cellpadding='1'>")
    p += [f"<tr><td class='label' width='150'>{_e(k)}</td><td>{_e(v)}</td></tr>" for k, v in c.rows]
    p.append("</table><p></p><table width='100%' cellspacing='0' cellpadding='3'><thead><tr>")
    p += [
        f"<th{' class=num' if i in _FIGURES else ''} width='{w}'>{_e(n)}</th>"
        for i, (n, w) in enumerate(zip(COLUMNS, _WIDTHS, strict=True))
    ]
    p.append("</tr></thead>")
    for line in c.lines:
        p.append(
            f"<tr><td>{_e(line.description)}</td><td class='num'>{_e(format_number(line.quantity))}</td>"
            f"<td class='unit'>{_e(line.unit)}</td><td class='num'>{_e(format_number(line.days))}</td>"
            f"<td class='num'>{money(line.unit_cost)}</td><td class='num'>{money(line.cost)}</td></tr>"
        )
    p.append(
        f"<tr class='total'><td colspan='5'>Total</td><td class='num'>{money(c.total)}</td></tr></table>"
    )
    p.append(f"<p class='note'>{_e(NOTE)}</p>")
    return f"<html><head><style>{STYLE}</style></head><body>{''.join(p)}</body></html>"


def write_order_pdf(content: OrderContent, path: Path, progress: Progress | None = None) -> int:
    """The order as a PDF at ``path`` (through a temporary file); the page count."""
    return write_paged_pdf(
        path,
        currency_page(content.currency),
        content.title,
        content.company or "Tandem",
        lambda writer: render_html(
            order_html(content),
            f"{content.company} — {content.title}",
            writer,
            None,
            progress,
            "Rendering the order…",
        ),
    )
