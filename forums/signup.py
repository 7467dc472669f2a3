"""Signup through an invitation: allauth's adapter and signup form.

Signup is closed except for a browser that opened a usable invitation's link (the
invitation page remembers it in the session, by id), and only while the invited address
belongs to no account (members.accounts.address_owner). The link proves the mailbox,
so the new account's address is verified at once and any unverified claim on it by
another account is dropped: nobody can block or capture an invitee's address by adding
it to their own account. The new account then joins the invitation's forum.
"""

from allauth.account.forms import SignupForm
from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forums.invitations import SESSION_KEY, invitation_accept, invitation_for_signup
from members.accounts import AccountAdapter as MembersAccountAdapter
from members.accounts import address_owner, unverified_claims_drop
from members.models import User

JOINED_FORUM_SESSION_KEY = "foorumix_joined_forum"


class AccountAdapter(MembersAccountAdapter):
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


class InvitationSignupForm(SignupForm):
    """allauth's signup form (which only opens for a valid invitation) with the person's
    name: members see each other's names in the forum, so a name is required."""

    first_name = forms.CharField(label=gettext_lazy("First name"), max_length=150)
    last_name = forms.CharField(label=gettext_lazy("Last name"), max_length=150)
    field_order = ["first_name", "last_name", "email", "password1", "password2"]

    def validate_unique_email(self, value: str) -> str:
        """Only an address that belongs to an account is taken; allauth would also count
        an unverified claim on another account and quietly create nothing."""
        if address_owner(value) is not None:
            raise ValidationError(
                _("An account already uses this address. Sign in, or reset your password.")
            )
        self.account_already_exists = False
        return value

    def save(self, request: HttpRequest) -> User:
        """Create the account (its address verified: the invitation link proved it), drop
        other accounts' unverified claims on the address, and join the forum."""
        invitation = invitation_for_signup(request)
        unverified_claims_drop(email=self.cleaned_data["email"])
        user = super().save(request)  # the names come from save_user
        user.language = translation.get_language() or "fi"
        user.save(update_fields=["language"])
        request.session.pop(SESSION_KEY, None)
        if invitation is not None:
            membership = invitation_accept(invitation=invitation, user=user)
            request.session[JOINED_FORUM_SESSION_KEY] = membership.forum_id
        return user
