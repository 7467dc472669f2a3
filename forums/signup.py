"""allauth adapter: signup is closed except through a valid forum invitation."""

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from members.forms import JOINED_FORUM_SESSION_KEY


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        """Only a person holding a valid invitation (stored in the session by the
        invitation page) may sign up; everyone else is shown "signup closed"."""
        from forums.invitations import invitation_for_signup

        return invitation_for_signup(request) is not None

    def clean_email(self, email: str) -> str:
        """At signup, the address must be the invited one: the invitation page stashed it
        as verified, and no other address may ride on that invitation."""
        email = super().clean_email(email)
        request = self.request
        if request is not None and not request.user.is_authenticated:
            from forums.invitations import invitation_for_signup

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
