from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from forums.demo import seed_forums
from members.demo import DEMO_DOMAIN, DEMO_PASSWORD, seed_people
from sessions_app.demo.meetings import seed_meetings
from sessions_app.demo.notes import seed_notes
from sessions_app.demo.pulse import seed_history


class Command(BaseCommand):
    help = "Create the demo organisations, people, forums and history. Idempotent; DEBUG only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo refuses to run with DEBUG off: it creates known passwords."
            )
        with transaction.atomic():
            people = seed_people()
            forums = seed_forums(people)
            seed_meetings(forums)
            seed_history(people)
            seed_notes()
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Sign in with:"))
        for email in (
            f"coordinator1@{DEMO_DOMAIN}",
            f"coordinator2@{DEMO_DOMAIN}",
            f"hr1@{DEMO_DOMAIN}",
            f"hr2@{DEMO_DOMAIN}",
            f"member01@{DEMO_DOMAIN} … member16@{DEMO_DOMAIN} (forums 1 and 2)",
            f"member17@{DEMO_DOMAIN} … member24@{DEMO_DOMAIN} (an earlier, archived forum)",
            f"admin@{DEMO_DOMAIN}",
        ):
            self.stdout.write(f"  {email}")
        self.stdout.write(f"  password: {DEMO_PASSWORD}")
