"""The demo leaves the HR view of Esimerkki Oy with real, shown unit figures."""

import pytest
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from forums.demo import seed_forums
from members.demo import seed_people
from members.models import Organisation, User
from sessions_app.demo.meetings import seed_meetings
from sessions_app.demo.pulse import seed_history
from sessions_app.hr.periods import default_year
from sessions_app.hr.report import participation_report
from sessions_app.models import (
    ForumPulseAnswer,
    Meeting,
    OrganisationPulseAnswer,
    PulseReceipt,
)

pytestmark = pytest.mark.django_db


def seed():
    people = seed_people()
    seed_meetings(seed_forums(people))
    seed_history(people)


def counts() -> dict:
    return {
        "people": User.objects.count(),
        "meetings": Meeting.objects.count(),
        "receipts": PulseReceipt.objects.count(),
        "forum answers": ForumPulseAnswer.objects.count(),
        "organisation answers": OrganisationPulseAnswer.objects.count(),
    }


def test_demo_hr_view_shows_real_unit_figures_and_seeding_again_changes_nothing(client):
    seed()
    first = counts()
    seed()
    assert counts() == first
    assert first["organisation answers"] > 0

    organisation = Organisation.objects.get(name="Esimerkki Oy")
    result = participation_report(organisation.pk, year=default_year(timezone.localdate()))
    figures = ("enrolled", "participants", "meetings_attended", "pulse_answers")

    def shown(kind: str, row_kind: str) -> set[str]:
        return {
            name
            for line in result.lines(kind)
            if line.row.kind == row_kind
            for name in figures
            if line.figures[name] is not None
        }

    # The demo's units are smaller than twice the threshold: their participation stays
    # hidden (it would tell HR about every member of the unit), while the organisation's
    # totals, the units' enrolment and their pulse averages are real, shown figures.
    assert shown("month", "total") >= {"enrolled", "participants", "meetings_attended"}
    assert shown("month", "unit") >= {"enrolled", "pulse_answers"}
    assert "participants" not in shown("month", "unit") | shown("quarter", "unit")

    client.force_login(User.objects.get(email="hr1@demo.foorumix.fi"))
    html = client.get(reverse("hr:participation")).content.decode()
    assert 'data-figure="participants" data-value="hidden"' in html
    assert 'class="unit-row"' in html


def test_pulse_answers_come_from_attendees_of_held_meetings_only():
    seed()
    receipts = PulseReceipt.objects.values("meeting__status").annotate(n=Count("id"))
    assert {row["meeting__status"] for row in receipts} == {Meeting.Status.HELD}
    for receipt in PulseReceipt.objects.select_related("meeting")[:50]:
        assert receipt.meeting.participations.filter(user=receipt.user, attended=True).exists()
