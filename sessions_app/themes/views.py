"""The themes page: members propose themes and vote for them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from forums.access import forum_for_member
from sessions_app.access import theme_for_participant
from sessions_app.themes import selectors, services
from sessions_app.themes.forms import ThemeProposalForm


@login_required
def themes(request: HttpRequest, forum_id: int) -> HttpResponse:
    """The theme library and the forum's proposals; members propose and vote."""
    access = forum_for_member(request.user, forum_id)
    forum = access.forum
    form = ThemeProposalForm(request.POST or None)
    # Members and coordinators propose; forum_for_member lets only them this far.
    if request.method == "POST" and form.is_valid():
        services.theme_propose(forum=forum, user=request.user, title=form.cleaned_data["title"])
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
    services.theme_vote_toggle(forum=access.forum, theme=theme, user=request.user)
    return redirect("meetings:themes", forum_id=forum_id)
