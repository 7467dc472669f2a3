"""Finding a time: the coordinator proposes times, members answer, the coordinator
picks one after a confirmation page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forums.access import forum_for_coordinator
from sessions_app.access import poll_for_coordinator, poll_for_member
from sessions_app.polls import selectors, services
from sessions_app.polls.forms import PollAnswerForm, PollForm, PollSlotFormSet

# Where the member's answer form starts: saving comes back to it, not to the page top.
ANSWER_ANCHOR = "my-answers"


@login_required
def poll_create(request: HttpRequest, forum_id: int) -> HttpResponse:
    access = forum_for_coordinator(request.user, forum_id)
    forum = access.forum
    form = PollForm(request.POST or None)
    slots = PollSlotFormSet(request.POST or None, prefix="slot")
    # Both validated, so every error shows at once; nothing typed is lost on an error.
    if request.method == "POST" and all([form.is_valid(), slots.is_valid()]):
        times = slots.times()
        if form.check_deadline(times):
            try:
                poll = services.poll_create(
                    forum=forum, actor=request.user, slots=times, **form.service_arguments()
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
    context = {
        "poll": poll,
        "forum": access.forum,
        "access": access,
        "deadline_passed": poll.deadline is not None and poll.deadline <= timezone.now(),
    }
    if access.is_member and not poll.closed_at:
        mine = selectors.my_poll_answers(poll, request.user)
        initial = {f"slot_{k}": v for k, v in mine.items()}
        form = PollAnswerForm(request.POST or None, slots=slots, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.poll_answer(poll=poll, user=request.user, answers=form.answers())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your answers were saved."))
                url = reverse("meetings:poll", kwargs={"poll_id": poll.pk})
                return redirect(f"{url}#{ANSWER_ANCHOR}")
        context.update(form=form, answered=bool(mine), answer_anchor=ANSWER_ANCHOR)
    elif request.method == "POST":
        if not access.is_member:
            return HttpResponseNotAllowed(["GET"])
        # Answers sent from a page opened before the poll closed.
        messages.error(request, _("This poll is closed. Your answers were not saved."))
        return redirect("meetings:poll", poll_id=poll.pk)
    if access.is_coordinator:
        context["results"] = selectors.poll_results(poll)
    return render(request, "sessions_app/poll_detail.html", context)


@login_required
def poll_pick(request: HttpRequest, poll_id: int, slot_id: int) -> HttpResponse:
    """GET: what picking this time will do. POST: do it."""
    access, poll = poll_for_coordinator(request.user, poll_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    slot = poll.slots.filter(pk=slot_id).first()
    if slot is None:
        raise Http404
    if poll.closed_at:
        messages.error(request, _("This poll is closed. The time was already picked."))
        return redirect("meetings:poll", poll_id=poll.pk)
    if request.method == "POST":
        try:
            meeting = services.poll_pick(poll=poll, slot=slot, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("meetings:poll", poll_id=poll.pk)
        messages.success(
            request, _("The meeting was scheduled and the poll closed. Members will be told.")
        )
        return redirect("meetings:detail", meeting_id=meeting.pk)
    return render(
        request,
        "sessions_app/poll_pick.html",
        {
            "poll": poll,
            "forum": access.forum,
            "access": access,
            "slot": slot,
            "counts": selectors.pick_counts(poll, slot),
        },
    )
