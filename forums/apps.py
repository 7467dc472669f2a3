from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Forums")

    def ready(self) -> None:
        from foorumix import outbox  # noqa: PLC0415 - app registry must be ready first
        from forums import emails, personal_data, receivers, retention  # noqa: F401, PLC0415
        from forums.invitations import EMAIL_KIND  # noqa: PLC0415
        from forums.services import MEMBER_REMOVED_EMAIL  # noqa: PLC0415

        outbox.register_kind(EMAIL_KIND, build_batch=emails.build_invitation_emails)
        outbox.register_kind(MEMBER_REMOVED_EMAIL, build_batch=emails.build_member_removed_emails)
        outbox.register_kind(retention.EMAIL_KIND, build_batch=retention.build_retention_emails)
        personal_data.register()
