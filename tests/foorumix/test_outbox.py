"""The outbox: rows created with the change, reminders planned in time, none lost, none
sent twice, the real SMTP path, and no confidential content in any email."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from foorumix import outbox
from forums import invitations
from forums.models import Membership
from sessions_app.meetings import notify, reminders, services
from sessions_app.meetings.scheduling import Occurrence
from sessions_app.models import Meeting, OutboxMessage
from tests.factories import UserFactory, make_forum, make_meeting
from tests.smtp import SMTPServer

HELSINKI = ZoneInfo("Europe/Helsinki")
pytestmark = pytest.mark.django_db


def at(year, month, day, hour=13, minute=0):
    return datetime(year, month, day, hour, minute, tzinfo=HELSINKI)


@pytest.fixture
def members(forum, member):
    mikko = UserFactory(first_name="Mikko", last_name="Korhonen", language="en")
    Membership.objects.create(forum=forum, user=mikko, accepted_version=forum.agreement_version)
    return [member, mikko]


def schedule(forum, actor, days=20):
    start = timezone.now().replace(microsecond=0) + timedelta(days=days)
    (meeting,) = services.meeting_schedule(
        forum=forum, actor=actor, occurrences=[Occurrence(start, start + timedelta(hours=3))],
        place="Pori", theme="Rajat", agenda="Kuulumiset",
    )  # fmt: skip
    return meeting


def rows(**filters):
    return list(OutboxMessage.objects.filter(**filters).order_by("recipient_email"))


def test_scheduling_creates_one_row_per_member_in_the_same_transaction(forum, coordinator, members):
    with pytest.raises(RuntimeError), transaction.atomic():
        schedule(forum, coordinator)
        assert len(rows(kind="meeting_scheduled")) == 2
        raise RuntimeError("roll back")
    assert rows() == []
    meeting = schedule(forum, coordinator)
    assert {(r.recipient_id, r.object_id, r.occasion) for r in rows(kind="meeting_scheduled")} == {
        (members[0].pk, meeting.pk, "seq0"),
        (members[1].pk, meeting.pk, "seq0"),
    }


def test_the_same_message_cannot_exist_twice(forum, coordinator, members):
    meeting = schedule(forum, coordinator)
    notify.meeting_scheduled(meeting)
    assert len(rows(kind="meeting_scheduled")) == 2


def test_sweep_sends_text_and_html_in_the_recipients_language_with_an_ics(
    forum, coordinator, members, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule(forum, coordinator)
    assert {m.to[0]: m.subject for m in mail.outbox} == {
        members[
            0
        ].email: f"Uusi tapaaminen {timezone.localtime(meeting.starts_at):%-d.%-m.}: Foorumi A",
        members[
            1
        ].email: f"New meeting {timezone.localtime(meeting.starts_at):%-d.%-m.}: Foorumi A",
    }
    message = next(m for m in mail.outbox if m.to == [members[1].email])
    assert message.alternatives[0][1] == "text/html"
    assert f"/meetings/{meeting.pk}/" in message.body
    assert message.extra_headers["Message-ID"].startswith("<foorumix-outbox-")
    (name, content, mimetype) = message.attachments[0]
    assert mimetype == "text/calendar; method=PUBLISH"
    assert str(Calendar.from_ical(content)["METHOD"]) == "PUBLISH"
    assert all(r.status == "sent" for r in rows())


def test_no_confidential_content_in_any_email(forum, coordinator, members):
    meeting = schedule(forum, coordinator)
    outbox.sweep()
    services.rsvp_set(meeting=meeting, user=members[0], rsvp="no", absence_note="POISSA-SALAISUUS")
    services.preparation_save(
        meeting=meeting, user=members[0], current_situation="VALMISTELU-SALAISUUS", to_bring="",
        shared=True,
    )  # fmt: skip
    meeting.forum = forum
    services.meeting_update(
        meeting=meeting, actor=coordinator, starts_at=meeting.starts_at, ends_at=meeting.ends_at,
        place="Rauma", online_url="", theme="Rajat", agenda="Kuulumiset",
    )  # fmt: skip
    outbox.sweep()
    reminders.plan_reminders(now=reminders.reminder_due_at(meeting.starts_at, 1))
    OutboxMessage.objects.filter(kind="reminder").update(due_at=timezone.now())
    outbox.sweep()
    services.meeting_cancel(meeting=meeting, actor=coordinator)
    outbox.sweep()
    kinds = {message.extra_headers["Message-ID"] for message in mail.outbox}
    # scheduled, changed, the (latest due) reminder, cancelled: four to each member
    assert len(mail.outbox) == len(kinds) == 2 * 4
    for message in mail.outbox:
        other = [m for m in members if m.email != message.to[0]][0]
        text = message.subject + message.body + message.alternatives[0][0]
        text += "".join(
            a[1].decode() if isinstance(a[1], bytes) else a[1] for a in message.attachments
        )
        for secret in (
            "POISSA-SALAISUUS",
            "VALMISTELU-SALAISUUS",
            other.first_name,
            other.last_name,
            other.email,
        ):
            assert secret not in text, (secret, message.subject)


def test_reminders_are_planned_when_their_time_comes(forum, coordinator, members):
    meeting = make_meeting(forum, starts_at=at(2030, 5, 14))
    Meeting.objects.filter(pk=meeting.pk).update(created_at=at(2030, 1, 1))
    assert reminders.plan_reminders(now=at(2030, 5, 7, 12, 59)) == 0
    reminders.plan_reminders(now=at(2030, 5, 7, 13, 0))
    assert {r.occasion for r in rows(kind="reminder")} == {"7d@20300514T1300"}
    reminders.plan_reminders(now=at(2030, 5, 13, 13, 0))
    reminders.plan_reminders(now=at(2030, 5, 13, 13, 0))
    assert sorted(r.occasion for r in rows(kind="reminder")) == [
        "1d@20300514T1300", "1d@20300514T1300", "7d@20300514T1300", "7d@20300514T1300",
    ]  # fmt: skip


def test_after_an_outage_only_the_latest_due_reminder_is_sent(forum, coordinator, members):
    meeting = make_meeting(forum, starts_at=at(2030, 5, 14))
    Meeting.objects.filter(pk=meeting.pk).update(created_at=at(2030, 1, 1))
    reminders.plan_reminders(now=at(2030, 5, 13, 18))  # nothing ran since before the 7th
    assert {r.occasion for r in rows(kind="reminder")} == {"1d@20300514T1300"}


def test_reminder_text_tells_the_days_left_and_asks_for_preparation(forum, coordinator, members):
    meeting = schedule(forum, coordinator, days=3)
    reminders.plan_reminders(now=reminders.reminder_due_at(meeting.starts_at, 1))
    OutboxMessage.objects.filter(kind="reminder").update(due_at=timezone.now())
    mail.outbox.clear()
    outbox.sweep()
    by_language = {
        m.to[0]: m.body for m in mail.outbox if m.subject.startswith(("Muistutus", "Reminder"))
    }
    assert "Your forum meets in 3 days." in by_language[members[1].email]
    assert "Foorumisi kokoontuu 3 päivän päästä." in by_language[members[0].email]
    for body in by_language.values():
        assert f"/meetings/{meeting.pk}/preparation/" in body
        assert "Rajat" in body and "Pori" in body and "Kuulumiset" in body


def test_one_day_reminder_right_after_the_spring_dst_change_goes_at_13_local():
    # DST starts on Sunday 2030-03-31 at 03:00; the meeting is on Monday at 13:00.
    due = reminders.reminder_due_at(at(2030, 4, 1), 1)
    assert due == at(2030, 3, 31, 13, 0)
    assert due.utcoffset() == timedelta(hours=3)


def test_one_day_reminder_right_after_the_autumn_dst_change_goes_at_13_local():
    due = reminders.reminder_due_at(at(2030, 10, 28), 1)  # DST ends Sunday 2030-10-27
    assert due == at(2030, 10, 27, 13, 0)
    assert due.utcoffset() == timedelta(hours=2)


def test_forum_reminder_offsets_and_member_opt_out(forum, coordinator, members):
    forum.reminder_days = "3"
    forum.save(update_fields=["reminder_days"])
    members[1].email_reminders = False
    members[1].save(update_fields=["email_reminders"])
    meeting = make_meeting(forum, starts_at=at(2030, 5, 14))
    Meeting.objects.filter(pk=meeting.pk).update(created_at=at(2030, 1, 1))
    reminders.plan_reminders(now=at(2030, 5, 13, 14))
    assert [(r.recipient_id, r.occasion) for r in rows(kind="reminder")] == [
        (members[0].pk, "3d@20300514T1300")
    ]


def test_no_seven_day_reminder_for_a_meeting_scheduled_three_days_ahead(
    forum, coordinator, members
):
    meeting = schedule(forum, coordinator, days=3)
    reminders.plan_reminders(now=timezone.now())
    assert rows(kind="reminder") == []
    reminders.plan_reminders(now=reminders.reminder_due_at(meeting.starts_at, 1))
    assert {r.occasion.split("@")[0] for r in rows(kind="reminder")} == {"1d"}


def test_changing_the_time_replans_reminders(forum, coordinator, members):
    meeting = schedule(forum, coordinator, days=10)
    reminders.plan_reminders(now=reminders.reminder_due_at(meeting.starts_at, 7))
    old = rows(kind="reminder")
    assert len(old) == 2
    meeting.forum = forum
    new_start = meeting.starts_at + timedelta(days=2)
    services.meeting_update(
        meeting=meeting, actor=coordinator, starts_at=new_start,
        ends_at=new_start + timedelta(hours=3), place="Pori", online_url="", theme="Rajat",
        agenda="Kuulumiset",
    )  # fmt: skip
    assert {r.status for r in rows(kind="reminder")} == {"cancelled"}
    reminders.plan_reminders(now=reminders.reminder_due_at(new_start, 7))
    pending = rows(kind="reminder", status="pending")
    assert {r.occasion for r in pending} == {reminders.reminder_occasion(meeting, 7)}
    assert len(rows(kind="meeting_changed")) == 2


def test_cancelling_removes_pending_messages_and_sends_one_cancellation(
    forum, coordinator, members
):
    meeting = schedule(forum, coordinator, days=10)
    reminders.plan_reminders(now=reminders.reminder_due_at(meeting.starts_at, 7))
    services.meeting_cancel(meeting=meeting, actor=coordinator)
    outbox.sweep()
    outbox.sweep()
    sent = [(m.to[0], m.subject) for m in mail.outbox]
    assert len(sent) == 2
    assert all("peruttu" in subject or "cancelled" in subject for _to, subject in sent)
    ics = Calendar.from_ical(mail.outbox[0].attachments[0][1])
    assert str(ics["METHOD"]) == "PUBLISH"
    assert str(ics.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
    assert {r.status for r in rows(kind="reminder")} == {"cancelled"}


def test_a_reminder_for_a_meeting_that_moved_is_not_sent(forum, coordinator, members):
    meeting = schedule(forum, coordinator, days=10)
    reminders.plan_reminders(now=reminders.reminder_due_at(meeting.starts_at, 7))
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=meeting.starts_at + timedelta(hours=1))
    mail.outbox.clear()
    outbox.sweep()
    assert [m for m in mail.outbox if "Muistutus" in m.subject or "Reminder" in m.subject] == []


def test_rows_stuck_in_sending_are_reset_and_sent(forum, coordinator, members, settings):
    meeting = schedule(forum, coordinator)
    OutboxMessage.objects.update(status="sending", claimed_at=timezone.now() - timedelta(hours=1))
    assert outbox.reset_stuck() == 2
    outbox.sweep()
    assert len(mail.outbox) == 2
    assert {r.status for r in rows()} == {"sent"}
    assert meeting.pk


def test_invitations_go_through_the_outbox(forum, coordinator):
    invitations.invitation_create_many(forum=forum, actor=coordinator, text="uusi@example.fi")
    (row,) = rows(kind="invitation")
    assert row.recipient_email == "uusi@example.fi"
    outbox.sweep()
    assert [m.to for m in mail.outbox] == [["uusi@example.fi"]]
    assert "/invitations/" in mail.outbox[0].body


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_send_each_message_exactly_once():
    from django.db import connection

    coordinator = UserFactory(is_coordinator=True)
    people = [UserFactory() for _ in range(40)]
    forum = make_forum(coordinator=coordinator, members=people)
    # Rows made directly (no kick), so that only the two racing sweeps can send them.
    meetings = [
        make_meeting(forum, starts_at=timezone.now() + timedelta(days=20 + i)) for i in range(5)
    ]
    for meeting in meetings:
        outbox.enqueue("meeting_scheduled", people, object_id=meeting.pk, occasion="seq0",
                       forum_id=forum.pk)  # fmt: skip
    assert OutboxMessage.objects.count() == 200
    barrier = threading.Barrier(2)
    results = []

    def run():
        try:
            barrier.wait()
            for _ in range(4):
                results.append(outbox.sweep(batch_size=25, max_batches=2))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    keys = [(m.to[0], m.subject) for m in mail.outbox]
    assert len(keys) == 200 == len(set(keys))
    assert sum(r["sent"] for r in results) == 200
    assert {r.status for r in rows()} == {"sent"}
    assert len(meetings) == 5


class TestRealSMTP:
    """The real SMTP path against a local SMTP server on loopback."""

    def test_server_down_keeps_the_message_pending_until_it_returns(
        self, forum, coordinator, members, settings
    ):
        server = SMTPServer()
        for key, value in server.settings().items():
            setattr(settings, key, value)
        schedule(forum, coordinator)
        result = outbox.sweep()
        assert result["retry"] == 2
        assert {(r.status, r.attempts) for r in rows()} == {("pending", 1)}
        assert all(r.last_error.startswith("ConnectionRefusedError") for r in rows())
        server.start()
        try:
            OutboxMessage.objects.update(due_at=timezone.now())  # the backoff has passed
            outbox.sweep()
            assert server.wait_for(2)
        finally:
            server.stop()
        assert {r.status for r in rows()} == {"sent"}
        assert len(set(server.recorder.message_ids())) == 2

    def test_permanent_failure_is_recorded_shown_to_the_coordinator_and_not_retried(
        self, client, forum, coordinator, members, settings
    ):
        server = SMTPServer().start()
        server.recorder.refuse = {members[1].email}
        for key, value in server.settings().items():
            setattr(settings, key, value)
        try:
            schedule(forum, coordinator)
            outbox.sweep()
            OutboxMessage.objects.update(due_at=timezone.now())
            outbox.sweep()
        finally:
            server.stop()
        assert [m["To"] for m in server.recorder.messages] == [members[0].email]
        failed = OutboxMessage.objects.get(recipient=members[1])
        assert (failed.status, failed.attempts, failed.last_error) == (
            "failed", 1, "SMTPRecipientsRefused 550",
        )  # fmt: skip
        client.force_login(coordinator)
        page = client.get(reverse("forums:detail", kwargs={"forum_id": forum.pk}))
        assert [m.recipient_email for m in page.context["undelivered"]] == [members[1].email]
        client.force_login(members[0])
        page = client.get(reverse("forums:detail", kwargs={"forum_id": forum.pk}))
        assert "undelivered" not in page.context


def test_a_row_of_a_kind_no_app_sends_is_cancelled_and_the_rest_go_out(forum, coordinator, members):
    meeting = schedule(forum, coordinator)
    OutboxMessage.objects.create(
        kind="retired_kind", recipient=members[0], recipient_email=members[0].email,
        object_id=meeting.pk, occasion="x", forum=forum,
    )  # fmt: skip
    totals = outbox.sweep()
    assert totals == {"sent": 2, "retry": 0, "failed": 0, "cancelled": 1}
    assert OutboxMessage.objects.get(kind="retired_kind").status == "cancelled"
    assert len(mail.outbox) == 2
