"""A canary written into the notes never reaches logs, emails or error reports."""

import logging
import sys
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.views.debug import ExceptionReporter

from forums import invitations
from sessions_app.notes import selectors as note_selectors
from sessions_app.notes import services as notes
from tests.factories import make_held_meeting

pytestmark = pytest.mark.django_db

CANARY = "kanarialintu7f3a9c"


def report_for(request) -> str:
    """The text of the error report Django would mail for an exception in `request`."""
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        exc_info = sys.exc_info()
    return ExceptionReporter(request, *exc_info, is_email=True).get_traceback_text()


def test_canary_never_reaches_logs_or_email_across_the_whole_flow(
    client, forum, member, coordinator, caplog, django_capture_on_commit_callbacks
):
    meeting = make_held_meeting(forum, attendees=[member])
    edit = reverse("notes:meeting_notes_edit", kwargs={"meeting_id": meeting.pk})
    read = reverse("notes:meeting_notes", kwargs={"meeting_id": meeting.pk})
    listing = reverse("notes:forum_notes", kwargs={"forum_id": forum.pk})
    text = f"Liisalle soitettiin numeroon 040 123 4567. Onni ei ollut paikalla. {CANARY}"
    # Something that does send mail in the same run, so the outbox is not trivially empty.
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invitation_create_many(
            forum=forum, actor=coordinator, text="uusi.jasen@example.fi"
        )

    with caplog.at_level(logging.DEBUG):
        client.force_login(coordinator)
        client.get(edit)
        response = client.post(edit, {"text": text, "action": "save"})  # refused
        assert response.status_code == 200
        response = client.post(edit, {"text": text, "action": "replace_all"})
        redacted = response.context["form"]["text"].value()
        assert CANARY in redacted and "Liisalle" not in redacted
        response = client.post(edit, {"text": redacted, "action": "save"})
        assert response.status_code == 302
        client.get(read)
        client.get(edit)
        client.force_login(member)
        assert CANARY in client.get(read).content.decode()
        client.get(listing)
        call_command("rotate_note_keys", stdout=StringIO())

    assert "Session note" in caplog.text  # the flow did log, by id
    assert CANARY not in caplog.text
    assert "040 123 4567" not in caplog.text
    assert len(mail.outbox) >= 1
    for message in mail.outbox:
        parts = [message.subject, message.body, *(c for c, _ in message.alternatives)]
        assert all(CANARY not in part for part in parts)


def test_editor_post_data_is_hidden_from_error_reports(client, forum, member, coordinator):
    meeting = make_held_meeting(forum, attendees=[member])
    url = reverse("notes:meeting_notes_edit", kwargs={"meeting_id": meeting.pk})
    data = {"text": f"Teksti {CANARY}", "dismissed": [f"person:{CANARY}"], "action": "check"}
    # Without the protection the report would show the posted text:
    assert CANARY in report_for(RequestFactory().post(url, data))

    client.force_login(coordinator)
    response = client.post(url, data)
    assert response.status_code == 200
    assert CANARY not in report_for(response.wsgi_request)


def test_decrypted_notes_are_hidden_from_error_reports(
    client, forum, member, coordinator, monkeypatch, caplog
):
    meeting = make_held_meeting(forum, attendees=[member])
    notes.note_save(
        meeting=meeting, author=coordinator, text=f"Teksti {CANARY}", dismissed=frozenset()
    )

    def broken(note):
        raise RuntimeError("the read log is down")

    monkeypatch.setattr(note_selectors, "note_readers", broken)
    client.raise_request_exception = False
    client.force_login(member)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get(reverse("notes:meeting_notes", kwargs={"meeting_id": meeting.pk}))
    assert response.status_code == 500
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    report = ExceptionReporter(record.request, *record.exc_info, is_email=True)
    text = report.get_traceback_text()
    assert "the read log is down" in text
    assert CANARY not in text
