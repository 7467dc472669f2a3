"""HR's aggregate pages and export, the pulse link page and the coordinators' pulse page.

Every HR figure comes from sessions_app/aggregates.py (suppressed there); these views only
choose which slice of the report to show. HR viewers see their own organisation only:
the organisation comes from members.roles.hr_organisation_id, never from the request.
"""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from forums.access import get_forum_for_coordinator
from members.roles import hr_organisation_id
from sessions_app import aggregates, charts
from sessions_app import pulse as pulse_services
from sessions_app.hr_forms import PulseForm, ReportForm

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


def _organisation_id(request: HttpRequest) -> int:
    organisation_id = hr_organisation_id(request.user)
    if organisation_id is None:
        raise Http404
    return organisation_id


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


def _cells(figures: dict, names: tuple[str, ...]) -> list[dict]:
    """Per cell: the machine value for data-value (a plain number or "hidden") and the
    localised text, or None when hidden. Prepared here because a month view has about a
    thousand cells and template logic per cell is what the page spends its time on."""
    cells = []
    for name in names:
        value = figures[name]
        if value is None:
            cells.append({"name": name, "raw": "hidden", "text": None, "css": " hidden-figure"})
            continue
        text = number_format(value, 1) if isinstance(value, float) else str(value)
        if name == "attendance_rate":
            text = f"{text}\u00a0%"
        cells.append({"name": name, "raw": str(value), "text": text, "css": ""})
    return cells


@login_required
def participation(request: HttpRequest) -> HttpResponse:
    """The organisation's aggregate participation: chart, tables and the CSV link."""
    organisation_id = _organisation_id(request)
    form, choice, report = _report(request, organisation_id)
    granularity = choice["period"]
    selected = report.row(choice["unit"]) if choice["unit"] else None
    sections = []
    for period in report.periods_of(granularity):
        rows = [
            row for row in report.rows if selected is None or row in (selected, report.rows[-1])
        ]
        sections.append(
            {
                "period": period,
                "label": period_label(period),
                "rows": [
                    {
                        "row": row,
                        "participation": _cells(
                            report.figures[(row.key, period.key)], PARTICIPATION_COLUMNS
                        ),
                        "pulse": _cells(report.figures[(row.key, period.key)], PULSE_COLUMNS),
                    }
                    for row in rows
                ],
            }
        )
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
    organisation_id = _organisation_id(request)
    _form, choice, report = _report(request, organisation_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"participation-{report.year}-{choice['period']}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so that spreadsheet programs read the file as UTF-8
    csv.writer(response).writerows(aggregates.csv_rows(report, choice["period"]))
    return response


# --- The pulse link ------------------------------------------------------------------------


@never_cache
def pulse(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time pulse. The link is the credential; no sign-in. A bad link gets a
    clear 404 page, a used one a thank-you page, and neither changes anything."""
    receipt = pulse_services.find_receipt(token)
    if receipt is None:
        return render(request, "sessions_app/pulse/invalid.html", status=404)
    context = {"meeting": receipt.meeting, "forum": receipt.meeting.forum}
    if receipt.answered_on is not None:
        return render(request, "sessions_app/pulse/answered.html", context)
    if not pulse_services.is_open(receipt):
        return render(request, "sessions_app/pulse/closed.html", context, status=410)
    form = PulseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pulse_services.pulse_answer(receipt=receipt, scores=form.scores())
        except pulse_services.PulseUnavailable as problem:
            if problem.reason == "closed":
                return render(request, "sessions_app/pulse/closed.html", context, status=410)
        return redirect("hr:pulse", token=token)
    context["form"] = form
    return render(request, "sessions_app/pulse/form.html", context)


@login_required
def forum_pulse(request: HttpRequest, forum_id: int) -> HttpResponse:
    """The forum's pulse averages, for its coordinators; members 403, others 404."""
    forum = get_forum_for_coordinator(request.user, forum_id)
    summary = aggregates.forum_pulse_summary(forum.pk)
    return render(
        request,
        "sessions_app/pulse/forum_results.html",
        {"forum": forum, "summary": summary, "questions": pulse_services.QUESTIONS},
    )
