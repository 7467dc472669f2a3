from allauth.account.forms import ResetPasswordForm as AllauthResetPasswordForm
from allauth.mfa.models import Authenticator
from django import forms
from django.utils.translation import gettext_lazy as _

from members.accounts import address_owner
from members.models import User
from members.roles import is_coordinator


class NotificationSettingsForm(forms.ModelForm):
    """Which emails a person wants; invitations and security mail always go out. The
    notice that a member cannot come (email_declines) is for coordinators: others do
    not see the choice, and a value posted for it is ignored."""

    class Meta:
        model = User
        fields = [
            "language",
            "email_reminders",
            "email_meeting_updates",
            "email_pulse",
            "email_declines",
        ]
        labels = {"email_declines": _("When a member cannot come and leaves me a note")}
        help_texts = {
            "email_declines": _(
                "An email naming the member and the meeting; the note itself stays on "
                "the meeting page."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_coordinator(self.instance):
            del self.fields["email_declines"]


class ResetPasswordForm(AllauthResetPasswordForm):
    """A reset link goes only to the account the address belongs to
    (members.accounts.address_owner), never through an unverified claim on another
    account. Whether an account exists is not revealed (allauth's enumeration
    prevention)."""

    def clean_email(self) -> str:
        email = super().clean_email()
        owner = address_owner(email)
        self.users = [owner] if owner is not None and owner.is_active else []
        return email


class ProfileForm(forms.ModelForm):
    """The name other members and coordinators see (GDPR: the right to rectification);
    the address changes through its own verified flow (account_email)."""

    class Meta:
        model = User
        fields = ["first_name", "last_name"]


class DeleteAccountForm(forms.Form):
    """Confirms deleting one's account with the password, and with a code from the
    authenticator app (or a recovery code) when the person uses one."""

    password = forms.CharField(
        label=_("Your password"), strip=False, widget=forms.PasswordInput(render_value=False)
    )
    code = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.authenticators = list(
            Authenticator.objects.filter(
                user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES]
            )
        )
        if not self.authenticators:
            del self.fields["code"]

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("The password is not correct."), code="password")
        return password

    def clean_code(self) -> str:
        code = self.cleaned_data.get("code", "").strip().replace(" ", "")
        if not code:
            raise forms.ValidationError(_("Enter the code from your authenticator app."))
        for authenticator in self.authenticators:
            if authenticator.wrap().validate_code(code):
                return code
        raise forms.ValidationError(_("The code is not correct."), code="code")
