"""The session-notes editor form: the text, the author's dismissals and the action.

One form carries every action (check, replace one finding, replace all, dismiss, undo a
dismissal, save), so each round trip posts the whole text and nothing typed is lost.
"""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from foorumix.text import normalise
from sessions_app.notes.anonymiser import PLACEHOLDERS
from sessions_app.notes.review import MAX_DISMISSALS, Dismissal, parse_dismissal

MAX_NOTE_LENGTH = 50_000


class DismissalsField(forms.Field):
    """Hidden "kind:text" values -> a frozenset of (kind, text); malformed ones dropped."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> frozenset[Dismissal]:
        values = value or []
        if len(values) > MAX_DISMISSALS:
            raise forms.ValidationError(_("Too many dismissed findings."))
        parsed = (parse_dismissal(v) for v in values if isinstance(v, str) and len(v) <= 300)
        return frozenset(d for d in parsed if d)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Session notes"),
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "true"}),
        help_text=_(
            "Themes discussed, insights, and what the group agreed to try. "
            "No names or other personal data."
        ),
    )
    dismissed = DismissalsField(required=False)
    # The version of the stored notes the author started from (empty: there were none).
    base = forms.CharField(required=False, widget=forms.HiddenInput)
    # Which button was pressed. Finding buttons carry the finding in their value.
    action = forms.ChoiceField(
        required=False,
        choices=[("check", "check"), ("save", "save"), ("replace_all", "replace_all")],
    )
    replace = forms.CharField(required=False, max_length=400)  # "kind:start:text"
    dismiss = forms.CharField(required=False, max_length=300)  # "kind:text"
    restore = forms.CharField(required=False, max_length=300)  # "kind:text"

    def clean_text(self) -> str:
        # Browsers post CRLF; finding offsets refer to the text as the server renders it.
        text = self.cleaned_data["text"].replace("\r\n", "\n").replace("\r", "\n")
        # Invisible characters pasted from Word ("Lii\u00adsa") would hide a name from
        # the check. Normalising here means the check, the editor and the stored notes
        # all see the same, visible text.
        text = normalise(text)
        if not text.strip():
            raise forms.ValidationError(self.fields["text"].error_messages["required"])
        return text

    def clean_base(self) -> datetime | None:
        value = self.cleaned_data["base"]
        if not value:
            return None
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            raise forms.ValidationError(_("Reload the page and try again.")) from None

    def clean_replace(self) -> tuple[str, int, str] | None:
        value = self.cleaned_data["replace"]
        if not value:
            return None
        kind, _sep, rest = value.partition(":")
        start, _sep, text = rest.partition(":")
        # isdigit() alone accepts "²" and other digits int() refuses.
        if kind not in PLACEHOLDERS or not (start.isascii() and start.isdigit()) or not text:
            raise forms.ValidationError(_("Check the text again and retry."))
        return kind, int(start), text

    def _clean_dismissal(self, name: str) -> Dismissal | None:
        value = self.cleaned_data[name]
        if not value:
            return None
        dismissal = parse_dismissal(value)
        if dismissal is None:
            raise forms.ValidationError(_("Check the text again and retry."))
        return dismissal

    def clean_dismiss(self) -> Dismissal | None:
        return self._clean_dismissal("dismiss")

    def clean_restore(self) -> Dismissal | None:
        return self._clean_dismissal("restore")

    def chosen_action(self) -> str:
        """The pressed button: a finding button wins over the form-wide ones."""
        data = self.cleaned_data
        for name in ("replace", "dismiss", "restore"):
            if data.get(name):
                return name
        return data.get("action") or "check"
