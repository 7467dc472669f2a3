from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from foorumix.crypto import UndecryptableText
from forums.access import forum_for_coordinator
from sessions_app.access import (
    meeting_for_coordinator,
    meeting_for_member,
    meeting_for_participant,
)
from sessions_app.live import selectors as live_selectors
from sessions_app.meetings import selectors, services
from sessions_app.meetings.forms import (
    MeetingEditForm,
    MeetingScheduleForm,
    PreparationForm,
    RsvpForm,
)
from sessions_app.meetings.scheduling import rule_text
from sessions_app.models import Meeting
from sessions_app.themes import selectors as theme_selectors


def _themes_for_datalist(forum, user):
    return [theme.title for theme in theme_selectors.forum_themes(forum, user)]


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    """All my meetings across forums."""
    upcoming, past = selectors.my_meetings(request.user)
    return render(request, "sessions_app/meeting_list.html", {"upcoming": upcoming, "past": past})


@login_required
def meeting_schedule(request: HttpRequest, forum_id: int) -> HttpResponse:
    access = forum_for_coordinator(request.user, forum_id)
    forum = access.forum
    form = MeetingScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meetings = services.meeting_schedule(
                forum=forum,
                actor=request.user,
                occurrences=form.occurrences(),
                place=data["place"],
                online_url=data["online_url"],
                theme=data["theme"],
                agenda=data["agenda"],
                rule=rule_text(data["day"], data["start"], data["repeat"], data["count"]),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(count)s meeting(s) scheduled. Members will be told.")
                % {"count": len(meetings)},
            )
            return redirect("forums:detail", forum_id=forum.pk)
    return render(
        request,
        "sessions_app/meeting_schedule.html",
        {
            "forum": forum,
            "access": access,
            "form": form,
            "themes": _themes_for_datalist(forum, request.user),
        },
    )


@sensitive_variables()
def _meeting_page(request: HttpRequest, access, *, rsvp_form=None, status=200) -> HttpResponse:
    """The meeting page. `rsvp_form` is a bound form with errors when an answer could
    not be saved: shown as typed, so nothing is lost."""
    meeting = access.meeting
    open_for_answers = meeting.status == Meeting.Status.SCHEDULED and not meeting.has_started
    context = {
        "meeting": meeting,
        "forum": access.forum,
        "access": access,
        # Coordinators see every answer below; who attended still has its own list.
        "coming": selectors.coming(meeting)
        if not access.is_coordinator or meeting.status == Meeting.Status.HELD
        else None,
        "shared_preparations": selectors.shared_preparations(meeting, exclude_user=request.user),
        "is_member": access.is_member,
        "open_for_answers": open_for_answers,
    }
    if access.is_member:
        participation = meeting.participations.filter(user=request.user).first()
        context["participation"] = participation
        context["rsvp_form"] = rsvp_form or RsvpForm(instance=participation)
        # Decrypted for its author only; other members' private preparations are never
        # read here (shared ones come from shared_preparations).
        context["my_preparation"] = selectors.own_preparation(meeting, request.user)
    if access.is_coordinator:
        context["answers"] = selectors.answers_for_coordinator(meeting)
        context["may_nudge"] = open_for_answers and meeting.nudged_at is None
        if meeting.nudged_at is not None:
            context["nudged_count"] = selectors.nudged_count(meeting)
    response = render(request, "sessions_app/meeting_detail.html", context, status=status)
    # The page may show the viewer's own preparation or the notes to the coordinator.
    response["Cache-Control"] = "no-store"
    return response


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _meeting_page(request, meeting_for_member(request.user, meeting_id))


@login_required
@sensitive_post_parameters("absence_note")
@sensitive_variables()
def meeting_rsvp(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Save the member's answer and return to its place on the meeting page; on an
    error, show the page again with the answer as typed."""
    access = meeting_for_participant(request.user, meeting_id)
    meeting = access.meeting
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = RsvpForm(request.POST)
    if form.is_valid():
        try:
            services.rsvp_set(
                meeting=meeting,
                user=request.user,
                rsvp=form.cleaned_data["rsvp"],
                absence_note=form.cleaned_data["absence_note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your answer was saved."))
            return redirect(reverse("meetings:detail", kwargs={"meeting_id": meeting.pk}) + "#rsvp")
    return _meeting_page(request, access, rsvp_form=form, status=400)


@login_required
def meeting_nudge(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """A coordinator's one reminder to the members who have not answered (POST from the
    meeting page, whose button says exactly whom it goes to)."""
    access = meeting_for_coordinator(request.user, meeting_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        queued = services.meeting_nudge(meeting=access.meeting, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext(
                "The reminder is on its way to %(count)s member.",
                "The reminder is on its way to %(count)s members.",
                queued,
            )
            % {"count": queued},
        )
    return redirect(reverse("meetings:detail", kwargs={"meeting_id": meeting_id}) + "#answers")


@login_required
@sensitive_post_parameters("current_situation", "to_bring")
@sensitive_variables()
def meeting_preparation(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The member's own preparation. GET shows the editor; POST saves it.

    A stored preparation that no configured key opens gets a clear 503 page instead
    of the editor (like session notes), so it is not overwritten unseen."""
    access = meeting_for_participant(request.user, meeting_id)
    meeting = access.meeting
    preparation = meeting.preparations.filter(author=request.user).first()
    context = {"meeting": meeting, "forum": access.forum, "access": access}
    status = 200
    if preparation is not None and any(
        isinstance(text, UndecryptableText)
        for text in (preparation.current_situation, preparation.to_bring)
    ):
        context["undecryptable"] = True
        status = 503
    else:
        form = PreparationForm(request.POST or None, instance=preparation)
        if request.method == "POST" and form.is_valid():
            services.preparation_save(meeting=meeting, user=request.user, **form.cleaned_data)
            messages.success(request, _("Your preparation was saved."))
            return redirect("meetings:detail", meeting_id=meeting.pk)
        context["form"] = form
    response = render(request, "sessions_app/preparation.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    access = meeting_for_coordinator(request.user, meeting_id)
    meeting = access.meeting
    starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    initial = {
        "day": starts.date(),
        "start": starts.time(),
        "end": ends.time(),
        "place": meeting.place,
        "online_url": meeting.online_url,
        "theme": meeting.theme,
        "agenda": meeting.agenda,
        "note_taker": meeting.note_taker_id,
    }
    members = selectors.member_queryset(meeting.forum)
    form = MeetingEditForm(request.POST or None, initial=initial, members=members)
    if request.method == "POST" and form.is_valid():
        times = form.times()
        data = form.cleaned_data
        try:
            services.meeting_update(
                meeting=meeting,
                actor=request.user,
                starts_at=times.starts_at,
                ends_at=times.ends_at,
                place=data["place"],
                online_url=data["online_url"],
                theme=data["theme"],
                agenda=data["agenda"],
                note_taker=data["note_taker"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting was updated."))
            return redirect("meetings:detail", meeting_id=meeting.pk)
    return render(
        request,
        "sessions_app/meeting_edit.html",
        {
            "meeting": meeting,
            "forum": access.forum,
            "access": access,
            "form": form,
            "themes": _themes_for_datalist(meeting.forum, request.user),
        },
    )


@login_required
def meeting_cancel(request: HttpRequest, meeting_id: int) -> HttpResponse:
    access = meeting_for_coordinator(request.user, meeting_id)
    meeting = access.meeting
    if request.method == "POST":
        try:
            services.meeting_cancel(meeting=meeting, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The meeting was cancelled. Members will be told."))
        return redirect("meetings:detail", meeting_id=meeting.pk)
    return render(
        request,
        "sessions_app/meeting_cancel.html",
        {"meeting": meeting, "forum": access.forum, "access": access},
    )


@login_required
def meeting_attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Record who attended (pre-filled from the RSVPs) and mark the meeting held."""
    access = meeting_for_coordinator(request.user, meeting_id)
    meeting = access.meeting
    if request.method == "POST":
        try:
            present = [int(value) for value in request.POST.getlist("present")]
            services.attendance_record(
                meeting=meeting, actor=request.user, present_user_ids=present
            )
        except (ValueError, ValidationError) as error:
            messages.error(
                request,
                " ".join(error.messages) if isinstance(error, ValidationError) else _("Bad input."),
            )
        else:
            messages.success(request, _("Attendance was saved and the meeting marked held."))
            return redirect("meetings:detail", meeting_id=meeting.pk)
    return render(
        request,
        "sessions_app/attendance.html",
        {
            "meeting": meeting,
            "forum": access.forum,
            "access": access,
            # Who joined the live meeting is ticked; the coordinator confirms.
            "people": live_selectors.attendance_prefill(
                meeting, selectors.attendance_sheet(meeting)
            ),
        },
    )
