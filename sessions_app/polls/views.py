"""Finding a time: the coordinator proposes times, members answer, the coordinator
picks one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from forums.access import forum_for_coordinator
from sessions_app.access import poll_for_coordinator, poll_for_member
from sessions_app.meetings.scheduling import Occurrence, local
from sessions_app.polls import selectors, services
from sessions_app.polls.forms import PollAnswerForm, PollForm, PollSlotFormSet


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
            poll = services.poll_create(
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
            services.poll_answer(poll=poll, user=request.user, answers=form.answers())
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
        meeting = services.poll_pick(poll=poll, slot=slot, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("meetings:poll", poll_id=poll.pk)
    messages.success(request, _("The meeting was scheduled."))
    return redirect("meetings:detail", meeting_id=meeting.pk)
