from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from django import forms

from members.accounts import address_owner
from members.models import User


class NotificationSettingsForm(forms.ModelForm):
    """Which emails a person wants; invitations and security mail always go out."""

    class Meta:
        model = User
        fields = ["language", "email_reminders", "email_meeting_updates", "email_pulse"]


class ResetPasswordForm(AllauthResetPasswordForm):
    """A reset link goes only to the account the address belongs to
    (members.accounts.address_owner), never through an unverified claim on another
    account. Whether an account exists is not revealed (allauth's enumeration
    prevention)."""

    def clean_email(self) -> str:
        email = super().clean_email()
        owner = address_owner(email)
        self.users = [owner] if owner is not None and owner.is_active else []
        return email
