from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from forums.access import (
    get_forum_for_coordinator,
    get_forum_for_member,
    get_forum_for_participant,
)
from sessions_app.access import (
    get_meeting_for_coordinator,
    get_meeting_for_member,
    get_meeting_for_participant,
    meetings_visible_to,
)
from sessions_app.meetings import calendar, feeds, selectors, services
from sessions_app.meetings.forms import (
    MeetingEditForm,
    MeetingScheduleForm,
    PollAnswerForm,
    PollForm,
    PollSlotFormSet,
    PreparationForm,
    RsvpForm,
    ThemeProposalForm,
)
from sessions_app.meetings.scheduling import Occurrence, local, rule_text
from sessions_app.models import Meeting, Participation, SchedulingPoll, Theme


def _themes_for_datalist(forum, user):
    return [theme.title for theme in selectors.forum_themes(forum, user)]


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    """All my meetings across forums."""
    return render(
        request,
        "sessions_app/meeting_list.html",
        {
            "upcoming": list(selectors.upcoming_meetings(request.user)),
            "past": list(selectors.past_meetings(request.user)),
        },
    )


@login_required
def meeting_schedule(request: HttpRequest, forum_id: int) -> HttpResponse:
    forum = get_forum_for_coordinator(request.user, forum_id)
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
        {"forum": forum, "form": form, "themes": _themes_for_datalist(forum, request.user)},
    )


@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_member(request.user, meeting_id)
    forum = meeting.forum
    participation = meeting.participations.filter(user=request.user).first()
    preparation = meeting.preparations.filter(author=request.user).first()
    is_member = forum.viewer_membership is not None
    context = {
        "meeting": meeting,
        "forum": forum,
        "participation": participation,
        "coming": selectors.coming(meeting),
        "shared_preparations": selectors.shared_preparations(meeting, exclude_user=request.user),
        "is_member": is_member,
        "open_for_answers": meeting.status == Meeting.Status.SCHEDULED and not meeting.has_started,
    }
    if is_member:
        context["rsvp_form"] = RsvpForm(instance=participation)
        context["preparation_form"] = PreparationForm(instance=preparation)
    if forum.viewer_is_coordinator:
        context["rsvps"] = selectors.rsvps_for_coordinator(meeting)
    return render(request, "sessions_app/meeting_detail.html", context)


@login_required
def meeting_rsvp(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_participant(request.user, meeting_id)
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
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your answer was saved."))
    else:
        messages.error(request, _("Choose whether you are coming."))
    return redirect("meetings:detail", meeting_id=meeting.pk)


@login_required
def meeting_preparation(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The member's own preparation. GET shows the editor; POST saves it."""
    meeting = get_meeting_for_participant(request.user, meeting_id)
    preparation = meeting.preparations.filter(author=request.user).first()
    form = PreparationForm(request.POST or None, instance=preparation)
    if request.method == "POST" and form.is_valid():
        services.preparation_save(meeting=meeting, user=request.user, **form.cleaned_data)
        messages.success(request, _("Your preparation was saved."))
        return redirect("meetings:detail", meeting_id=meeting.pk)
    response = render(
        request,
        "sessions_app/preparation.html",
        {"meeting": meeting, "forum": meeting.forum, "form": form},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_coordinator(request.user, meeting_id)
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
    members = services.member_queryset(meeting.forum)
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
            "forum": meeting.forum,
            "form": form,
            "themes": _themes_for_datalist(meeting.forum, request.user),
        },
    )


@login_required
def meeting_cancel(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_coordinator(request.user, meeting_id)
    if request.method == "POST":
        try:
            services.meeting_cancel(meeting=meeting, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The meeting was cancelled. Members will be told."))
        return redirect("meetings:detail", meeting_id=meeting.pk)
    return render(
        request, "sessions_app/meeting_cancel.html", {"meeting": meeting, "forum": meeting.forum}
    )


@login_required
def meeting_attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Record who attended (pre-filled from the RSVPs) and mark the meeting held."""
    meeting = get_meeting_for_coordinator(request.user, meeting_id)
    candidates = services.attendance_candidates(meeting)
    rows = {p.user_id: p for p in meeting.participations.all()}
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
    people = []
    for user in candidates:
        row = rows.get(user.pk)
        if row is not None and row.attended is not None:
            present = row.attended
        else:
            present = row is not None and row.rsvp == Participation.Rsvp.YES
        people.append({"user": user, "present": present, "rsvp": row.rsvp if row else ""})
    return render(
        request,
        "sessions_app/attendance.html",
        {"meeting": meeting, "forum": meeting.forum, "people": people},
    )


@login_required
def meeting_ics(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_member(request.user, meeting_id)
    method = "CANCEL" if meeting.is_cancelled else "PUBLISH"
    response = HttpResponse(
        calendar.calendar_for([meeting], method=method), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="foorumix-{meeting.pk}.ics"'
    return response


# --- Finding a time -----------------------------------------------------------------------


@login_required
def poll_create(request: HttpRequest, forum_id: int) -> HttpResponse:
    forum = get_forum_for_coordinator(request.user, forum_id)
    form = PollForm(request.POST or None)
    slots = PollSlotFormSet(request.POST or None, prefix="slot")
    if request.method == "POST" and form.is_valid() and slots.is_valid():
        times = [
            Occurrence(local(s["day"], s["start"]), local(s["day"], s["end"]))
            for s in slots.cleaned_data
            if s
        ]
        try:
            poll = services.poll_create(
                forum=forum, actor=request.user, slots=times, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The poll is open. Members can now answer."))
            return redirect("meetings:poll", poll_id=poll.pk)
    return render(
        request, "sessions_app/poll_create.html", {"forum": forum, "form": form, "slots": slots}
    )


def _get_poll(
    request: HttpRequest, poll_id: int, *, coordinator: bool = False
) -> tuple[SchedulingPoll, object]:
    """The poll through its forum's access helper (members, or coordinators only)."""
    poll = SchedulingPoll.objects.filter(pk=poll_id).only("pk", "forum_id").first()
    if poll is None:
        raise Http404
    access = get_forum_for_coordinator if coordinator else get_forum_for_member
    forum = access(request.user, poll.forum_id)
    poll = SchedulingPoll.objects.select_related("meeting").get(pk=poll_id)
    poll.forum = forum
    return poll, forum


@login_required
def poll_detail(request: HttpRequest, poll_id: int) -> HttpResponse:
    """Members answer for themselves; only coordinators see who answered what."""
    poll, forum = _get_poll(request, poll_id)
    slots = list(poll.slots.all())
    context = {"poll": poll, "forum": forum}
    if forum.viewer_membership is not None and not poll.closed_at:
        initial = {f"slot_{k}": v for k, v in selectors.my_poll_answers(poll, request.user).items()}
        form = PollAnswerForm(request.POST or None, slots=slots, initial=initial)
        if request.method == "POST" and form.is_valid():
            services.poll_answer(poll=poll, user=request.user, answers=form.answers())
            messages.success(request, _("Your answers were saved."))
            return redirect("meetings:poll", poll_id=poll.pk)
        context["form"] = form
    elif request.method == "POST":
        return HttpResponseNotAllowed(["GET"])
    if forum.viewer_is_coordinator:
        context["slots"], context["respondents"], grid = selectors.poll_matrix(poll)
        context["rows"] = [
            (person, [grid.get((slot.pk, person.pk), "") for slot in context["slots"]])
            for person in context["respondents"]
        ]
    return render(request, "sessions_app/poll_detail.html", context)


@login_required
def poll_pick(request: HttpRequest, poll_id: int, slot_id: int) -> HttpResponse:
    poll, _forum = _get_poll(request, poll_id, coordinator=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    slot = poll.slots.filter(pk=slot_id).first()
    if slot is None:
        raise Http404
    try:
        meeting = services.poll_pick(poll=poll, slot=slot, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("meetings:poll", poll_id=poll.pk)
    messages.success(request, _("The meeting was scheduled."))
    return redirect("meetings:detail", meeting_id=meeting.pk)


# --- Themes ---------------------------------------------------------------------------------


@login_required
def themes(request: HttpRequest, forum_id: int) -> HttpResponse:
    """The theme library and the forum's proposals; members propose and vote."""
    forum = get_forum_for_member(request.user, forum_id)
    form = ThemeProposalForm(request.POST or None)
    # Members and coordinators propose; get_forum_for_member lets only them this far.
    if request.method == "POST" and form.is_valid():
        services.theme_propose(forum=forum, user=request.user, title=form.cleaned_data["title"])
        messages.success(request, _("Thank you, your theme was added."))
        return redirect("meetings:themes", forum_id=forum.pk)
    return render(
        request,
        "sessions_app/themes.html",
        {"forum": forum, "form": form, "themes": selectors.forum_themes(forum, request.user)},
    )


@login_required
def theme_vote(request: HttpRequest, forum_id: int, theme_id: int) -> HttpResponse:
    forum = get_forum_for_participant(request.user, forum_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    theme = Theme.objects.filter(pk=theme_id).first()
    if theme is None or theme.forum_id not in (None, forum.pk):
        raise Http404
    services.theme_vote_toggle(forum=forum, theme=theme, user=request.user)
    return redirect("meetings:themes", forum_id=forum.pk)


# --- Calendar subscription ----------------------------------------------------------------


@login_required
@never_cache
def calendar_settings(request: HttpRequest) -> HttpResponse:
    """Show the personal feed address; create, replace or revoke it."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            feeds.feed_create(user=request.user)
            messages.success(request, _("Your calendar address is ready."))
        elif action == "revoke":
            feeds.feed_revoke(user=request.user)
            messages.success(request, _("The calendar address was revoked and stops working now."))
        return redirect("meetings:calendar")
    feed = feeds.live_feed(request.user)
    return render(
        request,
        "sessions_app/calendar_settings.html",
        {"feed_url": feeds.feed_url(feed) if feed else None},
    )


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscription feed: the token is the credential; revoked or unknown → 404."""
    feed = feeds.find_feed(token)
    if feed is None:
        raise Http404
    since = timezone.now() - timedelta(days=30)
    meetings = (
        meetings_visible_to(feed.user)
        .filter(ends_at__gte=since)
        .select_related("forum")
        .order_by("starts_at")
    )
    return HttpResponse(
        calendar.calendar_for(meetings, name="Foorumix"),
        content_type="text/calendar; charset=utf-8",
    )
