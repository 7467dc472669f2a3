"""Server-rendered SVG charts. No JavaScript, no inline styles: colours come from
presentation attributes (overridden by classes in static/css/foorumix.css), so the strict
Content-Security-Policy holds. A chart is always shown next to a table of its figures;
hidden figures are gaps, never zeros."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 16, 58
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
BASELINE = TOP + PLOT_HEIGHT


@dataclass(frozen=True)
class Series:
    name: str  # e.g. "enrolled": the CSS class is "chart-series-<name>"
    label: str
    colour: str  # fallback fill when the stylesheet is missing


@dataclass(frozen=True)
class Point:
    label: str  # x-axis label, e.g. "tammi" or "Q1"
    values: tuple[int | None, ...]  # one per series; None: hidden
    gap_labels: tuple[str, ...] = ()  # per series: what a hidden value's gap shows


def _n(number: float) -> str:
    """A coordinate for an SVG attribute (format_html escapes its arguments to strings
    first, so numbers are formatted here)."""
    return f"{number:.1f}"


def _nice_maximum(value: int) -> int:
    """The top of the y axis: four whole-number steps of a round size (1, 2, 5, 10,
    15, 20, 25, 30, 40, 50, 60, 80, 100, ...) that reach the largest value."""
    raw = max(1, -(-value // 4))
    magnitude = 1
    while True:
        for factor in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8):
            step = factor * magnitude
            if step == int(step) and step >= raw:
                return int(step) * 4
        magnitude *= 10


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    series: list[Series],
    points: list[Point],
    hidden_label: str,
) -> SafeString:
    """Grouped bars, one group per point. `description` (the <desc>) should say what the
    bars show and where the exact figures are; screen readers read title and desc."""
    shown = [v for point in points for v in point.values if v is not None]
    maximum = _nice_maximum(max(shown, default=0))
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" class="chart" id="{}" '
        'role="img" aria-labelledby="{}-title {}-desc" preserveAspectRatio="xMinYMin meet">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
        '{}<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#1d2426" class="chart-axis"/>'
        "{}{}</svg>",
        WIDTH,
        HEIGHT,
        chart_id,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        description,
        _grid(maximum),
        LEFT,
        WIDTH - RIGHT,
        _n(BASELINE),
        _n(BASELINE),
        _bars(series, points, maximum, escape(hidden_label)),
        _legend(series),
    )


# The grid and the bars are built with f-strings rather than format_html per element (a
# chart has about a hundred): the numbers are formatted by _n or are constants, the texts
# escaped.


def _y(value: float, maximum: int) -> float:
    return BASELINE - PLOT_HEIGHT * value / maximum


def _grid(maximum: int) -> SafeString:
    """Five horizontal lines with their values, from 0 to the top of the y axis."""
    lines = []
    for step in range(5):
        value = maximum * step / 4
        top = _n(_y(value, maximum))
        lines.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{top}" y2="{top}" class="chart-grid" '
            f'stroke="#d9dcd6"/><text x="{LEFT - 6}" y="{_n(_y(value, maximum) + 4)}" '
            f'class="chart-tick" text-anchor="end" fill="#4a5558">{value:g}</text>'
        )
    return mark_safe("".join(lines))  # noqa: S308 - numbers only


def _bars(series: list[Series], points: list[Point], maximum: int, gap_label: str) -> SafeString:
    """Per point, a bar (or a gap marked `gap_label`, escaped) per series and the label."""
    slot = PLOT_WIDTH / max(len(points), 1)
    bar = min(28.0, slot * 0.8 / max(len(series), 1))
    groups = []
    for index, point in enumerate(points):
        centre = LEFT + slot * (index + 0.5)
        start = centre - bar * len(series) / 2
        for number, (item, value) in enumerate(zip(series, point.values, strict=True)):
            x = start + bar * number
            if value is None:
                label = escape(point.gap_labels[number]) if point.gap_labels else gap_label
                groups.append(_gap(x, bar, label))
            else:
                groups.append(_bar(x, bar, _y(value, maximum), item))
        groups.append(
            f'<text x="{_n(centre)}" y="{_n(BASELINE + 16)}" text-anchor="middle" '
            f'class="chart-label" fill="#1d2426">{escape(point.label)}</text>'
        )
    return mark_safe("".join(groups))  # noqa: S308 - numbers and escaped texts


def _gap(x: float, bar: float, gap_label: str) -> str:
    return (
        f'<g class="chart-gap"><line x1="{_n(x + 1)}" x2="{_n(x + bar - 1)}" '
        f'y1="{_n(BASELINE - 1)}" y2="{_n(BASELINE - 1)}" '
        f'stroke="#4a5558" stroke-dasharray="3 2"/>'
        f'<text x="{_n(x + bar / 2)}" y="{_n(BASELINE - 6)}" text-anchor="middle" '
        f'fill="#4a5558" class="chart-gap-label">{gap_label}</text></g>'
    )


def _bar(x: float, bar: float, top: float, item: Series) -> str:
    return (
        f'<rect x="{_n(x + 1)}" y="{_n(top)}" width="{_n(bar - 2)}" '
        f'height="{_n(BASELINE - top)}" class="chart-series-{escape(item.name)}" '
        f'fill="{escape(item.colour)}"/>'
    )


def _legend(series: list[Series]) -> SafeString:
    return format_html_join(
        "",
        '<rect x="{}" y="{}" width="12" height="12" class="chart-series-{}" fill="{}"/>'
        '<text x="{}" y="{}" class="chart-legend" fill="#1d2426">{}</text>',
        (
            (
                LEFT + 170 * n,
                HEIGHT - 22,
                item.name,
                item.colour,
                LEFT + 170 * n + 17,
                HEIGHT - 12,
                item.label,
            )
            for n, item in enumerate(series)
        ),
    )
