"""Finding a time (scheduling polls) and choosing themes, for a forum's members and
coordinators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from forums.access import forum_for_coordinator, forum_for_member
from sessions_app.access import poll_for_coordinator, poll_for_member, theme_for_participant
from sessions_app.meetings import planning, selectors
from sessions_app.meetings.forms import (
    PollAnswerForm,
    PollForm,
    PollSlotFormSet,
    ThemeProposalForm,
)
from sessions_app.meetings.scheduling import Occurrence, local

# --- Finding a time -----------------------------------------------------------------------


@login_required
def poll_create(request: HttpRequest, forum_id: int) -> HttpResponse:
    access = forum_for_coordinator(request.user, forum_id)
    forum = access.forum
    form = PollForm(request.POST or None)
    slots = PollSlotFormSet(request.POST or None, prefix="slot")
    if request.method == "POST" and form.is_valid() and slots.is_valid():
        times = [
            Occurrence(local(s["day"], s["start"]), local(s["day"], s["end"]))
            for s in slots.cleaned_data
            if s
        ]
        try:
            poll = planning.poll_create(
                forum=forum, actor=request.user, slots=times, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The poll is open. Members can now answer."))
            return redirect("meetings:poll", poll_id=poll.pk)
    return render(
        request,
        "sessions_app/poll_create.html",
        {"forum": forum, "access": access, "form": form, "slots": slots},
    )


@login_required
def poll_detail(request: HttpRequest, poll_id: int) -> HttpResponse:
    """Members answer for themselves; only coordinators see who answered what."""
    access, poll = poll_for_member(request.user, poll_id)
    slots = list(poll.slots.all())
    context = {"poll": poll, "forum": access.forum, "access": access}
    if access.is_member and not poll.closed_at:
        initial = {f"slot_{k}": v for k, v in selectors.my_poll_answers(poll, request.user).items()}
        form = PollAnswerForm(request.POST or None, slots=slots, initial=initial)
        if request.method == "POST" and form.is_valid():
            planning.poll_answer(poll=poll, user=request.user, answers=form.answers())
            messages.success(request, _("Your answers were saved."))
            return redirect("meetings:poll", poll_id=poll.pk)
        context["form"] = form
    elif request.method == "POST":
        return HttpResponseNotAllowed(["GET"])
    if access.is_coordinator:
        context["slots"], context["respondents"], grid = selectors.poll_matrix(poll)
        context["rows"] = [
            (person, [grid.get((slot.pk, person.pk), "") for slot in context["slots"]])
            for person in context["respondents"]
        ]
    return render(request, "sessions_app/poll_detail.html", context)


@login_required
def poll_pick(request: HttpRequest, poll_id: int, slot_id: int) -> HttpResponse:
    _access, poll = poll_for_coordinator(request.user, poll_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    slot = poll.slots.filter(pk=slot_id).first()
    if slot is None:
        raise Http404
    try:
        meeting = planning.poll_pick(poll=poll, slot=slot, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("meetings:poll", poll_id=poll.pk)
    messages.success(request, _("The meeting was scheduled."))
    return redirect("meetings:detail", meeting_id=meeting.pk)


# --- Themes ---------------------------------------------------------------------------------


@login_required
def themes(request: HttpRequest, forum_id: int) -> HttpResponse:
    """The theme library and the forum's proposals; members propose and vote."""
    access = forum_for_member(request.user, forum_id)
    forum = access.forum
    form = ThemeProposalForm(request.POST or None)
    # Members and coordinators propose; forum_for_member lets only them this far.
    if request.method == "POST" and form.is_valid():
        planning.theme_propose(forum=forum, user=request.user, title=form.cleaned_data["title"])
        messages.success(request, _("Thank you, your theme was added."))
        return redirect("meetings:themes", forum_id=forum.pk)
    return render(
        request,
        "sessions_app/themes.html",
        {
            "forum": forum,
            "access": access,
            "form": form,
            "themes": selectors.forum_themes(forum, request.user),
        },
    )


@login_required
def theme_vote(request: HttpRequest, forum_id: int, theme_id: int) -> HttpResponse:
    access, theme = theme_for_participant(request.user, forum_id, theme_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    planning.theme_vote_toggle(forum=access.forum, theme=theme, user=request.user)
    return redirect("meetings:themes", forum_id=forum_id)
