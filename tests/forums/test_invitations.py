import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from foorumix.tokens import hash_token
from forums import invitations, services
from forums.models import AuditEvent, Invitation, Membership
from members.models import User
from tests.factories import PASSWORD, UserFactory, make_invitation, with_password

pytestmark = pytest.mark.django_db


def invite(client, forum, text):
    return client.post(
        reverse("forums:invitations", kwargs={"forum_id": forum.pk}), {"addresses": text}
    )


def link_in(message) -> str:
    return re.search(r"http://\S+/invitations/[0-9a-f]{64}/", message.body).group(0)


def test_pasted_list_reports_every_line_and_sends_the_valid_ones(
    client, forum, coordinator, member, django_capture_on_commit_callbacks
):
    make_invitation(forum, "jo.kutsuttu@example.fi")
    client.force_login(coordinator)
    text = "\n".join(
        [
            "uusi.yksi@example.fi",
            "ei-osoite",
            member.email,
            "jo.kutsuttu@example.fi",
            "Uusi Kaksi <uusi.kaksi@example.fi>; UUSI.YKSI@example.fi",
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, forum, text)
    report = [(line.line, line.outcome) for line in response.context["report"]]
    assert report == [
        ("uusi.yksi@example.fi", "sent"),
        ("ei-osoite", "invalid"),
        (member.email, "already_member"),
        ("jo.kutsuttu@example.fi", "already_invited"),
        ("Uusi Kaksi <uusi.kaksi@example.fi>", "sent"),
        ("UUSI.YKSI@example.fi", "duplicate"),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["uusi.kaksi@example.fi", "uusi.yksi@example.fi"]
    # What did not go out stays in the box so nothing typed is lost.
    assert "ei-osoite" in response.context["form"].initial["addresses"]


def test_capacity_is_respected_line_by_line(client, coordinator, member):
    from tests.factories import make_forum

    small = make_forum(coordinator=coordinator, members=[member], capacity=3)
    make_invitation(small, "odottaa@example.fi")
    client.force_login(coordinator)
    response = invite(client, small, "a@example.fi\nb@example.fi")
    assert [line.outcome for line in response.context["report"]] == ["sent", "over_capacity"]


def test_sending_is_rate_limited_per_coordinator(client, forum, coordinator, settings):
    settings.FOORUMIX_INVITATIONS_PER_HOUR = 2
    client.force_login(coordinator)
    response = invite(client, forum, "a@example.fi\nb@example.fi\nc@example.fi")
    assert [line.outcome for line in response.context["report"]] == ["sent", "sent", "rate_limited"]
    assert Invitation.objects.filter(forum=forum).count() == 2


def test_token_has_256_bits_and_only_its_hash_is_stored(forum, coordinator):
    report = invitations.invitation_create_many(forum=forum, actor=coordinator, text="x@example.fi")
    assert report[0].ok
    invitation = Invitation.objects.get(email="x@example.fi")
    token = invitation.token()
    assert re.fullmatch(r"[0-9a-f]{64}", token)
    assert len(invitation.nonce) == 32  # 128 random bits feed the token
    assert invitation.token_hash == hash_token(token)
    stored = " ".join(
        str(value) for value in Invitation.objects.values().get(pk=invitation.pk).values()
    )
    assert token not in stored


def test_invitation_expires_after_the_configured_days(forum, coordinator, settings):
    settings.FOORUMIX_INVITATION_DAYS = 14
    invitations.invitation_create_many(forum=forum, actor=coordinator, text="x@example.fi")
    invitation = Invitation.objects.get(email="x@example.fi")
    assert abs(invitation.expires_at - (timezone.now() + timedelta(days=14))) < timedelta(minutes=1)


def test_invitation_email_links_to_a_working_page_and_holds_no_member_names(
    client, forum, coordinator, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, forum, "uusi@example.fi")
    message = mail.outbox[0]
    assert message.subject == "Kutsu foorumiin Foorumi A"
    html = message.alternatives[0][0]
    assert "Liisa" not in message.body + html
    client.logout()
    path = link_in(message).split("8000", 1)[1]
    assert client.get(path).status_code == 200


def test_new_person_signs_up_through_the_invitation_and_must_accept_the_agreement(client, forum):
    invitation, token = make_invitation(forum, "Uusi.Jasen@example.fi")
    page = client.get(f"/invitations/{token}/")
    assert page.context["has_account"] is False
    response = client.post(
        "/accounts/signup/",
        {
            "email": "uusi.jasen@example.fi",
            "first_name": "Uusi",
            "last_name": "Jäsen",
            "password1": "Pitka-salasana-2026",
            "password2": "Pitka-salasana-2026",
        },
    )
    user = User.objects.get(email="uusi.jasen@example.fi")
    assert response.headers["Location"] == reverse(
        "forums:agreement", kwargs={"forum_id": forum.pk}
    )
    assert EmailAddress.objects.get(user=user).verified is True  # the link proved the address
    membership = Membership.objects.get(forum=forum, user=user)
    assert membership.accepted_version == 0
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    # The forum stays closed until the agreement is accepted.
    assert client.get(reverse("forums:detail", kwargs={"forum_id": forum.pk})).status_code == 302
    client.post(reverse("forums:agreement", kwargs={"forum_id": forum.pk}))
    membership.refresh_from_db()
    assert membership.accepted_version == forum.agreement_version == 1
    assert client.get(reverse("forums:detail", kwargs={"forum_id": forum.pk})).status_code == 200


def test_signup_with_another_address_than_the_invited_one_is_refused(client, forum):
    _invitation, token = make_invitation(forum, "kutsuttu@example.fi")
    client.get(f"/invitations/{token}/")
    response = client.post(
        "/accounts/signup/",
        {
            "email": "joku.muu@example.fi",
            "first_name": "Joku",
            "last_name": "Muu",
            "password1": "Pitka-salasana-2026",
            "password2": "Pitka-salasana-2026",
        },
    )
    assert response.status_code == 200
    assert "kutsuttu@example.fi" in str(response.context["form"].errors["email"])
    assert not User.objects.filter(email="joku.muu@example.fi").exists()


def test_existing_user_signs_in_and_accepts(client, forum):
    person = UserFactory(email="olemassa@example.fi")
    _invitation, token = make_invitation(forum, "olemassa@example.fi")
    page = client.get(f"/invitations/{token}/")
    assert page.context["has_account"] is True
    response = client.post(
        f"/accounts/login/?next=/invitations/{token}/",
        {"login": person.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == f"/invitations/{token}/"
    response = client.post(f"/invitations/{token}/")
    assert response.headers["Location"] == reverse(
        "forums:agreement", kwargs={"forum_id": forum.pk}
    )
    assert Membership.objects.filter(forum=forum, user=person, ended_at__isnull=True).exists()


def test_signed_in_user_with_another_address_cannot_accept(client, forum, outsider):
    invitation, token = make_invitation(forum, "kutsuttu@example.fi")
    client.force_login(outsider)
    page = client.get(f"/invitations/{token}/")
    assert page.context["email_matches"] is False
    assert "kutsuttu@example.fi" in page.content.decode()
    client.post(f"/invitations/{token}/")
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not Membership.objects.filter(forum=forum, user=outsider).exists()


@pytest.mark.parametrize(
    ("state", "status", "text"),
    [
        ({"expires_at": timezone.now() - timedelta(minutes=1)}, 410, "vanhentunut"),
        ({"revoked_at": timezone.now()}, 410, "peruttu"),
        ({"accepted_at": timezone.now()}, 410, "jo käytetty"),
    ],
)
def test_unusable_invitation_gets_a_clear_page_and_creates_nothing(
    client, forum, state, status, text
):
    _invitation, token = make_invitation(forum, "x@example.fi", **state)
    response = client.get(f"/invitations/{token}/")
    assert response.status_code == status
    assert text in response.content.decode()
    client.post(f"/invitations/{token}/")
    assert client.get("/accounts/signup/").templates[0].name == "account/signup_closed.html"
    assert not User.objects.filter(email="x@example.fi").exists()


@pytest.mark.parametrize("token", ["abc", "0" * 64, "Z" * 64, "%00" * 3, "a" * 500])
def test_malformed_or_unknown_token_gets_a_clear_404(client, forum, token):
    response = client.get(f"/invitations/{token}/")
    assert response.status_code == 404
    assert "Linkki ei ole kelvollinen" in response.content.decode()


def test_used_token_cannot_be_used_twice(client, forum):
    person = UserFactory(email="kerran@example.fi")
    _invitation, token = make_invitation(forum, person.email)
    client.force_login(person)
    client.post(f"/invitations/{token}/")
    services.membership_leave(forum=forum, user=person)
    response = client.post(f"/invitations/{token}/")
    assert response.status_code == 410
    assert not Membership.objects.filter(forum=forum, user=person, ended_at__isnull=True).exists()


def test_resend_sends_a_new_link_and_the_old_one_stops_working(
    client, forum, coordinator, django_capture_on_commit_callbacks
):
    invitation, old_token = make_invitation(forum, "x@example.fi")
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse(
                "forums:invitation_resend",
                kwargs={"forum_id": forum.pk, "invitation_id": invitation.pk},
            )
        )
    new_link = link_in(mail.outbox[0])
    assert old_token not in new_link
    client.logout()
    assert client.get(f"/invitations/{old_token}/").status_code == 404
    assert client.get(new_link.split("8000", 1)[1]).status_code == 200


def test_revoked_invitation_cannot_be_accepted(client, forum, coordinator):
    invitation, token = make_invitation(forum, "x@example.fi")
    client.force_login(coordinator)
    client.post(
        reverse(
            "forums:invitation_revoke",
            kwargs={"forum_id": forum.pk, "invitation_id": invitation.pk},
        )
    )
    invitation.refresh_from_db()
    assert invitation.status == "revoked"
    assert AuditEvent.objects.filter(action="invitation_revoked", detail="x@example.fi").exists()


def test_member_cannot_resend_or_revoke(client, forum, member):
    invitation, _token = make_invitation(forum, "x@example.fi")
    client.force_login(member)
    for name in ("forums:invitation_resend", "forums:invitation_revoke"):
        response = client.post(
            reverse(name, kwargs={"forum_id": forum.pk, "invitation_id": invitation.pk})
        )
        assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_invitation_of_another_forum_is_404_for_a_coordinator(
    client, forum, other_forum, coordinator
):
    invitation, _token = make_invitation(other_forum, "x@example.fi")
    client.force_login(coordinator)
    response = client.post(
        reverse(
            "forums:invitation_revoke",
            kwargs={"forum_id": forum.pk, "invitation_id": invitation.pk},
        )
    )
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_expired_invitation_can_be_renewed_by_inviting_again(forum, coordinator):
    make_invitation(forum, "x@example.fi", expires_at=timezone.now() - timedelta(days=1))
    report = invitations.invitation_create_many(forum=forum, actor=coordinator, text="x@example.fi")
    assert report[0].outcome == "sent"
    assert [i.status for i in Invitation.objects.filter(email="x@example.fi").order_by("pk")] == [
        "revoked",
        "pending",
    ]


def test_member_home_shows_an_open_invitation(client, forum, outsider):
    make_invitation(forum, outsider.email)
    client.force_login(outsider)
    body = client.get("/").content.decode()
    assert "Foorumi A" in body
    assert "/invitations/" in body


# --- An insider against an invitee ------------------------------------------------------
# "Confidentiality holds against a determined insider": a signed-in member must not be
# able to block an invitee's signup or capture the invited address (and with it the
# forum) by claiming that address on their own account.


def confirmation_path(message) -> str:
    return re.search(r"/accounts/confirm-email/[^/\s]+/", message.body).group(0)


def claim_address(insider, email):
    """What an insider does at /accounts/email/ (allauth asks for their password again)."""
    with_password(insider, insider.post("/accounts/email/", {"action_add": "", "email": email}))


def sign_up(client, email, **fields):
    return client.post(
        "/accounts/signup/",
        {
            "email": email,
            "first_name": "Uusi",
            "last_name": "Jäsen",
            "password1": "Pitka-salasana-2026",
            "password2": "Pitka-salasana-2026",
            **fields,
        },
    )


def test_address_claimed_by_an_insider_neither_blocks_nor_captures_the_invitation(
    client, forum, outsider
):
    _invitation, token = make_invitation(forum, "kutsuttu@example.fi")
    insider = Client()
    insider.post("/accounts/login/", {"login": outsider.email, "password": PASSWORD})
    claim_address(insider, "kutsuttu@example.fi")
    trap = [m for m in mail.outbox if m.to == ["kutsuttu@example.fi"]]
    assert len(trap) == 1  # the only confirmation mail the invitee gets is the insider's

    # The invitee signs up from the invitation link: an account is created at once.
    client.get(f"/invitations/{token}/")
    response = sign_up(client, "kutsuttu@example.fi")
    invitee = User.objects.get(email="kutsuttu@example.fi")
    assert invitee != outsider
    assert response.headers["Location"] == reverse(
        "forums:agreement", kwargs={"forum_id": forum.pk}
    )
    assert Membership.objects.filter(forum=forum, user=invitee, ended_at__isnull=True).exists()
    # The address is the invitee's alone; the insider's claim is gone.
    assert list(
        EmailAddress.objects.filter(email__iexact="kutsuttu@example.fi").values_list(
            "user", "verified", "primary"
        )
    ) == [(invitee.pk, True, True)]

    # The mail the insider triggered verifies nothing, whoever clicks it.
    for someone in (client, insider):
        someone.post(confirmation_path(trap[0]))
    outsider.refresh_from_db()
    assert outsider.email != "kutsuttu@example.fi"
    assert not EmailAddress.objects.filter(user=outsider, email__iexact="kutsuttu@example.fi")
    assert not Membership.objects.filter(forum=forum, user=outsider).exists()


def test_invitee_clicking_the_insiders_mail_before_signing_up_verifies_nothing(
    client, forum, outsider
):
    invitation, token = make_invitation(forum, "kutsuttu@example.fi")
    insider = Client()
    insider.post("/accounts/login/", {"login": outsider.email, "password": PASSWORD})
    claim_address(insider, "kutsuttu@example.fi")
    (trap,) = [m for m in mail.outbox if m.to == ["kutsuttu@example.fi"]]

    # The invitee, not signed in, opens the mail the insider triggered and confirms.
    client.post(confirmation_path(trap))
    assert not EmailAddress.objects.filter(
        email__iexact="kutsuttu@example.fi", verified=True
    ).exists()
    # So the insider cannot make it their address, nor see or accept the invitation.
    insider.post("/accounts/email/", {"action_primary": "", "email": "kutsuttu@example.fi"})
    outsider.refresh_from_db()
    assert outsider.email != "kutsuttu@example.fi"
    assert f"/invitations/{token}/" not in insider.get("/").content.decode()
    insider.post(f"/invitations/{token}/")
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    # And the invitee still signs up from the invitation link.
    client.get(f"/invitations/{token}/")
    sign_up(client, "kutsuttu@example.fi")
    assert Membership.objects.filter(forum=forum, user__email="kutsuttu@example.fi").exists()


def test_no_invitation_token_is_kept_in_the_session(client, forum):
    from importlib import import_module

    from django.conf import settings
    from django.contrib.sessions.models import Session

    _invitation, token = make_invitation(forum, "uusi@example.fi")
    client.get(f"/invitations/{token}/")
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    rows = list(Session.objects.all())
    assert rows
    for row in rows:
        assert token not in row.session_data
        assert token not in str(store.decode(row.session_data))
    # The session still opens signup for this invitation.
    sign_up(client, "uusi@example.fi")
    assert Membership.objects.filter(forum=forum, user__email="uusi@example.fi").exists()


def test_a_link_sent_before_this_release_still_signs_up(client, forum):
    """Links are derived from the stored nonce, so old emails keep working; a session
    from before, holding a raw token under the old key, opens nothing by itself."""
    invitation, token = make_invitation(forum, "vanha.linkki@example.fi")
    session = client.session
    session["foorumix_invitation_token"] = token
    session.save()
    assert client.get("/accounts/signup/").templates[0].name == "account/signup_closed.html"
    assert client.get(f"/invitations/{token}/").status_code == 200
    sign_up(client, "vanha.linkki@example.fi")
    invitation.refresh_from_db()
    assert invitation.accepted_by.email == "vanha.linkki@example.fi"
