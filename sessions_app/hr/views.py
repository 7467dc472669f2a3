"""HR's aggregate pages and the CSV export.

Every HR figure comes from sessions_app/hr/report.py (suppressed there); these views only
choose which slice of the report to show. HR viewers see their own organisation only:
the organisation comes from sessions_app.access, never from the request.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from sessions_app.access import organisation_for_hr_viewer
from sessions_app.hr import charts, export
from sessions_app.hr.forms import ReportForm
from sessions_app.hr.queries import account_deletions, organisation_with_units
from sessions_app.hr.report import Report, Row, participation_report
from sessions_app.hr.tables import chart_points, chart_table, table_sections
from sessions_app.models import PULSE_QUESTIONS


def _report(request: HttpRequest, organisation_id: int) -> tuple[str, ReportForm, dict, Report]:
    """The organisation's name, the filter form, its valid choice and the report."""
    today = timezone.localdate()
    name, units = organisation_with_units(organisation_id)
    form = ReportForm(request.GET or None, units=units, today=today)
    choice = form.choice()
    report = participation_report(organisation_id, year=choice["year"], today=today, units=units)
    return name, form, choice, report


@login_required
def participation(request: HttpRequest) -> HttpResponse:
    """The organisation's aggregate participation: chart, tables and the CSV link."""
    organisation_id = organisation_for_hr_viewer(request.user)
    name, form, choice, report = _report(request, organisation_id)
    granularity = choice["period"]
    selected = report.row(choice["unit"]) if choice["unit"] else None
    points = chart_points(report, granularity, selected)
    context = {
        "organisation_name": name,
        "form": form,
        "choice": choice,
        "report": report,
        "selected": selected,
        "tables": table_sections(report, granularity, selected),
        "chart_table": chart_table(points),
        "chart": _chart(report, granularity, selected, points) if points else None,
        "csv_query": f"year={report.year}&period={granularity}",
        "pulse_questions": PULSE_QUESTIONS,
        "deletions": _deletions(organisation_id, report),
    }
    return render(request, "sessions_app/hr/participation.html", context)


def _deletions(organisation_id: int, report: Report) -> int | None:
    """Account deletions in the reported months; None (shown as "< k") when fewer than
    the threshold, like any figure resting on a few people."""
    count = account_deletions(organisation_id, report.periods)
    return count if count >= report.threshold else None


def _chart(
    report: Report, granularity: str, selected: Row | None, points: list[dict]
) -> SafeString:
    whose = selected.name if selected else _("the whole organisation")
    per = {"month": _("per month"), "quarter": _("per quarter"), "year": _("per year")}
    return charts.bar_chart(
        chart_id="participation-chart",
        title=_("Enrolled and participants %(per)s, %(year)s: %(whose)s")
        % {"per": per[granularity], "year": report.year, "whose": whose},
        description=_(
            "Bars: supervisors enrolled in forums, and supervisors who attended at least "
            "one meeting. A gap marked “< %(k)s” rests on fewer than %(k)s people; a gap "
            "marked “..” is hidden so that such a figure cannot be worked out from the "
            "others. The table next to the chart has the same figures."
        )
        % {"k": report.threshold},
        series=[
            charts.Series("enrolled", _("Enrolled"), "#9fc3bf"),
            charts.Series("participants", _("Participants"), "#1f5f5b"),
        ],
        points=[
            charts.Point(
                point["label"],
                (point["enrolled"], point["participants"]),
                (point["enrolled_marker"], point["participants_marker"]),
            )
            for point in points
        ],
        hidden_label=f"< {report.threshold}",
    )


@login_required
def participation_csv(request: HttpRequest) -> HttpResponse:
    """The same figures as the page (all units), hidden ones as their markers ("<k",
    ".."), as a file for Excel in the viewer's language (sessions_app/hr/export.py)."""
    organisation_id = organisation_for_hr_viewer(request.user)
    _name, _form, choice, report = _report(request, organisation_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(
        True, export.csv_filename(report.year, choice["period"])
    )
    export.csv_write(report, choice["period"], response, translation.get_language())
    return response
