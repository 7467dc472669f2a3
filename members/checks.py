"""System checks for the account settings (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def mfa_required_in_production(app_configs, **kwargs) -> list[Warning]:
    if settings.DEBUG or settings.FOORUMIX_MFA_REQUIRED:
        return []
    return [
        Warning(
            "FOORUMIX_MFA_REQUIRED is off while DEBUG is off: coordinators, HR viewers and "
            "staff can sign in with a password alone.",
            hint="Remove FOORUMIX_MFA_REQUIRED=false from the production environment.",
            id="members.W001",
        )
    ]
