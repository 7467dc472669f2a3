from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("People")

    def ready(self) -> None:
        from members import checks, personal_data  # noqa: F401, PLC0415 - registers checks

        personal_data.register()
