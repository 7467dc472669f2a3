"""Removing a member and revoking an invitation: a page that says what will happen (GET),
then the action (POST). The removed member is told by email, in their language, with no
reason and no names; afterwards they see nothing of the forum but their own data."""

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forums import services
from forums.emails import build_member_removed_emails
from forums.models import AuditEvent, Invitation, Membership
from sessions_app.models import OutboxMessage, Participation
from tests.factories import UserFactory, make_held_meeting, make_invitation, make_meeting

pytestmark = pytest.mark.django_db


def remove_url(forum, membership):
    return reverse(
        "forums:member_remove", kwargs={"forum_id": forum.pk, "membership_id": membership.pk}
    )


def revoke_url(forum, invitation):
    return reverse(
        "forums:invitation_revoke", kwargs={"forum_id": forum.pk, "invitation_id": invitation.pk}
    )


@pytest.fixture
def membership(forum, member):
    return Membership.objects.get(forum=forum, user=member)


# --- Removing a member ------------------------------------------------------------------


def test_forum_page_links_to_the_removal_page_instead_of_removing_at_once(
    client, forum, coordinator, membership
):
    client.force_login(coordinator)
    page = client.get(reverse("forums:detail", kwargs={"forum_id": forum.pk})).content.decode()
    assert f'<a href="{remove_url(forum, membership)}">Poista Liisa Virtanen</a>' in page
    assert f'action="{remove_url(forum, membership)}"' not in page


def test_removal_page_says_what_will_happen_and_changes_nothing(
    client, forum, coordinator, membership
):
    client.force_login(coordinator)
    response = client.get(remove_url(forum, membership))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Poistetaanko Liisa Virtanen foorumista Foorumi A?" in page
    assert "menettää heti pääsyn foorumin tapaamisiin, muistiinpanoihin ja kyselyihin" in page
    assert "Aiemmat osallistumiset jäävät foorumin tilastoihin" in page
    assert "Viestissä ei kerrota syytä" in page
    assert '<button type="submit" class="danger">Poista foorumista</button>' in page
    membership.refresh_from_db()
    assert membership.is_active
    assert not OutboxMessage.objects.exists()


def test_removal_ends_membership_audits_and_emails_the_member_in_their_language(
    client, forum, coordinator, member, membership, django_capture_on_commit_callbacks
):
    member.language = "sv"
    member.save(update_fields=["language"])
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(remove_url(forum, membership))

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.end_reason == Membership.EndReason.REMOVED
    assert AuditEvent.objects.filter(
        action="membership_removed", subject_user=member, actor=coordinator
    ).exists()
    row = OutboxMessage.objects.get(kind=OutboxMessage.Kind.MEMBER_REMOVED)
    assert (row.recipient, row.object_id, row.forum_id) == (member, membership.pk, forum.pk)
    (message,) = mail.outbox
    assert message.to == [member.email]
    assert message.subject == "Du är inte längre medlem i forumet Foorumi A"
    html = message.alternatives[0][0]
    assert "Hej Liisa," in message.body
    assert "Dina uppgifter" in message.body
    assert "/settings/my-data/" in message.body and "/settings/my-data/" in html
    for name in ("Kirsi", "Ojala", coordinator.email):  # who removed them is not said
        assert name not in message.body + html


def test_the_removal_email_is_queued_in_the_removals_transaction(forum, coordinator, membership):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.membership_remove(forum=forum, membership_id=membership.pk, actor=coordinator)
        assert OutboxMessage.objects.filter(kind="member_removed").count() == 1
        raise RuntimeError
    membership.refresh_from_db()
    assert membership.is_active
    assert not OutboxMessage.objects.exists()


def test_removal_email_builder_loads_a_batch_in_one_query(
    forum, coordinator, django_assert_num_queries
):
    people = [UserFactory(first_name=f"Jäsen{n}") for n in range(5)]
    for person in people:
        Membership.objects.create(forum=forum, user=person)
    for membership in Membership.objects.filter(user__in=people):
        services.membership_remove(forum=forum, membership_id=membership.pk, actor=coordinator)
    rows = list(OutboxMessage.objects.select_related("recipient"))
    with django_assert_num_queries(1):
        build = build_member_removed_emails(rows)
        emails = [build(row) for row in rows]
    assert sorted(email.to[0] for email in emails) == sorted(person.email for person in people)


def test_no_email_for_a_membership_that_was_not_a_removal(forum, member, membership):
    services.membership_leave(forum=forum, user=member)
    row = OutboxMessage(
        kind="member_removed", recipient=member, recipient_email=member.email,
        object_id=membership.pk, occasion="removed",
    )  # fmt: skip
    assert build_member_removed_emails([row])(row) is None


def test_removed_member_sees_nothing_of_the_forum_but_keeps_their_own_data(
    client, forum, coordinator, member, membership
):
    held = make_held_meeting(forum, attendees=[member], theme="Menneen tapaamisen teema")
    upcoming = make_meeting(forum, theme="Tulevan tapaamisen teema")
    Participation.objects.create(meeting=upcoming, user=member, rsvp="yes")
    services.membership_remove(forum=forum, membership_id=membership.pk, actor=coordinator)
    client.force_login(member)

    forum_urls = [
        reverse(name, kwargs={"forum_id": forum.pk})
        for name in ("forums:detail", "forums:agreement", "forums:leave", "meetings:themes",
                     "notes:forum_notes")
    ] + [
        reverse(name, kwargs={"meeting_id": meeting.pk})
        for meeting in (held, upcoming)
        for name in ("meetings:detail", "meetings:ics", "meetings:preparation",
                     "meetings:rsvp", "notes:meeting_notes", "live:room")
    ]  # fmt: skip
    for url in forum_urls:
        assert client.get(url).status_code == 404, url
    home = client.get(reverse("home")).content.decode()
    assert "Foorumi A" not in home
    assert "Tulevan tapaamisen teema" not in home

    my_data = client.get(reverse("my_data")).content.decode()
    meetings_section = my_data.split('id="section-meetings"', 1)[1].split("</section>", 1)[0]
    assert meetings_section.count("Foorumi A") == 2  # the held and the upcoming meeting
    memberships = my_data.split('id="section-memberships"', 1)[1].split("</section>", 1)[0]
    assert "Foorumi A" in memberships


def test_member_and_outsider_cannot_open_the_removal_page(
    client, forum, member, outsider, membership
):
    client.force_login(member)
    assert client.get(remove_url(forum, membership)).status_code == 403
    client.force_login(outsider)
    assert client.get(remove_url(forum, membership)).status_code == 404


def test_removing_twice_says_so_and_sends_one_email(
    client, forum, coordinator, membership, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(remove_url(forum, membership))
    assert client.post(remove_url(forum, membership)).status_code == 404
    assert len(mail.outbox) == 1


# --- Revoking an invitation --------------------------------------------------------------


def test_revoke_page_says_the_link_stops_and_the_person_is_not_told(client, forum, coordinator):
    invitation, _token = make_invitation(forum, "kutsuttu@example.fi")
    client.force_login(coordinator)
    response = client.get(revoke_url(forum, invitation))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Perutaanko kutsu osoitteeseen kutsuttu@<wbr>example.<wbr>fi?" in page
    assert "Kutsulinkki lakkaa toimimasta heti." in page
    assert "Kutsutulle ei ilmoiteta." in page
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING


def test_revoking_sends_nothing_and_the_link_stops_working(
    client, forum, coordinator, django_capture_on_commit_callbacks
):
    invitation, token = make_invitation(forum, "kutsuttu@example.fi")
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(revoke_url(forum, invitation), follow=True)
    assert "Kutsu osoitteeseen kutsuttu@example.fi peruttiin" in response.content.decode()
    assert mail.outbox == []
    assert not OutboxMessage.objects.exists()
    client.logout()
    assert client.get(f"/invitations/{token}/").status_code == 410


def test_revoke_page_of_an_answered_invitation_goes_back_to_the_list(client, forum, coordinator):
    invitation, _token = make_invitation(forum, "kutsuttu@example.fi")
    client.force_login(coordinator)
    client.post(revoke_url(forum, invitation))
    response = client.get(revoke_url(forum, invitation))
    assert response.status_code == 302
    assert response.headers["Location"] == reverse(
        "forums:invitations", kwargs={"forum_id": forum.pk}
    )


def test_invitations_page_links_to_the_revoke_page_and_runs_fixed_queries(
    client, forum, coordinator
):
    first, _token = make_invitation(forum, "eka@example.fi")
    client.force_login(coordinator)
    url = reverse("forums:invitations", kwargs={"forum_id": forum.pk})
    with CaptureQueriesContext(connection) as one:
        page = client.get(url).content.decode()
    assert f'href="{revoke_url(forum, first)}"' in page
    assert f'action="{revoke_url(forum, first)}"' not in page
    for number in range(15):
        make_invitation(forum, f"kutsu{number}@example.fi")
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert len(many) == len(one)
    assert page.count("voimassa ") == 16
