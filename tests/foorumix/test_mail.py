"""foorumix.mail.build_message: plain text is not HTML (no "&amp;"), the HTML part is
still escaped, and no invisible or right-to-left control character gets through."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from foorumix.mail import build_message

TEMPLATES = Path(settings.BASE_DIR) / "templates"
NAME = "A & B <x>"
RLO, PDF = "\u202e", "\u202c"


# allauth renders its own emails (templates/account/email/ overrides them).
LIBRARY_FOLDERS = {"account", "mfa", "allauth"}


def email_templates() -> list[str]:
    """Every email of ours under templates/: the stem that build_message takes."""
    return sorted(
        str(path.relative_to(TEMPLATES)).removesuffix("_subject.txt")
        for path in TEMPLATES.glob("**/email/*_subject.txt")
        if path.relative_to(TEMPLATES).parts[0] not in LIBRARY_FOLDERS
    )


def test_every_email_has_a_subject_a_text_and_an_html_template():
    stems = email_templates()
    assert len(stems) == 12
    for stem in stems:
        assert (TEMPLATES / f"{stem}.txt").is_file(), stem
        assert (TEMPLATES / f"{stem}.html").is_file(), stem


@pytest.fixture
def context():
    """Everything any email template reads, each text hostile."""
    from types import SimpleNamespace

    starts = timezone.now() + timedelta(days=3)
    meeting = SimpleNamespace(
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place=f"Kahvila {RLO}X & Y{PDF}",
        online_url="https://meet.example.org/a?b=1&c=2",
        theme=f"Raja\u00adt & <rajat{RLO}>",
        agenda="Kuulumiset & \u200bteema",
    )
    poll = SimpleNamespace(
        title=f"Kevät {RLO}& <aika>{PDF}",
        place=f"Kahvila {RLO}X & Y{PDF}",
        online_url="https://meet.example.org/a?b=1&c=2",
    )
    return {
        "forum_name": NAME,
        "poll": poll,
        "slots": [meeting, meeting],
        "deadline": starts,
        "poll_url": "https://foorumix.example.org/polls/1/?a=1&b=2",
        "name": "Maija <Meikäläinen> & Co",
        "my_data_url": "https://foorumix.example.org/settings/my-data/",
        "settings_url": "https://foorumix.example.org/settings/?a=1&b=2",
        "first_name": "Anna-Liisa & Co",
        "inviter": "Kirsi <Ojala>",
        "url": "https://foorumix.example.org/invitations/abc/?x=1&y=2",
        "expires_at": starts,
        "meeting": meeting,
        "meeting_url": "https://foorumix.example.org/meetings/1/?a=1&b=2",
        "preparation_url": "https://foorumix.example.org/meetings/1/preparation/",
        "pulse_url": "https://foorumix.example.org/pulse/abc/",
        "days": 3,
        "months": 24,
        "deleted_on": starts.date(),
    }


ABOUT_THE_ACCOUNT = {"forums/email/retention_warning"}  # no forum to name


@pytest.mark.parametrize("stem", email_templates())
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_subject_and_text_are_unescaped_and_html_is_escaped(stem, language, context):
    message = build_message(to="x@example.fi", template=stem, context=context, language=language)
    html = message.alternatives[0][0]
    if stem not in ABOUT_THE_ACCOUNT:
        assert NAME in message.subject
    plain = message.subject + message.body
    for entity in ("&amp;", "&lt;", "&gt;", "&quot;", "&#x27;"):
        assert entity not in plain
    assert "Anna-Liisa & Co" in message.body or "Kirsi <Ojala>" in message.body
    assert "Anna-Liisa &amp; Co" in html or "Kirsi &lt;Ojala&gt;" in html
    assert NAME not in html and "Kirsi <Ojala>" not in html
    for part in (message.subject, message.body, html):
        assert RLO not in part and PDF not in part
        assert "\u00ad" not in part and "\u200b" not in part


def test_meeting_facts_in_text_read_as_typed(context):
    message = build_message(
        to="x@example.fi", template="sessions_app/email/reminder", context=context, language="en"
    )
    assert "Hello Anna-Liisa & Co," in message.body
    assert "Place: Kahvila X & Y\n" in message.body
    assert "Theme: Rajat & <rajat>\n" in message.body
    assert "Kuulumiset & teema" in message.body
    assert "https://foorumix.example.org/meetings/1/?a=1&b=2" in message.body
    html = message.alternatives[0][0]
    assert "Kahvila X &amp; Y" in html
    assert 'href="https://foorumix.example.org/meetings/1/?a=1&amp;b=2"' in html


def test_invitation_text_names_the_inviter_as_typed(context):
    message = build_message(
        to="x@example.fi", template="forums/email/invitation", context=context, language="en"
    )
    assert message.subject == f"Invitation to the forum {NAME}"
    assert f'Kirsi <Ojala> invites you to join the supervisors\' forum "{NAME}"' in message.body
    assert "https://foorumix.example.org/invitations/abc/?x=1&y=2" in message.body
