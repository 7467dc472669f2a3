from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Unit
from sessions_app.hr.periods import default_year

YEARS_BACK = 5


class ReportForm(forms.Form):
    """The HR report's choices (a GET form). Only selects the view of one suppressed
    grid; no choice reaches data the default view does not already cover."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    period = forms.ChoiceField(
        label=_("Figures per"),
        choices=[("month", _("month")), ("quarter", _("quarter")), ("year", _("year"))],
    )
    unit = forms.ChoiceField(label=_("Unit"), required=False)

    def __init__(self, data=None, *, units: list[Unit], today: date):
        self.default_year = default_year(today)
        defaults = {"year": self.default_year, "period": "month", "unit": ""}
        if data is not None:  # a field left out of the query string keeps its default
            data = {**defaults, **{name: data.get(name) for name in defaults if name in data}}
        super().__init__(data, initial=defaults)
        self.fields["year"].choices = [
            (year, str(year)) for year in range(today.year, today.year - YEARS_BACK - 1, -1)
        ]
        self.fields["unit"].choices = [
            ("", _("All units")),
            *((f"unit-{u.pk}", u.name) for u in units),
        ]

    def choice(self) -> dict:
        """The valid choice, or the defaults when the query string is missing or bad."""
        if self.is_bound and self.is_valid():
            return {
                "year": self.cleaned_data["year"],
                "period": self.cleaned_data["period"],
                "unit": self.cleaned_data["unit"] or None,
            }
        return {"year": self.default_year, "period": "month", "unit": None}
