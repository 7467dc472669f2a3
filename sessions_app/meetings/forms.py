from datetime import datetime

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from members.models import User
from sessions_app.meetings.scheduling import (
    HELSINKI,
    MAX_OCCURRENCES,
    Occurrence,
    Repeat,
    occurrences,
)
from sessions_app.models import Participation, Preparation

# HTML date and time inputs take ISO values whatever the page's language; the browser
# shows them in the user's format. Without an explicit format, Django renders the
# locale's ("28.11.2026", "13.00"), which the browser drops: empty fields in Finnish.
ISO_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ISO_TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class MeetingTimeForm(forms.Form):
    day = forms.DateField(label=_("Date"), widget=ISO_DATE)
    start = forms.TimeField(label=_("Starts"), widget=ISO_TIME)
    end = forms.TimeField(label=_("Ends"), widget=ISO_TIME)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            self.add_error("end", _("The meeting must end after it starts."))
        return data


class MeetingDetailsForm(forms.Form):
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_url = forms.URLField(
        label=_("Online meeting link"), max_length=500, required=False, assume_scheme="https"
    )
    theme = forms.CharField(
        label=_("Theme"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"list": "theme-options"}),
        help_text=_("Type a theme or pick one from the forum's theme list."),
    )
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )


class MeetingScheduleForm(MeetingTimeForm, MeetingDetailsForm):
    repeat = forms.ChoiceField(label=_("Repeat"), choices=Repeat.CHOICES, initial=Repeat.ONCE)
    count = forms.IntegerField(
        label=_("Number of meetings"),
        min_value=1,
        initial=1,
        # format_lazy, not `_("…") % {…}`: the % operator translates a lazy string at
        # once, in the language active when this module is imported (Finnish).
        help_text=format_lazy(
            _("For a series: how many meetings, at most {max}."), max=MAX_OCCURRENCES
        ),
    )

    field_order = ["day", "start", "end", "repeat", "count", "place", "online_url", "theme"]

    def clean_count(self):
        count = self.cleaned_data["count"]
        if count > MAX_OCCURRENCES:
            raise forms.ValidationError(
                _("A series can have at most %(max)s meetings.") % {"max": MAX_OCCURRENCES}
            )
        return count

    def occurrences(self) -> list[Occurrence]:
        data = self.cleaned_data
        count = 1 if data["repeat"] == Repeat.ONCE else data["count"]
        return occurrences(
            first_day=data["day"],
            start=data["start"],
            end=data["end"],
            repeat=data["repeat"],
            count=count,
        )


class MeetingEditForm(MeetingTimeForm, MeetingDetailsForm):
    note_taker = forms.ModelChoiceField(
        label=_("Note-taker"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("A member who may write this meeting's notes besides the coordinators."),
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["note_taker"].queryset = members

    def times(self) -> Occurrence:
        data = self.cleaned_data
        return Occurrence(
            datetime.combine(data["day"], data["start"]).replace(tzinfo=HELSINKI),
            datetime.combine(data["day"], data["end"]).replace(tzinfo=HELSINKI),
        )


class RsvpForm(forms.ModelForm):
    rsvp = forms.ChoiceField(
        label=_("Are you coming?"),
        choices=Participation.Rsvp.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether you are coming.")},
    )

    class Meta:
        model = Participation
        fields = ["rsvp", "absence_note"]
        widgets = {"absence_note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"absence_note": _("Only the coordinators see this note.")}


class PreparationForm(forms.ModelForm):
    class Meta:
        model = Preparation
        fields = ["current_situation", "to_bring", "shared"]
        widgets = {
            "current_situation": forms.Textarea(attrs={"rows": 4}),
            "to_bring": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "shared": _(
                "Unticked, only you can read your preparation — not the other members, "
                "not the coordinators."
            )
        }
