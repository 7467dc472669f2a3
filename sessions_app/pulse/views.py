"""The pulse link page (no sign-in: the link is the credential) and the coordinators'
results page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from forums.access import forum_for_coordinator
from sessions_app.access import pulse_receipt_by_token
from sessions_app.models import PULSE_QUESTIONS
from sessions_app.pulse import selectors, services
from sessions_app.pulse.forms import PulseForm


@never_cache
@sensitive_post_parameters()
@sensitive_variables()
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time pulse. A bad link gets a clear 404 page, a used one a thank-you
    page, and neither changes anything. The link and the scores stay out of error
    reports."""
    receipt = pulse_receipt_by_token(token)
    if receipt is None:
        return render(request, "sessions_app/pulse/invalid.html", status=404)
    context = {"meeting": receipt.meeting, "forum": receipt.meeting.forum}
    if receipt.answered_on is not None:
        return render(request, "sessions_app/pulse/answered.html", context)
    if not services.is_open(receipt):
        return render(request, "sessions_app/pulse/closed.html", context, status=410)
    form = PulseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pulse_answer(receipt=receipt, scores=form.scores())
        except services.PulseUnavailable as problem:
            if problem.reason == "closed":
                return render(request, "sessions_app/pulse/closed.html", context, status=410)
        return redirect("pulse:answer", token=token)
    context["form"] = form
    return render(request, "sessions_app/pulse/form.html", context)


@login_required
def forum_results(request: HttpRequest, forum_id: int) -> HttpResponse:
    """The forum's pulse averages, for its coordinators; members 403, others 404. The
    figures carry noise so that no single answer can be read off them, even by a
    coordinator who knows every other answer (sessions_app/pulse/selectors.py)."""
    access = forum_for_coordinator(request.user, forum_id)
    forum = access.forum
    summary = selectors.forum_pulse_results(forum.pk)
    return render(
        request,
        "sessions_app/pulse/forum_results.html",
        {"forum": forum, "access": access, "summary": summary, "questions": PULSE_QUESTIONS},
    )
