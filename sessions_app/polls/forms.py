"""Poll forms: the coordinator's proposal (title, place, optional deadline, 2–6 times)
and a member's answers. Forms only validate; sessions_app/polls/services.py acts."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from sessions_app.meetings.forms import ISO_DATE, ISO_TIME, MeetingTimeForm
from sessions_app.meetings.scheduling import Occurrence, local
from sessions_app.models import PollAnswer

MIN_SLOTS, MAX_SLOTS = 2, 6
DEADLINE_AFTER_FIRST_TIME = _("The deadline must be before the first proposed time.")


class PollForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_url = forms.URLField(
        label=_("Online meeting link"), max_length=500, required=False, assume_scheme="https"
    )
    # "Answer by": optional; the template groups the two in one fieldset.
    deadline_day = forms.DateField(label=_("Date"), required=False, widget=ISO_DATE)
    deadline_time = forms.TimeField(label=_("Time of day"), required=False, widget=ISO_TIME)

    def clean(self):
        data = super().clean()
        day, at = data.get("deadline_day"), data.get("deadline_time")
        if self.has_error("deadline_day") or self.has_error("deadline_time"):
            return data
        if day and not at:
            self.add_error("deadline_time", _("Give a time for the deadline too."))
        elif at and not day:
            self.add_error("deadline_day", _("Give a date for the deadline too."))
        elif day and local(day, at) <= timezone.now():
            self.add_error("deadline_day", _("The deadline must be in the future."))
        return data

    @property
    def deadline(self) -> datetime | None:
        data = self.cleaned_data
        if data.get("deadline_day") and data.get("deadline_time"):
            return local(data["deadline_day"], data["deadline_time"])
        return None

    def check_deadline(self, times: list[Occurrence]) -> bool:
        """The deadline against the proposed times (known only once the formset is
        valid): members must be able to answer before the first of them."""
        deadline = self.deadline
        if deadline and times and deadline >= min(t.starts_at for t in times):
            self.add_error("deadline_day", DEADLINE_AFTER_FIRST_TIME)
            return False
        return True

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "place": data["place"],
            "online_url": data["online_url"],
            "deadline": self.deadline,
        }


class PollSlotForm(MeetingTimeForm):
    pass


class BasePollSlotFormSet(forms.BaseFormSet):
    """Six rows, any of them may stay empty; at least two must be filled. Django's own
    "submit at least N forms" wording means nothing to a coordinator: the product says
    it in its own words."""

    default_error_messages = {
        "too_few_forms": _("Propose at least two times."),
        "too_many_forms": _("Propose at most six times."),
    }

    def clean(self):
        # Counted also when a row has errors, so every problem shows at once.
        filled = sum(1 for form in self.forms if form.has_changed())
        if filled < MIN_SLOTS:
            raise forms.ValidationError(self.error_messages["too_few_forms"], code="too_few_forms")

    def times(self) -> list[Occurrence]:
        return [
            Occurrence(local(s["day"], s["start"]), local(s["day"], s["end"]))
            for s in self.cleaned_data
            if s
        ]


PollSlotFormSet = forms.formset_factory(
    PollSlotForm,
    formset=BasePollSlotFormSet,
    extra=MAX_SLOTS,
    max_num=MAX_SLOTS,
    validate_max=True,
)


def slot_label(slot) -> str:
    starts = timezone.localtime(slot.starts_at)
    ends = timezone.localtime(slot.ends_at)
    return f"{date_format(starts, 'D j.n.Y')} {starts:%H.%M}–{ends:%H.%M}"


class PollAnswerForm(forms.Form):
    """One radio group per proposed time."""

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, label_suffix="", **kwargs)
        self.slots = slots
        for slot in slots:
            self.fields[f"slot_{slot.pk}"] = forms.ChoiceField(
                label=slot_label(slot),
                choices=PollAnswer.Answer.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose an answer for this time.")},
            )

    def answers(self) -> dict[int, str]:
        return {slot.pk: self.cleaned_data[f"slot_{slot.pk}"] for slot in self.slots}
