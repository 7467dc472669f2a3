"""Editing meeting plans: a forum's default and one meeting's own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sessions_app.live import plans, services
from sessions_app.live.access import live_for_facilitator, plan_for_coordinator
from sessions_app.live.forms import PhaseFormSet, PlanForm
from sessions_app.models import MeetingPlan


def _edit(request: HttpRequest, *, forum, meeting, plan: MeetingPlan | None, done_url: str):
    initial = plans.phases_of(plan)
    formset = PhaseFormSet(request.POST or None, initial=initial, prefix="phase")
    form = PlanForm(
        request.POST or None, initial={"opening_text": plan.opening_text if plan else ""}
    )
    if request.method == "POST" and formset.is_valid() and form.is_valid():
        phases = [data for data in formset.cleaned_data if data and not data.get("DELETE")]
        try:
            services.plan_save(
                forum=forum, meeting=meeting, actor=request.user, phases=phases,
                opening_text=form.cleaned_data["opening_text"],
            )  # fmt: skip
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The meeting plan was saved."))
            return redirect(done_url)
    return render(
        request,
        "sessions_app/live/plan.html",
        {
            "forum": forum,
            "meeting": meeting,
            "formset": formset,
            "form": form,
            "default_opening_text": plans.DEFAULT_OPENING_TEXT,
            "own_plan": plan is not None and plan.meeting_id is not None,
        },
    )


@login_required
def forum_plan(request: HttpRequest, forum_id: int) -> HttpResponse:
    """The forum's default plan, used by every meeting without a plan of its own."""
    access = plan_for_coordinator(request.user, forum_id)
    return _edit(
        request, forum=access.forum, meeting=None, plan=plans.forum_plan(access.forum),
        done_url=request.path,
    )  # fmt: skip


@login_required
def meeting_plan(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """One meeting's own plan (starting from the forum's); "reset" returns it to the
    forum's plan. A meeting already running keeps the plan it started with."""
    access = live_for_facilitator(request.user, meeting_id)
    meeting = access.meeting
    if request.method == "POST" and "reset" in request.POST:
        services.plan_reset(meeting=meeting, actor=request.user)
        messages.success(request, _("The meeting follows the forum's plan again."))
        return redirect(request.path)
    return _edit(
        request, forum=access.forum, meeting=meeting, plan=plans.plan_for(meeting),
        done_url=request.path,
    )  # fmt: skip
