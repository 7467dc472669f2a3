from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SessionsAppConfig(AppConfig):
    name = "sessions_app"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        # Imported here, not at the top: models may be imported only once the app
        # registry is ready.
        from foorumix import outbox  # noqa: PLC0415
        from forums import pages  # noqa: PLC0415
        from sessions_app import personal_data, receivers  # noqa: F401, PLC0415 - receivers
        from sessions_app.meetings import emails, nudges, reminders, selectors  # noqa: PLC0415
        from sessions_app.models import OutboxMessage  # noqa: PLC0415
        from sessions_app.polls import emails as poll_emails  # noqa: PLC0415
        from sessions_app.pulse.emails import build_pulse_emails  # noqa: PLC0415

        Kind = OutboxMessage.Kind
        meeting_updates = "email_meeting_updates"
        for kind in (Kind.MEETING_SCHEDULED, Kind.MEETING_CHANGED, Kind.MEETING_CANCELLED):
            outbox.register_kind(
                kind, build_batch=emails.build_meeting_emails, opt_out_flag=meeting_updates
            )
        outbox.register_kind(
            Kind.REMINDER, build_batch=emails.build_meeting_emails, opt_out_flag="email_reminders"
        )
        outbox.register_kind(Kind.PULSE, build_batch=build_pulse_emails, opt_out_flag="email_pulse")
        outbox.register_planner(reminders.plan_reminders)
        for kind in (Kind.POLL_OPENED, Kind.POLL_REMINDER):
            outbox.register_kind(
                kind, build_batch=poll_emails.build_poll_emails, opt_out_flag=meeting_updates
            )
        outbox.register_planner(poll_emails.plan_poll_reminders)
        outbox.register_kind(
            Kind.MEETING_NUDGE,
            build_batch=nudges.build_follow_up_emails,
            opt_out_flag="email_reminders",
        )
        outbox.register_kind(
            Kind.RSVP_DECLINED,
            build_batch=nudges.build_follow_up_emails,
            opt_out_flag="email_declines",
        )
        pages.register_section(selectors.forum_page_section)
        personal_data.register()
