"""Meeting plans: the forum's default, a meeting's own, back to the forum's; in every
language the standard texts; only the forum's coordinators edit them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions_app.live import plans
from sessions_app.models import MeetingPlan
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db


def phases_post(rows: list[tuple[str, int, str]], opening: str = "") -> dict:
    data = {
        "phase-TOTAL_FORMS": str(len(rows)),
        "phase-INITIAL_FORMS": "0",
        "phase-MIN_NUM_FORMS": "1",
        "phase-MAX_NUM_FORMS": str(plans.MAX_PHASES),
        "opening_text": opening,
    }
    for index, (kind, minutes, title) in enumerate(rows):
        data |= {f"phase-{index}-kind": kind, f"phase-{index}-minutes": str(minutes),
                 f"phase-{index}-title": title}  # fmt: skip
    return data


def test_a_forum_plan_then_a_meetings_own_then_back(client, coordinator, forum):
    meeting = make_meeting(forum, starts_at=timezone.now() + timedelta(days=5))
    other = make_meeting(forum, starts_at=timezone.now() + timedelta(days=35))
    assert plans.phases_of(plans.plan_for(meeting)) == plans.DEFAULT_PHASES
    client.force_login(coordinator)

    response = client.post(
        reverse("live:forum_plan", args=[forum.pk]),
        phases_post([("opening", 10, ""), ("round", 4, "Kuulumiset"), ("closing", 3, "")],
                    opening="Täällä sanottu jää tänne."),
    )  # fmt: skip
    assert response.status_code == 302
    forum_phases = [(p["kind"], p["minutes"]) for p in plans.phases_of(plans.plan_for(other))]
    assert forum_phases == [("opening", 10), ("round", 4), ("closing", 3)]
    assert plans.opening_text(plans.plan_for(other)) == "Täällä sanottu jää tänne."

    client.post(reverse("live:meeting_plan", args=[meeting.pk]),
                phases_post([("opening", 5, ""), ("discussion", 90, "Tapaus")]))  # fmt: skip
    assert [p["minutes"] for p in plans.phases_of(plans.plan_for(meeting))] == [5, 90]
    assert [p["minutes"] for p in plans.phases_of(plans.plan_for(other))] == [10, 4, 3]

    client.post(reverse("live:meeting_plan", args=[meeting.pk]), {"reset": "1"})
    assert [p["minutes"] for p in plans.phases_of(plans.plan_for(meeting))] == [10, 4, 3]


def test_a_bad_plan_changes_nothing_and_keeps_what_was_typed(client, coordinator, forum):
    client.force_login(coordinator)
    response = client.post(
        reverse("live:forum_plan", args=[forum.pk]),
        phases_post([("round", 0, "Liian lyhyt"), ("nonsense", 5, "")]),
    )
    assert response.status_code == 200
    assert MeetingPlan.objects.count() == 0
    assert "Liian lyhyt" in response.content.decode()


def test_members_cannot_edit_plans(client, member, forum):
    meeting = make_meeting(forum)
    client.force_login(member)
    for url in (reverse("live:forum_plan", args=[forum.pk]),
                reverse("live:meeting_plan", args=[meeting.pk])):  # fmt: skip
        assert client.post(url, phases_post([("opening", 5, "")])).status_code in (403, 404)
    assert MeetingPlan.objects.count() == 0


def test_the_standard_texts_exist_in_finnish_swedish_and_english():
    from django.utils import translation

    texts = {}
    for language in ("fi", "sv", "en"):
        with translation.override(language):
            texts[language] = (
                str(plans.opening_text(None)),
                [str(plans.phase_title(phase)) for phase in plans.DEFAULT_PHASES],
            )
    assert texts["fi"][1] == ["Avaus", "Kuulumiskierros", "Teema tai tapaus", "Päätöskierros"]
    assert "stays in the forum" in texts["en"][0]
    assert len({texts[language][0] for language in texts}) == 3  # three languages
    assert len({tuple(texts[language][1]) for language in texts}) == 3
