import factory
from allauth.account.models import EmailAddress

from members.models import Organisation, Unit, User

PASSWORD = "Testi-salasana-2026"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisaatio {n} Oy")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Yksikkö {n}")


class UserFactory(factory.django.DjangoModelFactory):
    """A person with a verified primary email, able to sign in with PASSWORD."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.fi")
    first_name = "Testi"
    last_name = factory.Sequence(lambda n: f"Henkilö{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


def make_forum(*, coordinator, members=(), name="Testifoorumi", accepted=True, **fields):
    """A forum created through the service (so it has agreement version 1), with
    `members` joined and, if `accepted`, having accepted the agreement."""
    from forums import services
    from forums.models import Membership

    forum = services.forum_create(
        actor=coordinator,
        name=name,
        description=fields.pop("description", ""),
        organisations=fields.pop("organisations", [OrganisationFactory()]),
        capacity=fields.pop("capacity", 12),
        language=fields.pop("language", "fi"),
    )
    for user in members:
        Membership.objects.create(forum=forum, user=user)
        if accepted:
            services.agreement_accept(forum=forum, user=user)
    return forum


def make_invitation(forum, email, *, actor=None, **fields):
    """An open invitation and its raw token."""
    from forums.invitations import default_expiry
    from forums.models import Invitation

    invitation = Invitation(
        forum=forum,
        email=email,
        invited_by=actor,
        expires_at=fields.pop("expires_at", default_expiry()),
        **fields,
    )
    token = invitation.draw_token()
    invitation.save()
    return invitation, token


def make_meeting(forum, *, starts_at=None, hours=3, **fields):
    """A meeting of `forum` (default: a week from now, 13:00 Helsinki time)."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from sessions_app.models import Meeting

    if starts_at is None:
        day = timezone.localdate() + timedelta(days=7)
        starts_at = timezone.make_aware(datetime.combine(day, time(13, 0)))
    return Meeting.objects.create(
        forum=forum,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
        theme=fields.pop("theme", "Muutoksen johtaminen"),
        **fields,
    )


def make_held_meeting(forum, *, attendees, days_ago=14, **fields):
    """A past meeting marked held, with `attendees` recorded as present."""
    from datetime import timedelta

    from django.utils import timezone

    from sessions_app.models import Meeting, Participation

    starts_at = timezone.now() - timedelta(days=days_ago)
    meeting = make_meeting(forum, starts_at=starts_at, status=Meeting.Status.HELD, **fields)
    for user in attendees:
        Participation.objects.create(meeting=meeting, user=user, rsvp="yes", attended=True)
    return meeting


def give_totp(user) -> str:
    """Activate TOTP (with recovery codes) for `user` as allauth would; returns the secret."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def totp_code(secret: str) -> str:
    """The code an authenticator app shows for `secret` right now."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))


def with_password(client, response, password=PASSWORD):
    """allauth asks for the password again before sensitive changes (address, second
    factor): give it when asked; the suspended request is then carried out."""
    location = response.headers.get("Location", "") if response.status_code == 302 else ""
    if not location.startswith("/accounts/reauthenticate/"):
        return response
    response = client.post(location, {"password": password})
    if response.status_code == 302:  # back to the page that asked
        return client.get(response.headers["Location"])
    return response
