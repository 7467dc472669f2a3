from http import HTTPStatus

from allauth.account.views import EmailView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.forms import NotificationSettingsForm

SUPPORTED_LANGUAGES = {code for code, _name in settings.LANGUAGES}


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in user's choice is remembered."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    # Only a path on this site; never a URL name (redirect() would try to reverse one).
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
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


class OneAddressEmailView(EmailView):
    """allauth's email page in "change email" mode (one address per account, see
    members/accounts.py) without the actions for several addresses: a pending address is
    never made primary by hand (opening its link as its owner does that), and the
    current one is never removed (AccountAdapter.can_delete_email)."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if "action_primary" in request.POST:
            return HttpResponseRedirect(self.get_success_url())
        return super().post(request, *args, **kwargs)


email_change = OneAddressEmailView.as_view()


def rate_limited(request: HttpRequest) -> HttpResponse:
    """allauth's "too many requests" page (handler429 in foorumix/urls.py)."""
    return render(request, "members/rate_limited.html", status=HTTPStatus.TOO_MANY_REQUESTS)
