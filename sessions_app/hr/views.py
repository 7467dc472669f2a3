"""HR's aggregate pages and the CSV export.

Every HR figure comes from sessions_app/aggregates.py (suppressed there); these views only
choose which slice of the report to show. HR viewers see their own organisation only:
the organisation comes from sessions_app.access, never from the request.
"""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from sessions_app.access import organisation_for_hr_viewer
from sessions_app.hr import aggregates, charts
from sessions_app.hr.forms import ReportForm

PARTICIPATION_COLUMNS = (
    "enrolled",
    "participants",
    "meetings_attended",
    "attendance_rate",
    "stayed",
)
PULSE_COLUMNS = (
    "pulse_answers",
    "pulse_useful",
    "pulse_safe_place",
    "pulse_important_to_group",
    "pulse_helps_coping",
)


def _report(request: HttpRequest, organisation_id: int):
    today = timezone.localdate()
    units = aggregates.organisation_units(organisation_id)
    form = ReportForm(request.GET or None, units=units, today=today)
    choice = form.choice()
    report = aggregates.participation_report(
        organisation_id, year=choice["year"], today=today, units=units
    )
    return form, choice, report


def period_label(period: aggregates.Period, *, short: bool = False) -> str:
    if period.kind == "month":
        return date_format(period.start, "M" if short else "F Y")
    if period.kind == "quarter":
        if short:
            return _("Q%(number)s") % {"number": period.number}
        return _("Q%(number)s %(year)s") % {"number": period.number, "year": period.year}
    return str(period.year)


class _TableRows:
    """The body rows of the two report tables, built here rather than in the template: a
    month view has about two hundred rows and a thousand cells, and per-cell template
    logic was most of the page's time. Unescaped go in only numbers and names made from
    constants (row kinds and keys, period keys, column names); texts are escaped."""

    def __init__(self, report: aggregates.Report, rows: list[aggregates.Row]):
        self.report = report
        self.rows = [
            (
                row.key,
                format_html('<tr class="{}-row" data-row="{}"', row.kind, row.key),
                format_html('<th scope="row">{}</th>', _row_label(row)),
            )
            for row in rows
        ]
        marker = format_html(
            '<span aria-hidden="true">&lt; {}</span><span class="visually-hidden">{}</span>',
            report.threshold,
            _("hidden"),
        )
        names = (*PARTICIPATION_COLUMNS, *PULSE_COLUMNS)
        self.hidden = {
            name: f'<td class="num hidden-figure" data-figure="{name}" data-value="hidden">'
            f"{marker}</td>"
            for name in names
        }
        self.shown = {name: f'<td class="num" data-figure="{name}" data-value="' for name in names}
        self.texts: dict[tuple[str, int | float], str] = {}  # formatted once per value

    def html(self, period: aggregates.Period, names: tuple[str, ...]) -> SafeString:
        """One <tr> per row: the row's name, then per figure a cell whose data-value is
        the plain number or "hidden"."""
        lines = []
        period_key = escape(period.key)
        for key, start, heading in self.rows:
            figures = self.report.figures[(key, period.key)]
            cells = []
            for name in names:
                value = figures[name]
                if value is None:
                    cells.append(self.hidden[name])
                else:
                    text = self.texts.get((name, value)) or self.text(name, value)
                    cells.append(f'{self.shown[name]}{value}">{text}</td>')
            lines.append(f'{start} data-period="{period_key}">{heading}{"".join(cells)}</tr>')
        return mark_safe("\n".join(lines))  # noqa: S308 - see the class docstring

    def text(self, name: str, value: int | float) -> str:
        text = number_format(value, 1) if isinstance(value, float) else str(value)
        if name == "attendance_rate":
            text = f"{text}\u00a0%"
        self.texts[(name, value)] = escape(text)
        return self.texts[(name, value)]


def _row_label(row: aggregates.Row) -> str:
    if row.kind == "total":
        return _("All units")
    if row.kind == "no_unit":
        return _("No unit given")
    return row.name


@login_required
def participation(request: HttpRequest) -> HttpResponse:
    """The organisation's aggregate participation: chart, tables and the CSV link."""
    organisation_id = organisation_for_hr_viewer(request.user)
    form, choice, report = _report(request, organisation_id)
    granularity = choice["period"]
    selected = report.row(choice["unit"]) if choice["unit"] else None
    rows = [row for row in report.rows if selected is None or row in (selected, report.rows[-1])]
    tables = _TableRows(report, rows)
    sections = [
        {
            "period": period,
            "label": period_label(period),
            "participation": tables.html(period, PARTICIPATION_COLUMNS),
            "pulse": tables.html(period, PULSE_COLUMNS),
        }
        for period in report.periods_of(granularity)
    ]
    series = report.series(granularity, selected.key if selected else aggregates.TOTAL)
    chart_points = [
        {
            "label": period_label(line.period, short=True),
            "enrolled": line.figures["enrolled"],
            "participants": line.figures["participants"],
        }
        for line in series
    ]
    context = {
        "organisation": request.user.hr_organisation,
        "form": form,
        "choice": choice,
        "report": report,
        "selected": selected,
        "sections": sections,
        "chart_points": chart_points,
        "chart": _chart(report, granularity, selected, chart_points) if chart_points else None,
        "csv_query": f"year={report.year}&period={granularity}",
    }
    return render(request, "sessions_app/hr/participation.html", context)


def _chart(report, granularity, selected, points) -> str:
    whose = selected.name if selected else _("the whole organisation")
    per = {"month": _("per month"), "quarter": _("per quarter"), "year": _("per year")}
    return charts.bar_chart(
        chart_id="participation-chart",
        title=_("Enrolled and participants %(per)s, %(year)s: %(whose)s")
        % {"per": per[granularity], "year": report.year, "whose": whose},
        description=_(
            "Bars: supervisors enrolled in forums, and supervisors who attended at least "
            "one meeting. A gap marked “< %(k)s” is hidden to protect a group of fewer "
            "than %(k)s people. The table next to the chart has the same figures."
        )
        % {"k": report.threshold},
        series=[
            charts.Series("enrolled", _("Enrolled"), "#9fc3bf"),
            charts.Series("participants", _("Participants"), "#1f5f5b"),
        ],
        points=[
            charts.Point(point["label"], (point["enrolled"], point["participants"]))
            for point in points
        ],
        hidden_label=f"< {report.threshold}",
    )


@login_required
def participation_csv(request: HttpRequest) -> HttpResponse:
    """The same figures as the page (all units), hidden ones as "<k"."""
    organisation_id = organisation_for_hr_viewer(request.user)
    _form, choice, report = _report(request, organisation_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"participation-{report.year}-{choice['period']}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that spreadsheet programs read the file as UTF-8
    csv.writer(response).writerows(aggregates.csv_rows(report, choice["period"]))
    return response
