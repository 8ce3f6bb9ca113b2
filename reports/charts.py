"""Charts drawn on the server as inline SVG: no script, no library, no CDN, nothing the Content-Security-Policy
refuses (colours and sizes are SVG presentation attributes, never a ``style``), and they print as they show.

Each chart is an image with a title (``role="img"``, ``aria-labelledby``); the page puts it in a <figure>
with its <figcaption> and the table of the same numbers beside it, which is what a screen reader reads.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Colours that keep a contrast of at least 3:1 with white and tell apart in grey when printed.
PALETTE = ("#1f5fa8", "#d9822b", "#2e8540", "#8e44ad", "#b03a2e", "#5d6d7e")
TEXT = "#212529"
GRID = "#ced4da"
FONT = 'font-family="system-ui, sans-serif"'


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float]


def _svg(chart_id: str, title: str, width: int, height: int, body: list[str]) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title" class="report-chart" {FONT} font-size="12" fill="{TEXT}">'
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 (every text is escaped above and below)


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def bars(chart_id: str, title: str, labels: Sequence[str], values: Sequence[float], *, color: str = PALETTE[0]):
    """Horizontal bars, one per label, with its value at the bar's end."""
    label_width, bar_width, row = 260, 300, 26
    height = max(row * len(labels), row) + 8
    top = max((float(v) for v in values), default=0) or 1
    body = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 4 + index * row
        length = round(bar_width * float(value) / top)
        body.append(f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end">{escape(_short(label, 40))}</text>')
        body.append(f'<rect x="{label_width}" y="{y + 4}" width="{max(length, 1)}" height="{row - 8}" fill="{color}"/>')
        body.append(f'<text x="{label_width + length + 6}" y="{y + 17}">{escape(_number(value))}</text>')
    return _svg(chart_id, title, label_width + bar_width + 60, height, body)


def stacked_bars(chart_id: str, title: str, labels: Sequence[str], series: Sequence[Series]):
    """Horizontal bars made of one segment per series (registrations of a title by kind of unit), with a legend."""
    label_width, bar_width, row = 260, 300, 26
    totals = [sum(float(s.values[i]) for s in series) for i in range(len(labels))]
    top = max(totals, default=0) or 1
    legend_rows = len(series)
    height = max(row * len(labels), row) + 8 + 20 * legend_rows
    body = []
    for index, label in enumerate(labels):
        y = 4 + index * row
        x = label_width
        body.append(f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end">{escape(_short(label, 40))}</text>')
        for number, each in enumerate(series):
            length = round(bar_width * float(each.values[index]) / top)
            if length:
                color = PALETTE[number % len(PALETTE)]
                body.append(f'<rect x="{x}" y="{y + 4}" width="{length}" height="{row - 8}" fill="{color}"/>')
            x += length
        body.append(f'<text x="{x + 6}" y="{y + 17}">{escape(_number(totals[index]))}</text>')
    legend_top = 8 + row * max(len(labels), 1)
    for number, each in enumerate(series):
        y = legend_top + number * 20
        color = PALETTE[number % len(PALETTE)]
        body.append(f'<rect x="{label_width}" y="{y}" width="12" height="12" fill="{color}"/>')
        body.append(f'<text x="{label_width + 18}" y="{y + 11}">{escape(each.label)}</text>')
    return _svg(chart_id, title, label_width + bar_width + 60, height, body)


def columns(chart_id: str, title: str, labels: Sequence[str], series: Sequence[Series]):
    """Vertical columns, grouped by label (a year, a score bin), one colour per series, with a legend."""
    left, plot_height, bottom, group_gap = 40, 180, 40, 16
    count = max(len(labels), 1)
    per = max(len(series), 1)
    column = max(8, min(36, (560 - group_gap * count) // (count * per)))
    width = left + count * (per * column + group_gap) + 10
    legend_top = plot_height + bottom
    height = legend_top + 20 * len(series) + 4
    top = max((float(v) for s in series for v in s.values), default=0) or 1
    body = [f'<line x1="{left}" y1="{plot_height + 10}" x2="{width - 5}" y2="{plot_height + 10}" stroke="{GRID}"/>']
    for index, label in enumerate(labels):
        x0 = left + index * (per * column + group_gap) + group_gap // 2
        for number, each in enumerate(series):
            value = float(each.values[index])
            length = round(plot_height * value / top)
            x = x0 + number * column
            color = PALETTE[number % len(PALETTE)]
            body.append(
                f'<rect x="{x}" y="{plot_height + 10 - length}" width="{column - 2}" height="{length}" fill="{color}"/>'
            )
            body.append(
                f'<text x="{x + (column - 2) / 2}" y="{plot_height + 6 - length}" text-anchor="middle" '
                f'font-size="10">{escape(_number(each.values[index]))}</text>'
            )
        body.append(
            f'<text x="{x0 + per * column / 2}" y="{plot_height + 28}" text-anchor="middle">{escape(label)}</text>'
        )
    for number, each in enumerate(series):
        y = legend_top + number * 20
        body.append(f'<rect x="{left}" y="{y}" width="12" height="12" fill="{PALETTE[number % len(PALETTE)]}"/>')
        body.append(f'<text x="{left + 18}" y="{y + 11}">{escape(each.label)}</text>')
    return _svg(chart_id, title, max(width, 260), height, body)


def line(chart_id: str, title: str, labels: Sequence[str], values: Sequence[float], *, target: float | None = None):
    """A rising line (signatures month by month, cumulative), with the total to reach as a dashed line."""
    left, right, plot_height, bottom = 48, 16, 180, 36
    width = 620
    top = max([float(v) for v in values] + [float(target or 0)]) or 1
    step = (width - left - right) / max(len(labels) - 1, 1)

    def y_of(value: float) -> float:
        return round(10 + plot_height - plot_height * float(value) / top, 1)

    body = [f'<line x1="{left}" y1="{10 + plot_height}" x2="{width - right}" y2="{10 + plot_height}" stroke="{GRID}"/>']
    if target:
        body.append(
            f'<line x1="{left}" y1="{y_of(target)}" x2="{width - right}" y2="{y_of(target)}" stroke="{PALETTE[1]}" '
            f'stroke-dasharray="6 4"/><text x="{left - 4}" y="{y_of(target) + 4}" text-anchor="end">'
            f"{escape(_number(target))}</text>"
        )
    points = " ".join(f"{round(left + i * step, 1)},{y_of(v)}" for i, v in enumerate(values))
    if values:
        body.append(f'<polyline points="{points}" fill="none" stroke="{PALETTE[0]}" stroke-width="2.5"/>')
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = round(left + index * step, 1)
        body.append(f'<circle cx="{x}" cy="{y_of(value)}" r="3.5" fill="{PALETTE[0]}"/>')
        body.append(
            f'<text x="{x}" y="{y_of(value) - 8}" text-anchor="middle" font-size="10">{escape(_number(value))}</text>'
        )
        body.append(f'<text x="{x}" y="{plot_height + 30}" text-anchor="middle">{escape(label)}</text>')
    return _svg(chart_id, title, width, plot_height + bottom + 10, body)


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
