from django import forms

from members.models import User


class NotificationSettingsForm(forms.ModelForm):
    """Which emails a person wants; invitations and security mail always go out."""

    class Meta:
        model = User
        fields = ["language", "email_reminders", "email_meeting_updates", "email_pulse"]
