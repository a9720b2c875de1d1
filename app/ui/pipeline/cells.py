"""How a pipeline card reads: the texts the board's cards and the table's cells share.

The AM's view (``pm_view`` False) never gets a cost or a margin from here: :func:`columns_for`
leaves the margin column out, and :func:`card_lines` and :func:`tooltip` leave the margin out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from app.services.money import format_number, format_whole_money
from app.services.pipeline.board import Card


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # a key of app.services.pipeline.board.SORT_KEYS
    title: str
    right: bool = False


COLUMNS = (
    Column("client", "Client"),
    Column("project", "Project"),
    Column("status", "Stage"),
    Column("am", "AM"),
    Column("pm", "PM"),
    Column("show", "Show"),
    Column("price", "Price", True),
    Column("margin", "Margin", True),
    Column("probability", "Win %", True),
    Column("weighted", "Weighted", True),
    Column("decision", "Decision", True),
    Column("follow_up", "Next follow-up"),
    Column("last_activity", "Last activity", True),
)


def whole(value: Decimal, currency: str) -> str:
    """An amount to the dollar, as a pipeline reads (the estimate has the cents): $44,838."""
    return format_whole_money(value.quantize(Decimal(1), ROUND_HALF_UP), currency)


def columns_for(pm_view: bool) -> tuple[Column, ...]:
    return COLUMNS if pm_view else tuple(c for c in COLUMNS if c.key != "margin")


def short_date(day: date | None) -> str:
    return "" if day is None else f"{day:%d %b %Y}".lstrip("0")


def show_dates(card: Card) -> str:
    if card.show_start is None:
        return ""
    end = card.show_end
    if end is None or end == card.show_start:
        return short_date(card.show_start)
    if end.year == card.show_start.year and end.month == card.show_start.month:
        return f"{card.show_start.day}–{short_date(end)}"
    return f"{short_date(card.show_start)} – {short_date(end)}"


def price_text(card: Card, currency: str) -> str:
    if card.estimate_id is None:
        return "no estimate"
    if card.has_range:
        return f"{whole(card.low, currency)} – {whole(card.high, currency)}"
    return whole(card.price, currency)


def probability_text(card: Card) -> str:
    return f"{format_number(card.probability_pct)} %" + ("" if card.own_probability else " (stage)")


def margin_text(card: Card) -> str:
    return "" if card.margin_pct is None else f"{card.margin_pct:.1f} %"


def last_text(moment: datetime | None, today: date) -> str:
    if moment is None:
        return ""
    days = (today - moment.date()).days
    return "today" if days <= 0 else "yesterday" if days == 1 else f"{days} days ago"


def cell(card: Card, key: str, currency: str, today: date) -> str:
    texts = {
        "client": lambda: card.client,
        "project": lambda: card.project,
        "status": lambda: card.status.label,
        "am": lambda: card.account_manager,
        "pm": lambda: card.project_manager,
        "show": lambda: show_dates(card),
        "price": lambda: price_text(card, currency),
        "margin": lambda: margin_text(card),
        "probability": lambda: probability_text(card),
        "weighted": lambda: whole(card.weighted, currency),
        "decision": lambda: short_date(card.decision_date),
        "follow_up": lambda: (
            f"{short_date(card.follow_up)} · {card.follow_up_subject}" if card.follow_up else ""
        ),
        "last_activity": lambda: last_text(card.last_activity, today) + (" · stale" if card.stale else ""),
    }
    return texts[key]()


def tooltip(card: Card, currency: str, today: date, pm_view: bool) -> str:
    """Everything on the card, one fact a line (no margin in the AM's view)."""
    lines = [
        f"{card.client} — {card.project}",
        f"{card.status.label} · AM {card.account_manager or '—'} · PM {card.project_manager or '—'}",
        f"Show: {show_dates(card) or 'no dates yet'}",
        f"Price: {price_text(card, currency)}",
        f"Win probability: {probability_text(card)} · weighted {whole(card.weighted, currency)}",
    ]
    if pm_view and card.margin_pct is not None:
        lines.append(f"Margin: {margin_text(card)}")
    if card.decision_date:
        lines.append(f"Decision expected {short_date(card.decision_date)}")
    if card.follow_up:
        lines.append(f"Next follow-up {short_date(card.follow_up)}: {card.follow_up_subject}")
    if card.last_activity:
        lines.append(
            f"Last activity {last_text(card.last_activity, today)}"
            + (" — stale: nothing for longer than the stage allows" if card.stale else "")
        )
    if card.warning:
        lines.append(f"⚠ {card.warning}")
    return "\n".join(lines)
