"""The HR page's tables as markup, ready for the template.

A month view has about two hundred rows and a thousand cells, so everything is made
here, once: each distinct cell, each row's heading (shared by both tables), each table's
body. The template (templates/sessions_app/hr/participation.html) prints one string per
table. Filling each cell in the template, and later a format_html per row and cell, were
a third of the page's time; like the chart (charts.py), the markup is now written with
f-strings in which every value goes through `escape` (the standard library's, which is
what django.utils.html.escape calls, without its check for lazy strings on every call).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from html import escape

from django.utils.formats import date_format, number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sessions_app.hr.periods import Period
from sessions_app.hr.report import TOTAL, Figures, Report, Row
from sessions_app.models import PULSE_QUESTION_NAMES

PARTICIPATION_COLUMNS = (
    "enrolled",
    "participants",
    "meetings_attended",
    "attendance_rate",
    "stayed",
)
PULSE_COLUMNS = ("pulse_answers", *(f"pulse_{name}" for name in PULSE_QUESTION_NAMES))


@dataclass(frozen=True)
class Tables:
    """Both tables of one granularity: each one's <tbody>s, one per period, with the
    period's heading row and its rows."""

    participation: SafeString
    pulse: SafeString


def period_label(period: Period, *, short: bool = False) -> str:
    return _period_label(period, short, get_language())


@lru_cache(maxsize=1024)
def _period_label(period: Period, short: bool, language: str) -> str:
    """A period's name in `language` (the active one): the same for every viewer and
    request, and ~10 µs to format, twenty times per page."""
    if period.kind == "month":
        return date_format(period.start, "M" if short else "F Y")
    if period.kind == "quarter":
        if short:
            return _("Q%(number)s") % {"number": period.number}
        return _("Q%(number)s %(year)s") % {"number": period.number, "year": period.year}
    return str(period.year)


def row_label(row: Row) -> str:
    if row.kind == "total":
        return _("All units")
    if row.kind == "no_unit":
        return _("No unit given")
    return row.name


def table_sections(report: Report, granularity: str, selected: Row | None) -> Tables | None:
    """Per period of the granularity, the rows of both tables: every unit row and the
    total, or only the selected row and the total. None while the granularity has no
    reportable period."""
    periods = report.periods_of(granularity)
    if not periods:
        return None
    rows = [row for row in report.rows if selected is None or row in (selected, report.rows[-1])]
    labels = [row_label(row) for row in rows]
    cells = _Cells(report)
    participation: list[str] = []
    pulse: list[str] = []
    for period in periods:
        heading = (
            '<tbody><tr class="period-row"><th scope="rowgroup" colspan="6">'
            f"{escape(period_label(period))}</th></tr>"
        )
        participation.append(heading)
        pulse.append(heading)
        for row, label in zip(rows, labels, strict=True):
            start = (
                f'<tr class="{escape(row.kind)}-row" data-row="{escape(row.key)}" '
                f'data-period="{escape(period.key)}"><th scope="row">{escape(label)}</th>'
            )
            figures = report.figures[(row.key, period.key)]
            participation += (start, *cells.row(row, period, figures, PARTICIPATION_COLUMNS))
            pulse += (start, *cells.row(row, period, figures, PULSE_COLUMNS))
            participation.append("</tr>")
            pulse.append("</tr>")
        participation.append("</tbody>")
        pulse.append("</tbody>")
    # Every value in these parts went through escape(): the whole is safe.
    return Tables(
        mark_safe("".join(participation)),  # noqa: S308 - values escaped above
        mark_safe("".join(pulse)),  # noqa: S308 - values escaped above
    )


class _Cells:
    """Each cell's markup (every value escaped), made once per figure and value (or
    marker) and shared by the rows (nothing changes a cell)."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.made: dict[tuple[str, int | float | str], str] = {}
        self.hidden_text = _("hidden")  # for screen readers, in place of the marker

    def row(self, row: Row, period: Period, figures: Figures, names: tuple[str, ...]) -> list:
        made = self.made
        cells = []
        for name in names:
            value = figures[name]
            if value is None:
                key = (name, self.report.marker(row.key, period.key, name))
            else:
                key = (name, value)
            cells.append(made.get(key) or self._make(name, value, key))
        return cells

    def _make(self, name: str, value: int | float | None, key: tuple) -> str:
        if value is None:
            html = (
                f'<td class="num hidden-figure" data-figure="{escape(name)}" '
                f'data-value="hidden"><span aria-hidden="true">{escape(key[1])}</span>'
                f'<span class="visually-hidden">{escape(self.hidden_text)}</span></td>'
            )
        else:
            text = number_format(value, 1) if isinstance(value, float) else str(value)
            if name == "attendance_rate":
                text = f"{text}\u00a0%"
            html = (
                f'<td class="num" data-figure="{escape(name)}" '
                f'data-value="{escape(str(value))}">{escape(text)}</td>'
            )
        self.made[key] = html
        return html


def chart_points(report: Report, granularity: str, selected: Row | None) -> list[dict]:
    """The chart's bars and the table beside it: enrolled and participants per period
    of the selected row, else of the total (None: hidden, with its marker)."""
    return [
        {
            "label": period_label(line.period, short=True),
            "enrolled": line.figures["enrolled"],
            "participants": line.figures["participants"],
            "enrolled_marker": report.marker(line.row.key, line.period.key, "enrolled"),
            "participants_marker": report.marker(line.row.key, line.period.key, "participants"),
        }
        for line in report.series(granularity, selected.key if selected else TOTAL)
    ]


def chart_table(points: list[dict]) -> SafeString:
    """The rows of the table beside the chart, with the same figures and markers."""
    hidden_text = escape(_("hidden"))

    def cell(value: int | None, marker: str) -> str:
        if value is None:
            return (
                f'<td class="num hidden-figure"><span aria-hidden="true">{escape(marker)}</span>'
                f'<span class="visually-hidden">{hidden_text}</span></td>'
            )
        return f'<td class="num">{escape(str(value))}</td>'

    rows = (
        f'<tr><th scope="row">{escape(point["label"])}</th>'
        f"{cell(point['enrolled'], point['enrolled_marker'])}"
        f"{cell(point['participants'], point['participants_marker'])}</tr>"
        for point in points
    )
    return mark_safe("".join(rows))  # noqa: S308 - every value escaped above
