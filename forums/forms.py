from django import forms
from django.utils.translation import gettext_lazy as _

from forums.models import MAX_COORDINATORS, Forum
from members.models import Organisation, User


class ForumForm(forms.ModelForm):
    co_coordinators = forms.ModelMultipleChoiceField(
        label=_("Co-coordinators"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Up to three other coordinators who run the forum with you."),
    )
    organisations = forms.ModelMultipleChoiceField(
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
