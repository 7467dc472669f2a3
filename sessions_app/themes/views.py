"""The themes page: members propose themes and vote for them; coordinators pick them
for meetings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from forums.access import forum_for_member
from sessions_app.access import theme_for_participant
from sessions_app.themes import selectors, services
from sessions_app.themes.access import theme_for_coordinator
from sessions_app.themes.forms import ThemePickForm, ThemeProposalForm


def _to_card(forum_id: int, theme_id: int) -> HttpResponseRedirect:
    """Back to the themes page, scrolled to the theme's card: the page keeps its place."""
    url = reverse("meetings:themes", kwargs={"forum_id": forum_id})
    return HttpResponseRedirect(f"{url}#theme-{theme_id}")


@login_required
def themes(request: HttpRequest, forum_id: int) -> HttpResponse:
    """The theme library and the forum's proposals; members propose and vote."""
    access = forum_for_member(request.user, forum_id)
    forum = access.forum
    form = ThemeProposalForm(request.POST or None)
    # Members and coordinators propose; forum_for_member lets only them this far.
    if request.method == "POST" and form.is_valid():
        theme = services.theme_propose(
            forum=forum, user=request.user, title=form.cleaned_data["title"]
        )
        messages.success(request, _("Thank you, your theme was added."))
        return _to_card(forum.pk, theme.pk)
    cards = selectors.theme_cards(forum, request.user)
    return render(
        request,
        "sessions_app/themes.html",
        {
            "forum": forum,
            "access": access,
            "form": form,
            "themes": cards,
            "my_chosen": selectors.my_chosen_proposals(cards),
        },
    )


@login_required
def theme_vote(request: HttpRequest, forum_id: int, theme_id: int) -> HttpResponse:
    access, theme = theme_for_participant(request.user, forum_id, theme_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.theme_vote_toggle(forum=access.forum, theme=theme, user=request.user)
    return _to_card(forum_id, theme.pk)


@login_required
@require_http_methods(["GET", "POST"])
def theme_pick(request: HttpRequest, forum_id: int, theme_id: int) -> HttpResponse:
    """A coordinator picks the theme for one upcoming meeting: GET shows the meetings
    and what will happen, POST does it."""
    access, theme = theme_for_coordinator(request.user, forum_id, theme_id)
    forum = access.forum
    meetings = selectors.pickable_meetings(forum)
    form = ThemePickForm(request.POST or None, meetings=meetings)
    if request.method == "POST" and form.is_valid():
        meeting = form.cleaned_data["meeting"]
        try:
            services.theme_pick(theme=theme, meeting=meeting, actor=request.user)
        except ValidationError as error:
            form.add_error("meeting", error)
        else:
            when = date_format(timezone.localtime(meeting.starts_at), "D j.n.Y H.i")
            messages.success(
                request,
                _("“%(theme)s” is now the theme of the meeting on %(when)s.")
                % {"theme": services.theme_title_for(theme, forum), "when": when},
            )
            return _to_card(forum.pk, theme.pk)
    return render(
        request,
        "sessions_app/theme_pick.html",
        {
            "forum": forum,
            "access": access,
            "theme": theme,
            "title": services.theme_title_for(theme, forum),
            "meetings": meetings,
            "form": form,
        },
    )
