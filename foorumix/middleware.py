"""Site-wide response headers that no single view should have to remember."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

# URL arguments that make a page a secret link: whoever holds the URL may open it, so
# neither a browser nor a proxy may keep a copy (invitations, pulse links and calendar
# feeds use `token`; allauth's email confirmation and password reset use `key`).
SECRET_URL_ARGUMENTS = frozenset({"token", "key"})


def is_secret_link(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and not SECRET_URL_ARGUMENTS.isdisjoint(match.kwargs)


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every response to a signed-in user and on every
    secret-link page, added to whatever Cache-Control the view set (no-store overrides
    any max-age or public there).

    Everything a signed-in person sees in Foorumix is someone's confidential business:
    forum and meeting pages, absence notes, invitations, the audit log, HR figures, CSV
    and calendar files. Without no-store a shared workstation's browser cache, its
    back button after sign-out, or a caching proxy keeps a copy. Static files never get
    here (WhiteNoise answers them earlier in MIDDLEWARE), so they stay cacheable.

    Sits after AuthenticationMiddleware so `request.user` is known; responses made by
    the middleware below it (403/404 pages, the agreement redirect) pass through it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Read after the view: a sign-in makes the answer to that very request private.
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or is_secret_link(request):
            patch_cache_control(response, no_store=True)
        return response
