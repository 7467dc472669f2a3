"""What members holds about a person: the account, its addresses, its second factors and
its email choices (foorumix/personal_data.py). Secrets (password hash, TOTP secret,
recovery codes) are never exported: only that they exist."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils.translation import gettext_lazy as _

from foorumix.personal_data import Eraser, Rows, Section, register_eraser, register_section
from members.models import User
from members.sessions import SessionStore


def account(user: User) -> Rows:
    return [
        {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "language": user.language,
            "employer": user.organisation.name if user.organisation else None,
            "unit": user.unit.name if user.unit else None,
            "coordinator": user.is_coordinator,
            "hr_viewer_of": user.hr_organisation.name if user.hr_organisation else None,
            "administrator": user.is_staff,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "password_set": user.has_usable_password(),
        }
    ]


def email_addresses(user: User) -> Rows:
    return list(
        EmailAddress.objects.filter(user=user)
        .order_by("-primary", "email")
        .values("email", "verified", "primary")
    )


def second_factors(user: User) -> Rows:
    return list(
        Authenticator.objects.filter(user=user)
        .order_by("created_at")
        .values("type", "created_at", "last_used_at")
    )


def email_choices(user: User) -> Rows:
    return [
        {
            "reminders": user.email_reminders,
            "meeting_updates": user.email_meeting_updates,
            "pulse": user.email_pulse,
            "declines": user.email_declines,
        }
    ]


def forget(user: User, pseudonym: User) -> int:
    """Addresses, authenticators and every session of the person go; nothing moves.
    Sessions are encrypted (members/sessions.py), so each one is opened to find its
    user: an erasure is rare and the table holds only unexpired sessions."""
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    store = SessionStore()
    theirs = [
        session.pk
        for session in Session.objects.only("pk", "session_data").iterator()
        if store.decode(session.session_data).get(SESSION_KEY) == str(user.pk)
    ]
    Session.objects.filter(pk__in=theirs).delete()
    return 0


def register() -> None:
    register_section(Section("account", _("Account"), account, order=10))
    register_section(Section("email_addresses", _("Email addresses"), email_addresses, order=11))
    register_section(
        Section(
            "second_factors",
            _("Two-factor authentication"),
            second_factors,
            order=12,
            note=_("Only that they exist: secrets and recovery codes are never shown."),
        )
    )
    register_section(Section("email_settings", _("Email settings"), email_choices, order=13))
    register_eraser(Eraser("members", forget, order=90))
