"""The dashboard's six charts on one matplotlib Figure (the panel's canvas, or an Agg figure that
the PNG export, the screenshot script and the benchmark save).

matplotlib is imported when the first chart is drawn, never at start-up. Amounts are drawn as
floats (a chart's bar needs no cent) but every label is the exact Decimal, formatted. Margin is
drawn only when the figures hold it (the PM's copy; the AM's has none to draw).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from app.models import ProjectStatus
from app.services.dashboard.figures import Dashboard, month_text, scope_text
from app.services.money import CURRENCY_SIGNS, format_percent, format_whole_money

STAGE_COLOURS = ("#c9dcf0", "#9cc3ea", "#5b9bd5", "#2f6db5", "#1f4e8c")
COMMITTED, WEIGHTED, WON, LOST = "#2f6db5", "#9cc3ea", "#2e7d32", "#c62828"
REVENUE, MARGIN = "#2f6db5", "#f0a030"
GREY = "#666666"
MAX_CLIENTS = 8  # the biggest; the table and the export list them all
MAX_LABELLED = 7  # bars with their figure written on them


def _short(value: Decimal, currency: str) -> str:
    """$12.3k, $1.2M: a bar's label (the table beside the chart has the cents)."""
    sign = "-" if value < 0 else ""
    amount = abs(value)
    for size, suffix in ((Decimal(1_000_000), "M"), (Decimal(1000), "k")):
        if amount >= size:
            scaled = amount / size
            digits = 0 if scaled >= 100 else 1  # $970k, $1.3M, $12.5k
            return f"{sign}{CURRENCY_SIGNS.get(currency, '')}{scaled:.{digits}f}{suffix}"
    return sign + format_whole_money(amount.quantize(Decimal(1)), currency)


def _empty(axes: Any, text: str) -> None:
    axes.text(0.5, 0.5, text, ha="center", va="center", fontsize=9, color=GREY, transform=axes.transAxes)
    axes.set_xticks([])
    axes.set_yticks([])


def _style(axes: Any, title: str) -> None:
    axes.set_title(title, loc="left", fontsize=10, fontweight="bold", color="#1f2937")
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(labelsize=8)
    axes.grid(axis="y", color="#e5e7eb", linewidth=0.6)
    axes.set_axisbelow(True)


def _headroom(axes: Any, values: Sequence[float]) -> None:
    """Room above the tallest bar for its label and a one-row legend."""
    top = max([*values, 0.0])
    axes.set_ylim(0, top * 1.32 if top > 0 else 1)


def _legend(axes: Any) -> None:
    axes.legend(fontsize=7, frameon=False, loc="upper left", ncols=2)


def _money_axis(axes: Any, currency: str, horizontal: bool = False) -> None:
    from matplotlib.ticker import FuncFormatter

    formatter = FuncFormatter(lambda v, _pos: _short(Decimal(str(round(v, 2))), currency))
    (axes.xaxis if horizontal else axes.yaxis).set_major_formatter(formatter)


def _label_at(
    axes: Any, points: Sequence[tuple[float, float]], labels: Sequence[str], horizontal: bool = False
) -> None:
    """Each figure beside its point (a bar's end); more than MAX_LABELLED would overprint (the axis
    and the table read them)."""
    if len(labels) > MAX_LABELLED:
        return
    for (x, y), label in zip(points, labels, strict=True):
        axes.annotate(
            label,
            (x, y),
            xytext=(3, 0) if horizontal else (0, 2),
            textcoords="offset points",
            ha="left" if horizontal else "center",
            va="center" if horizontal else "bottom",
            fontsize=7.5,
            color="#1f2937",
        )


def _label_bars(axes: Any, bars: Any, labels: Sequence[str], horizontal: bool = False) -> None:
    if horizontal:
        points = [(b.get_width(), b.get_y() + b.get_height() / 2) for b in bars]
    else:
        points = [(b.get_x() + b.get_width() / 2, b.get_height()) for b in bars]
    _label_at(axes, points, labels, horizontal)


def draw_dashboard(figure: Any, board: Dashboard) -> None:
    """Every chart of ``board`` on ``figure`` (cleared first), two rows of three."""
    figure.clear()
    grid = figure.subplots(2, 3)
    figure.suptitle(f"Dashboard · {scope_text(board)}", x=0.01, ha="left", fontsize=11, color=GREY)
    _stages(grid[0][0], board)
    _forecast(grid[0][1], board)
    _win_rate(grid[0][2], board)
    _lost(grid[1][0], board)
    _revenue_by_month(grid[1][1], board)
    _revenue_by_client(grid[1][2], board)


def _stages(axes: Any, board: Dashboard) -> None:
    _style(axes, "Pipeline by stage")
    names = [ProjectStatus(s.status).label.replace(" ", "\n") for s in board.stages]
    xs = range(len(board.stages))
    values = [float(s.value) for s in board.stages]
    bars = axes.bar(xs, values, color=STAGE_COLOURS[: len(values)], width=0.7, label="Value")
    axes.bar(xs, [float(s.weighted) for s in board.stages], width=0.35, color="#f0a030", label="Weighted")
    _label_bars(axes, bars, [f"{s.count} · {_short(s.value, board.currency)}" for s in board.stages])
    axes.set_xticks(list(xs), names)
    _money_axis(axes, board.currency)
    _headroom(axes, values)
    _legend(axes)


def _months(months: Sequence[Any]) -> list[str]:
    """ "Jan\n2027", "Feb", "Mar"…: the year under the first month and under each January."""
    labels = []
    for n, month in enumerate(months):
        text = month_text(month)
        labels.append(text.replace(" ", "\n") if month is None or n == 0 or month.month == 1 else text[:3])
    return labels


def _forecast(axes: Any, board: Dashboard) -> None:
    _style(axes, "Weighted forecast by month")
    if not board.forecast:
        _empty(axes, "No open projects in this range")
        return
    xs = range(len(board.forecast))
    committed = [float(m.committed) for m in board.forecast]
    axes.bar(xs, committed, color=COMMITTED, label="Won (100 %)")
    bars = axes.bar(
        xs,
        [float(m.weighted) for m in board.forecast],
        bottom=committed,
        color=WEIGHTED,
        label="Weighted open",
    )
    tops = [
        (b.get_x() + b.get_width() / 2, float(m.total)) for b, m in zip(bars, board.forecast, strict=True)
    ]
    _label_at(axes, tops, [_short(m.total, board.currency) for m in board.forecast])
    axes.set_xticks(list(xs), _months([m.month for m in board.forecast]))
    _money_axis(axes, board.currency)
    _headroom(axes, [float(m.total) for m in board.forecast])
    _legend(axes)


def _win_rate(axes: Any, board: Dashboard) -> None:
    overall = "—" if board.win_rate is None else format_percent(board.win_rate).replace(".00 %", " %")
    _style(axes, f"Win rate {overall} ({board.won} won, {board.lost} lost)")
    rows = board.win_rate_by_month
    if not rows:
        _empty(axes, "Nothing won or lost in this range")
        return
    xs = range(len(rows))
    axes.bar(xs, [r.won for r in rows], color=WON, label="Won")
    axes.bar(xs, [-r.lost for r in rows], color=LOST, label="Lost")
    axes.axhline(0, color="#9ca3af", linewidth=0.8)
    top = max(max(r.won for r in rows), max(r.lost for r in rows), 1)
    for x, r in zip(xs, rows, strict=True):
        if r.rate is not None:
            axes.annotate(
                f"{r.rate:.0f} %",
                (x, r.won),
                xytext=(0, 2),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=7.5,
            )
    axes.set_ylim(-top * 1.25, top * 1.5)
    axes.yaxis.set_major_formatter(_count_formatter())
    axes.set_xticks(list(xs), _months([r.month for r in rows]))
    axes.set_ylabel("Projects", fontsize=8)
    _legend(axes)


def _count_formatter() -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: f"{abs(v):.0f}" if float(v).is_integer() else "")


def _lost(axes: Any, board: Dashboard) -> None:
    _style(axes, "Lost reasons")
    axes.grid(axis="y", visible=False)
    axes.grid(axis="x", color="#e5e7eb", linewidth=0.6)
    if not board.lost_reasons:
        _empty(axes, "Nothing lost in this range")
        return
    reasons = board.lost_reasons[::-1]  # the first at the top
    ys = range(len(reasons))
    bars = axes.barh(ys, [float(r.value) for r in reasons], color=LOST, alpha=0.8, height=0.55)
    pad = (max(len(reasons), 4) - len(reasons)) / 2  # a few reasons: bars of the usual thickness
    axes.set_ylim(-0.6 - pad, len(reasons) - 0.4 + pad)
    _label_bars(axes, bars, [f"{r.count} · {_short(r.value, board.currency)}" for r in reasons], True)
    axes.set_yticks(list(ys), [r.reason for r in reasons])
    from matplotlib.ticker import MaxNLocator

    _money_axis(axes, board.currency, horizontal=True)
    axes.xaxis.set_major_locator(MaxNLocator(4))
    axes.margins(x=0.3)


def _revenue_bars(axes: Any, board: Dashboard, labels: list[str], rows: Sequence[Any]) -> None:
    xs = range(len(rows))
    with_margin = board.with_costs
    width = 0.4 if with_margin else 0.65
    shift = width / 2 if with_margin else 0
    bars = axes.bar(
        [x - shift for x in xs],
        [float(r.revenue) for r in rows],
        width=width,
        color=REVENUE,
        label="Revenue (before tax)",
    )
    _label_bars(axes, bars, [_short(r.revenue, board.currency) for r in rows])
    if with_margin:
        margins = axes.bar(
            [x + shift for x in xs],
            [float(r.margin) for r in rows],
            width=width,
            color=MARGIN,
            label="Margin",
        )
        _label_bars(
            axes,
            margins,
            [
                format_percent(r.margin_pct).replace(" %", "%") if r.margin_pct is not None else ""
                for r in rows
            ],
        )
    axes.set_xticks(list(xs), labels)
    _money_axis(axes, board.currency)
    _headroom(axes, [float(r.revenue) for r in rows])
    _legend(axes)


def _revenue_by_month(axes: Any, board: Dashboard) -> None:
    _style(axes, "Revenue and margin by month" if board.with_costs else "Revenue by month")
    if not board.revenue_by_month:
        _empty(axes, "No won work with a show in this range")
        return
    _revenue_bars(axes, board, _months([r.key for r in board.revenue_by_month]), board.revenue_by_month)


def _revenue_by_client(axes: Any, board: Dashboard) -> None:
    _style(axes, "Revenue and margin by client" if board.with_costs else "Revenue by client")
    if not board.revenue_by_client:
        _empty(axes, "No won work with a show in this range")
        return
    rows = board.revenue_by_client[:MAX_CLIENTS]
    labels = [_wrap(str(r.key)) for r in rows]
    _revenue_bars(axes, board, labels, rows)
    if len(rows) > 3:
        for label in axes.get_xticklabels():
            label.set_rotation(30)
            label.set_horizontalalignment("right")


def _wrap(name: str, width: int = 14) -> str:
    if len(name) <= width:
        return name
    words, lines, line = name.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines[:2]) + ("…" if len(lines) > 2 else "")
