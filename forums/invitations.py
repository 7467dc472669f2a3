"""Invitation tokens. The signup hook is filled by the forums issue."""

from django.http import HttpRequest


def invitation_for_signup(request: HttpRequest):
    """The valid invitation stored in this session, or None (signup closed)."""
    return None
