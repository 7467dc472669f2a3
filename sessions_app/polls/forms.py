from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from sessions_app.meetings.forms import MeetingTimeForm
from sessions_app.models import PollAnswer


class PollForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_url = forms.URLField(
        label=_("Online meeting link"), max_length=500, required=False, assume_scheme="https"
    )


class PollSlotForm(MeetingTimeForm):
    pass


PollSlotFormSet = forms.formset_factory(
    PollSlotForm, extra=6, max_num=6, min_num=2, validate_min=True, validate_max=True
)


def slot_label(slot) -> str:
    starts = timezone.localtime(slot.starts_at)
    ends = timezone.localtime(slot.ends_at)
    return f"{date_format(starts, 'D j.n.Y')} {starts:%H.%M}–{ends:%H.%M}"


class PollAnswerForm(forms.Form):
    """One radio group per proposed time."""

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = slots
        for slot in slots:
            self.fields[f"slot_{slot.pk}"] = forms.ChoiceField(
                label=slot_label(slot),
                choices=PollAnswer.Answer.choices,
                widget=forms.RadioSelect,
            )

    def answers(self) -> dict[int, str]:
        return {slot.pk: self.cleaned_data[f"slot_{slot.pk}"] for slot in self.slots}
