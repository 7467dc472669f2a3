from django import forms
from django.utils.translation import gettext_lazy as _

from sessions_app.models import PULSE_QUESTIONS

SCORES = [
    (1, _("1 – not at all")),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, _("5 – very much")),
]


class PulseForm(forms.Form):
    """The pulse's questions, 1-5 each, rendered as radio buttons in fieldsets. No free
    text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in PULSE_QUESTIONS:
            self.fields[question.name] = forms.TypedChoiceField(
                label=question.text, choices=SCORES, coerce=int, widget=forms.RadioSelect
            )

    def scores(self) -> dict[str, int]:
        return {question.name: self.cleaned_data[question.name] for question in PULSE_QUESTIONS}
