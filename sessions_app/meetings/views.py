from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.html import format_html_join
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
from sessions_app.meetings import meeting_page, selectors, services
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


def _when(meeting: Meeting) -> dict:
    """The meeting's time and status as the page prints them, made once here (the
    template's date filters and get_status_display were a tenth of its rendering)."""
    starts, ends = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    day = f"{starts.day}.{starts.month}.{starts.year}"  # date:"j.n.Y"
    return {
        "day": day,
        "iso": starts.isoformat(),  # date:"c"
        # date:"l j.n.Y" and time:"H.i", as dateformat makes them
        "text": f"{WEEKDAYS[starts.weekday()]} {day} {starts:%H.%M}–{ends:%H.%M}",
        "status": Meeting.Status(meeting.status).label,
    }


# One answer choice of the written-out form (RadioSelect's markup).
_RADIO = (
    '<div><label for="id_rsvp_{0}"><input type="radio" name="rsvp" value="{1}" required'
    ' id="id_rsvp_{0}"{2}> {3}</label></div>'
)


def _rsvp_fields(form: RsvpForm | None, own: meeting_page.OwnAnswer) -> dict:
    """What the answer form, written out in the template, shows: the answer as typed
    after an error, else the stored one. Labels come from the form class, so no form is
    built for a page that only shows it (rendering one through its widget templates was
    a third of this page's time)."""
    fields = RsvpForm.base_fields
    if form is None:
        chosen, note, errors = own.rsvp, own.note, {}
    else:
        chosen, note, errors = form["rsvp"].value(), form["absence_note"].value(), form.errors
    radios = format_html_join(
        "",
        _RADIO,
        (
            (number, value, " checked" if value == chosen else "", label)
            for number, (value, label) in enumerate(fields["rsvp"].choices)
        ),
    )
    return {
        "label": fields["rsvp"].label,
        "radios": radios,
        "errors": errors.get("rsvp"),
        "note_label": fields["absence_note"].label,
        "note_help": fields["absence_note"].help_text,
        "note_max_length": fields["absence_note"].max_length,
        "note": note,
        "note_errors": errors.get("absence_note"),
    }


@sensitive_variables()
def _meeting_page(request: HttpRequest, access, *, rsvp_form=None, status=200) -> HttpResponse:
    """The meeting page. `rsvp_form` is a bound form with errors when an answer could
    not be saved: shown as typed, so nothing is lost.

    One query besides access (meeting_page.meeting_page_data), and after the
    coordinator's reminder one more that counts it."""
    meeting, user = access.meeting, request.user
    open_for_answers = meeting.status == Meeting.Status.SCHEDULED and not meeting.has_started
    held = meeting.status == Meeting.Status.HELD
    # Decrypted only where shown: the viewer's own texts, the shared preparations and,
    # for coordinators, the notes to the coordinator.
    data = meeting_page.meeting_page_data(
        meeting,
        user,
        member=access.is_member,
        coordinator=access.is_coordinator,
        own_note=open_for_answers,
    )
    context = {
        "meeting": meeting,
        "when": _when(meeting),
        "forum": access.forum,
        "access": access,
        "is_member": access.is_member,
        "open_for_answers": open_for_answers,
        "rsvp_form": rsvp_form,
        # Coordinators see every answer below; who attended still has its own list.
        "coming": data.coming if not access.is_coordinator or held else None,
        "my_preparation": data.my_preparation,
        "shared_preparations": data.shared_preparations,
    }
    if data.own is not None:
        context["own_answer"] = data.own
        context["rsvp"] = _rsvp_fields(rsvp_form, data.own) if open_for_answers else None
    if access.is_coordinator:
        context["answers"] = data.answers
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
