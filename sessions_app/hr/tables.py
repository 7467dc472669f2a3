"""The HR page's tables as plain data: labels, rows and cells, ready for the template.

A month view has about two hundred rows and a thousand cells, so everything is worked out
here, once per distinct value, the cell's markup too (with format_html, which escapes
every value it puts in): the template (templates/sessions_app/hr/participation.html)
loops over rows and prints each cell's markup. Choosing the shown or the hidden form and
printing three texts per cell in the template was a third of the page's time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
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


# Cells and rows are dicts rather than dataclasses: the template looks up about four
# thousand of their fields per month view, and a dict key is found on its first try.
class Cell(TypedDict):
    figure: str  # data-figure: a name of report.FIGURES
    value: str  # data-value: the plain number, or "hidden"
    text: str  # the number as shown ("4,3", "83 %"); the marker when hidden
    hidden: bool  # shown as its marker: "< k" or ".." (Report.marker)
    html: SafeString  # the <td>, made once per distinct cell


class TableRow(TypedDict):
    key: str  # data-row: the report row's key
    kind: str  # "unit" | "no_unit" | "total", for the class "<kind>-row"
    period: str  # data-period: the period's key
    label: str
    cells: list[Cell]
    html: SafeString  # the <tr> with its cells


@dataclass(frozen=True)
class Section:
    """One period of the page: its heading and its rows in both tables."""

    period: Period
    label: str
    participation: list[TableRow]
    pulse: list[TableRow]


def period_label(period: Period, *, short: bool = False) -> str:
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


def table_sections(report: Report, granularity: str, selected: Row | None) -> list[Section]:
    """Per period of the granularity, the rows of both tables: every unit row and the
    total, or only the selected row and the total."""
    rows = [row for row in report.rows if selected is None or row in (selected, report.rows[-1])]
    labels = [row_label(row) for row in rows]
    cells = _Cells()

    def table(period: Period, names: tuple[str, ...]) -> list[TableRow]:
        return [
            _table_row(
                row,
                period,
                label,
                cells.row(
                    report.figures[(row.key, period.key)],
                    names,
                    lambda name, row=row, period=period: report.marker(row.key, period.key, name),
                ),
            )
            for row, label in zip(rows, labels, strict=True)
        ]

    return [
        Section(
            period,
            period_label(period),
            participation=table(period, PARTICIPATION_COLUMNS),
            pulse=table(period, PULSE_COLUMNS),
        )
        for period in report.periods_of(granularity)
    ]


def _table_row(row: Row, period: Period, label: str, cells: list[Cell]) -> TableRow:
    html = format_html(
        '<tr class="{}-row" data-row="{}" data-period="{}"><th scope="row">{}</th>{}</tr>',
        row.kind, row.key, period.key, label,
        format_html_join("", "{}", ((cell["html"],) for cell in cells)),
    )  # fmt: skip
    return TableRow(
        key=row.key, kind=row.kind, period=period.key, label=label, cells=cells, html=html
    )


class _Cells:
    """One cell per figure and value (or marker), shared by the rows (nothing changes a
    cell)."""

    def __init__(self) -> None:
        self.made: dict[tuple[str, int | float | str], Cell] = {}
        self.hidden_text = _("hidden")  # for screen readers, in place of the marker

    def row(self, figures: Figures, names: tuple[str, ...], marker) -> list[Cell]:
        made = self.made
        cells = []
        for name in names:
            value = figures[name]
            key = (name, marker(name) if value is None else value)
            cells.append(made.get(key) or self._make(name, value, key))
        return cells

    def _make(self, name: str, value: int | float | None, key: tuple) -> Cell:
        if value is None:
            html = format_html(
                '<td class="num hidden-figure" data-figure="{}" data-value="hidden">'
                '<span aria-hidden="true">{}</span><span class="visually-hidden">{}</span></td>',
                name, key[1], self.hidden_text,
            )  # fmt: skip
            cell = Cell(figure=name, value="hidden", text=key[1], hidden=True, html=html)
        else:
            text = number_format(value, 1) if isinstance(value, float) else str(value)
            if name == "attendance_rate":
                text = f"{text}\u00a0%"
            html = format_html(
                '<td class="num" data-figure="{}" data-value="{}">{}</td>', name, value, text
            )
            cell = Cell(figure=name, value=str(value), text=text, hidden=False, html=html)
        self.made[key] = cell
        return cell


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
