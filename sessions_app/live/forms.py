from django import forms
from django.utils.translation import gettext_lazy as _

from sessions_app.live import plans
from sessions_app.live.services import ACTIONS, MAX_COMMITMENT, MAX_NOTEPAD
from sessions_app.models import LiveMeeting


class ControlForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    version = forms.IntegerField(min_value=0)
    order_mode = forms.ChoiceField(choices=LiveMeeting.OrderMode.choices, required=False)


class OrderModeForm(forms.Form):
    order_mode = forms.ChoiceField(
        label=_("Speaking order in rounds"), choices=LiveMeeting.OrderMode.choices
    )


class PresenceForm(forms.Form):
    user = forms.IntegerField(min_value=1)
    present = forms.BooleanField(required=False)


class NotepadForm(forms.Form):
    text = forms.CharField(
        label=_("My notes"),
        required=False,
        max_length=MAX_NOTEPAD,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Only you see these. They are stored encrypted."),
    )


class CommitmentForm(forms.Form):
    text = forms.CharField(
        label=_("What I will try before next time"),
        required=False,
        max_length=MAX_COMMITMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only you see this. Before the next meeting we ask you how it went."),
    )


class OutcomeForm(forms.Form):
    outcome = forms.CharField(
        label=_("How did it go?"),
        required=False,
        max_length=MAX_COMMITMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PhaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Phase"), choices=list(plans.KINDS.items()))
    title = forms.CharField(label=_("Title (optional)"), required=False, max_length=80)
    minutes = forms.IntegerField(
        label=_("Minutes"),
        min_value=1,
        max_value=plans.MAX_MINUTES,
        help_text=_("In rounds: each person's time."),
    )


PhaseFormSet = forms.formset_factory(
    PhaseForm, extra=1, can_delete=True, max_num=plans.MAX_PHASES, validate_max=True,
    min_num=1, validate_min=True,
)  # fmt: skip


class PlanForm(forms.Form):
    opening_text = forms.CharField(
        label=_("Confidentiality reminder read at the opening"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Leave empty for the standard text in each person's language."),
    )
