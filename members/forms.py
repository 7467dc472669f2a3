from django import forms
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from members.models import User

JOINED_FORUM_SESSION_KEY = "foorumix_joined_forum"


class SignupForm(forms.Form):
    """Extra fields for allauth's signup form (which only opens for a valid invitation).

    Members see each other's names in the forum, so a name is required."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)

    def signup(self, request: HttpRequest, user: User) -> None:
        from forums.invitations import SESSION_KEY, find_invitation
        from forums.services import invitation_accept

        user.first_name = self.cleaned_data["first_name"].strip()
        user.last_name = self.cleaned_data["last_name"].strip()
        user.language = translation.get_language() or "fi"
        user.save(update_fields=["first_name", "last_name", "language"])
        invitation = find_invitation(request.session.pop(SESSION_KEY, None))
        if invitation is not None:
            membership = invitation_accept(invitation=invitation, user=user)
            request.session[JOINED_FORUM_SESSION_KEY] = membership.forum_id


class NotificationSettingsForm(forms.ModelForm):
    """Which emails a person wants; invitations and security mail always go out."""

    class Meta:
        model = User
        fields = ["language", "email_reminders", "email_meeting_updates", "email_pulse"]
