from django import forms
from django.utils.translation import gettext_lazy as _


class ThemeProposalForm(forms.Form):
    title = forms.CharField(label=_("Propose a theme"), max_length=200)
