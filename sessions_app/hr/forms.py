from datetime import date

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
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

    def filters_html(self) -> SafeString:
        """Each field's label and select, as `{{ form.<name> }}` with Django's Select
        widget writes them (the widget's templates, one include per option, were a
        sixth of the page's time): the bound value (else the initial one) selected, and
        aria-invalid and aria-describedby on a field whose value was refused."""
        selects = ((self._select(name),) for name in self.fields)
        return format_html_join("", "<div>{}</div>", selects)

    def _select(self, name: str) -> SafeString:
        field = self.fields[name]
        value = self.data.get(name) if self.is_bound else self.initial.get(name)
        value = "" if value is None else str(value)
        error = (
            format_html(' aria-invalid="true" aria-describedby="id_{}_error"', name)
            if self.is_bound and name in self.errors
            else ""
        )
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (choice, " selected" if str(choice) == value else "", label)
                for choice, label in field.choices
            ),
        )
        return format_html(
            '<label for="id_{}">{}</label><select name="{}"{} id="id_{}">{}</select>',
            name, field.label, name, error, name, options,
        )  # fmt: skip
