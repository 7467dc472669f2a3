"""Signup through an invitation: allauth's adapter and signup form.

Signup is closed except for a person holding a valid invitation (stored in the session
by the invitation page); the new account joins that invitation's forum at once.
"""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forums.access import invitation_by_token
from forums.invitations import (
    SESSION_KEY,
    invitation_accept,
    invitation_for_signup,
)
from members.models import User

JOINED_FORUM_SESSION_KEY = "foorumix_joined_forum"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Only a person holding a valid invitation may sign up; everyone else is shown
        "signup closed"."""
        return invitation_for_signup(request) is not None

    def clean_email(self, email: str) -> str:
        """At signup, the address must be the invited one: the invitation page stashed it
        as verified, and no other address may ride on that invitation."""
        email = super().clean_email(email)
        request = self.request
        if request is not None and not request.user.is_authenticated:
            invitation = invitation_for_signup(request)
            if invitation is not None and invitation.email.lower() != email.lower():
                raise ValidationError(
                    _("Sign up with the address the invitation was sent to: %(email)s")
                    % {"email": invitation.email}
                )
        return email

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        forum_id = request.session.pop(JOINED_FORUM_SESSION_KEY, None)
        if forum_id:
            return reverse("forums:agreement", kwargs={"forum_id": forum_id})
        return super().get_signup_redirect_url(request)


class SignupForm(forms.Form):
    """Extra fields for allauth's signup form (which only opens for a valid invitation).

    Members see each other's names in the forum, so a name is required."""

    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150)

    def signup(self, request: HttpRequest, user: User) -> None:
        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        user.language = translation.get_language() or "fi"
        user.save(update_fields=["first_name", "last_name", "language"])
        invitation = invitation_by_token(request.session.pop(SESSION_KEY, None))
        if invitation is not None:
            membership = invitation_accept(invitation=invitation, user=user)
            request.session[JOINED_FORUM_SESSION_KEY] = membership.forum_id
