"""The MFA policy: who must use a second factor, and whether this session has used it.

Coordinators, HR viewers and staff (superusers are staff) see other people's data, so
with FOORUMIX_MFA_REQUIRED they must sign in with TOTP (allauth.mfa, with recovery
codes). members.middleware.MFARequiredMiddleware enforces it before any of their pages:
without TOTP they are sent to set it up; with TOTP, a session that has not passed the
second factor (one from before the requirement, say) passes it first. They cannot turn
TOTP off (members.mfa_adapter).
"""

from __future__ import annotations

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest

from members.models import User
from members.roles import is_coordinator, is_hr_viewer

# Set when TOTP was activated in this session: entering a code from the new
# authenticator proves the second factor as much as signing in with it does.
ACTIVATED_SESSION_KEY = "foorumix_mfa_activated_by"


def mfa_required_for(user: User) -> bool:
    """Whether `user`'s role requires a second factor (always False when the
    requirement is turned off)."""
    if not settings.FOORUMIX_MFA_REQUIRED or not user.is_authenticated or not user.is_active:
        return False
    return is_coordinator(user) or is_hr_viewer(user) or user.is_staff or user.is_superuser


def has_totp(user: User) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def session_passed_mfa(request: HttpRequest) -> bool:
    """Whether this session's signed-in user passed the second factor in it."""
    user = request.user
    if request.session.get(ACTIVATED_SESSION_KEY) == user.pk:
        return True
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


def remember_activation(request: HttpRequest) -> None:
    """TOTP was just activated in this session (members.middleware)."""
    request.session[ACTIVATED_SESSION_KEY] = request.user.pk
