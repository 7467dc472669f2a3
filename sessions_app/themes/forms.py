from django import forms
from django.utils.translation import gettext_lazy as _

from sessions_app.models import Meeting


class ThemeProposalForm(forms.Form):
    title = forms.CharField(label=_("Propose a theme"), max_length=200)


class ThemePickForm(forms.Form):
    """Which of the forum's upcoming meetings gets the theme; the choices are the
    meetings the page shows, so a stale or foreign id is a clear error, not a 500."""

    meeting = forms.TypedChoiceField(
        label=_("Meeting"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the meeting that gets this theme."),
            "invalid_choice": _(
                "That meeting can no longer get a theme here. Choose one of the upcoming meetings."
            ),
        },
    )

    def __init__(self, *args, meetings: list[Meeting], **kwargs):
        super().__init__(*args, **kwargs)
        self.meetings = {meeting.pk: meeting for meeting in meetings}
        self.fields["meeting"].choices = [(pk, str(pk)) for pk in self.meetings]

    def clean_meeting(self) -> Meeting:
        return self.meetings[self.cleaned_data["meeting"]]
