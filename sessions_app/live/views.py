"""The live meeting's pages: the members' view on their phones, the facilitator's view
with its controls, the large-text room screen, and the state they all poll.

Every response is `no-store`: the pages carry the viewer's own private texts or the
names of the people present."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from foorumix.crypto import UndecryptableText
from sessions_app.live import plans, selectors, services
from sessions_app.live.access import (
    is_live_open,
    live_for_facilitator,
    live_for_viewer,
    live_for_writer,
    live_window,
)
from sessions_app.live.forms import (
    CommitmentForm,
    ControlForm,
    NotepadForm,
    OrderModeForm,
    OutcomeForm,
    PresenceForm,
)


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _page_context(
    access, request: HttpRequest, texts: selectors.RoomTexts | None = None, live=None
) -> dict:
    """What every live page shows. The member's page passes the live state and its texts
    read together (selectors.room_of); the others read them here."""
    meeting = access.meeting
    if live is None:
        live = selectors.live_of(meeting)
    opens, closes = live_window(meeting)
    opening_text = texts.opening_text if texts else plans.opening_text(plans.plan_for(meeting))
    return {
        "meeting": meeting,
        "forum": access.forum,
        "access": access,
        "live": live,
        "state": selectors.state(live, viewer_id=request.user.pk),
        "is_open": is_live_open(meeting),
        "opens_at": opens,
        "closes_at": closes,
        "opening_text": opening_text,
        "guidance": [(kind, text) for kind, text in plans.GUIDANCE.items()],
    }


@login_required
@sensitive_variables()
def room(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """A member's view: the phase, whose turn, their own place and time, their private
    notepad and, in the closing round, their commitment. Opening it in the window
    tells the facilitator they are in the room."""
    access = live_for_viewer(request.user, meeting_id)
    meeting = access.meeting
    # (The window is checked here too, so that a closed page opens no transaction.)
    if access.is_member and is_live_open(meeting):
        services.presence_join(meeting=meeting, user=request.user)
    # The live state, the plan's opening text and the member's own texts in one query.
    live, texts = selectors.room_of(meeting, request.user if access.is_member else None)
    context = _page_context(access, request, texts, live)
    if access.is_member:
        # Not `text or ""`: an UndecryptableText reads as "" but must stay itself.
        own = ["" if t is None else t for t in (texts.notepad, texts.commitment)]
        context["undecryptable"] = any(isinstance(t, UndecryptableText) for t in own)
        if context["is_open"]:  # the forms are shown only while the meeting is open
            context["notepad_form"] = NotepadForm(initial={"text": own[0]})
            context["commitment_form"] = CommitmentForm(initial={"text": own[1]})
        context["notepad"], context["commitment"] = texts.notepad, texts.commitment
    return _no_store(render(request, "sessions_app/live/room.html", context))


@login_required
def state(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The state every live page polls: no content, only phase, order and times."""
    access = live_for_viewer(request.user, meeting_id)
    live = selectors.live_of(access.meeting)
    return _no_store(JsonResponse(selectors.state(live, viewer_id=request.user.pk)))


@login_required
def facilitate(request: HttpRequest, meeting_id: int) -> HttpResponse:
    access = live_for_facilitator(request.user, meeting_id)
    context = _page_context(access, request)
    live = context["live"]
    context["room"] = selectors.room(access.meeting)
    context["phases"] = (
        live.phases if live.started_at else plans.phases_of(plans.plan_for(access.meeting))
    )
    context["phase_titles"] = [plans.phase_title(p) for p in context["phases"]]
    context["present_count"] = sum(
        1 for row in context["room"] if row["presence"] and row["presence"].present
    )
    context["planned_minutes"] = plans.planned_minutes(context["phases"], context["present_count"])
    context["order_form"] = OrderModeForm(initial={"order_mode": live.order_mode})
    return _no_store(render(request, "sessions_app/live/facilitate.html", context))


@login_required
def screen(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Large text to project in the room or share in a video call."""
    access = live_for_facilitator(request.user, meeting_id)
    context = _page_context(access, request)
    return _no_store(render(request, "sessions_app/live/screen.html", context))


def _report(request: HttpRequest, error: ValidationError) -> None:
    level = messages.warning if isinstance(error, services.StaleState) else messages.error
    level(request, " ".join(error.messages))


@login_required
def control(request: HttpRequest, meeting_id: int) -> HttpResponse:
    access = live_for_facilitator(request.user, meeting_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ControlForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bad input."))
    else:
        try:
            services.live_control(meeting=access.meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _report(request, error)
    return redirect("live:facilitate", meeting_id=access.meeting.pk)


@login_required
def order_mode(request: HttpRequest, meeting_id: int) -> HttpResponse:
    access = live_for_facilitator(request.user, meeting_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = OrderModeForm(request.POST)
    if form.is_valid():
        services.live_order_mode_set(
            meeting=access.meeting, actor=request.user, order_mode=form.cleaned_data["order_mode"]
        )
    return redirect("live:facilitate", meeting_id=access.meeting.pk)


@login_required
def presence(request: HttpRequest, meeting_id: int) -> HttpResponse:
    access = live_for_facilitator(request.user, meeting_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = PresenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bad input."))
    else:
        try:
            services.presence_set(
                meeting=access.meeting,
                actor=request.user,
                user_id=form.cleaned_data["user"],
                present=form.cleaned_data["present"],
            )
        except ValidationError as error:
            _report(request, error)
    return redirect("live:facilitate", meeting_id=access.meeting.pk)


def _room_url(meeting, anchor: str) -> str:
    return reverse("live:room", kwargs={"meeting_id": meeting.pk}) + f"#{anchor}"


def _save_own_text(request: HttpRequest, meeting_id: int, form_class, save, done: str):
    access = live_for_writer(request.user, meeting_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            save(meeting=access.meeting, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _report(request, error)
        else:
            messages.success(request, done)
    return access


@login_required
@sensitive_post_parameters("text")
@sensitive_variables()
def notepad(request: HttpRequest, meeting_id: int) -> HttpResponse:
    result = _save_own_text(
        request, meeting_id, NotepadForm, services.notepad_save, _("Your notes were saved.")
    )
    if isinstance(result, HttpResponse):
        return result
    return redirect(_room_url(result.meeting, "notepad"))


@login_required
@sensitive_post_parameters("text")
@sensitive_variables()
def commitment(request: HttpRequest, meeting_id: int) -> HttpResponse:
    result = _save_own_text(
        request, meeting_id, CommitmentForm, services.commitment_save,
        _("Your commitment was saved."),
    )  # fmt: skip
    if isinstance(result, HttpResponse):
        return result
    return redirect(_room_url(result.meeting, "commitment"))


@login_required
@sensitive_post_parameters("outcome")
@sensitive_variables()
def commitment_outcome(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """How an earlier commitment went, answered from the next meeting's pages."""
    result = _save_own_text(
        request, meeting_id, OutcomeForm, services.commitment_outcome_save,
        _("Thank you. Your answer was saved."),
    )  # fmt: skip
    if isinstance(result, HttpResponse):
        return result
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "meetings:list"
    return redirect(target)
