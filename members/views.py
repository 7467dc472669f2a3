from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forums import invitations as tokens
from forums import selectors
from members.forms import NotificationSettingsForm
from members.roles import is_coordinator, is_hr_viewer
from sessions_app.meetings import selectors as meeting_selectors

SUPPORTED_LANGUAGES = {code for code, _name in settings.LANGUAGES}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role lands on its own start page."""
    user = request.user
    if is_hr_viewer(user):
        return render(request, "members/home_hr.html", {"organisation": user.hr_organisation})
    memberships = list(selectors.member_memberships(user))
    context = {
        "upcoming": list(meeting_selectors.upcoming_meetings(user, limit=5)),
        "memberships": memberships,
        "agreements_due": [m for m in memberships if m.needs_agreement],
        "invitations": [
            (invitation, tokens.token_for(invitation))
            for invitation in selectors.open_invitations_for(user)
        ],
    }
    if is_coordinator(user):
        forums = list(selectors.coordinator_dashboard(user))
        next_meetings = meeting_selectors.next_meeting_by_forum([forum.pk for forum in forums])
        for forum in forums:
            meeting = next_meetings.get(forum.pk)
            forum.next_meeting_at = meeting.starts_at if meeting else None
        context["forums"] = forums
        return render(request, "members/home_coordinator.html", context)
    return render(request, "members/home.html", context)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in user's choice is remembered."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = redirect(next_url)
    if language not in SUPPORTED_LANGUAGES:
        return response
    if request.user.is_authenticated and request.user.language != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    form = NotificationSettingsForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your email settings were saved."))
        return redirect("notification_settings")
    return render(request, "members/notification_settings.html", {"form": form})
