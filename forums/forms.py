from django import forms
from django.utils.translation import gettext_lazy as _

from foorumix.text import normalise, normalise_line
from forums.models import MAX_COORDINATORS, Forum
from members.models import Organisation, User

# Ids are 64-bit signed integers in every database we run on.
MIN_ID, MAX_ID = -(2**63), 2**63 - 1


def _beyond_id_range(value: object) -> bool:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return False  # not a number at all: Django's own check reports it
    return not MIN_ID <= number <= MAX_ID


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField whose submitted ids can only be invalid choices.

    Django checks each posted id by building a query, then runs `pk IN (...)`; an id
    of 2**63 or more passes the first and crashes SQLite's driver in the second
    (OverflowError, a 500). No row has such an id, so it is simply not a choice.
    """

    def clean(self, value):
        if isinstance(value, (list, tuple)):
            for pk in value:
                if _beyond_id_range(pk):
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": pk},
                    )
        return super().clean(value)


class ForumForm(forms.ModelForm):
    co_coordinators = IdMultipleChoiceField(
        label=_("Co-coordinators"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Up to three other coordinators who run the forum with you."),
    )
    organisations = IdMultipleChoiceField(
        label=_("Organisations"),
        queryset=Organisation.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The workplaces the members come from; one or several."),
    )

    class Meta:
        model = Forum
        fields = [
            "name",
            "description",
            "organisations",
            "capacity",
            "language",
            "status",
            "reminder_days",
            "note_retention_months",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, actor: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_coordinators"].queryset = User.objects.filter(
            is_coordinator=True, is_active=True, hr_organisation__isnull=True
        ).exclude(pk=actor.pk)
        if self.instance.pk:
            self.fields["co_coordinators"].initial = self.instance.coordinators.exclude(pk=actor.pk)
            allowed = set(self.instance.allowed_statuses())
            self.fields["status"].choices = [
                (value, label) for value, label in Forum.Status.choices if value in allowed
            ]
        else:
            del self.fields["status"]

    # Names and descriptions are shown to every member and go into emails and calendar
    # files: pasted invisible and right-to-left control characters are dropped here.
    def clean_name(self) -> str:
        return normalise_line(self.cleaned_data["name"])

    def clean_description(self) -> str:
        return normalise(self.cleaned_data["description"])

    def clean_co_coordinators(self):
        chosen = self.cleaned_data["co_coordinators"]
        if len(chosen) > MAX_COORDINATORS - 1:
            raise forms.ValidationError(_("A forum may have at most three co-coordinators."))
        return chosen


class InviteForm(forms.Form):
    addresses = forms.CharField(
        label=_("Email addresses"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One address, or a pasted list: one per line, or separated by commas."),
        max_length=20_000,
    )


class AgreementForm(forms.Form):
    text = forms.CharField(
        label=_("Agreement text"),
        widget=forms.Textarea(attrs={"rows": 18}),
        max_length=20_000,
        help_text=_("Saving publishes a new version; every member must accept it again."),
    )
