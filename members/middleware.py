from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from members.mfa import has_totp, mfa_required_for, remember_activation, session_passed_mfa

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class UserLanguageMiddleware:
    """Finnish first: the signed-in user's preferred language, else the language cookie
    set by the switcher, else Finnish. The browser's Accept-Language is deliberately not
    used, so a shared workstation does not switch a Finnish service to English."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = user.language
        if language not in SUPPORTED:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class MFARequiredMiddleware:
    """Before any page of someone whose role requires a second factor (members/mfa.py):
    without TOTP they may only set it up, and a session that has not passed the second
    factor may only pass it. Signing out and switching the language always work; static
    files are served before this runs. The Django admin is covered like any page."""

    # Setting up TOTP: allauth asks for the password again first, and shows the recovery
    # codes right after.
    SETUP = frozenset(
        {
            "mfa_activate_totp",
            "mfa_index",
            "account_reauthenticate",
            "account_logout",
            "set_language",
        }
    )
    # Passing the second factor in a session that skipped it.
    PASS = frozenset({"mfa_reauthenticate", "account_logout", "set_language"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Entering a code from the authenticator just activated proves the second
        # factor as much as signing in with it, so this session has passed it.
        if getattr(request, "_mfa_activating", False) and has_totp(request.user):
            remember_activation(request)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not mfa_required_for(user):
            return None
        name = request.resolver_match.url_name if request.resolver_match else None
        if not has_totp(user):
            request._mfa_activating = name == "mfa_activate_totp" and request.method == "POST"
            return None if name in self.SETUP else redirect("mfa_activate_totp")
        if session_passed_mfa(request) or name in self.PASS:
            return None
        query = urlencode({"next": request.get_full_path()}, safe="/")
        return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
