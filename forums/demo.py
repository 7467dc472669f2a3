"""Demo forums for `manage.py seed_demo`."""

from datetime import timedelta

from django.utils import timezone

from forums import services
from forums.invitations import default_expiry
from forums.models import Forum, Invitation, Membership
from members.demo import DemoPeople

FORUMS = [
    {
        "name": "Esihenkilöfoorumi Satakunta 1",
        "description": "Tuotannon ja asiakaspalvelun esihenkilöiden vertaisryhmä. "
        "Tapaamme kerran kuussa kolme tuntia.",
        "organisations": ["Esimerkki Oy"],
        "members": slice(0, 8),
        "pending": "uusi.esihenkilo@esimerkki.fi",
    },
    {
        "name": "Esihenkilöfoorumi Satakunta 2",
        "description": "Organisaatioiden välinen vertaisryhmä kunnan ja yrityksen esihenkilöille.",
        "organisations": ["Esimerkki Oy", "Mallikunta"],
        "members": slice(8, 16),
        "pending": "uusi.esihenkilo@mallikunta.fi",
    },
]


def seed_forums(people: DemoPeople) -> list[Forum]:
    """Forum 1 (coordinator1, member01–08) and forum 2 (coordinator2, member09–16), the
    agreement accepted by everyone, and one pending invitation each."""
    forums = []
    for spec, coordinator in zip(FORUMS, people.coordinators, strict=True):
        forum = Forum.objects.filter(name=spec["name"]).first()
        if forum is None:
            forum = services.forum_create(
                actor=coordinator,
                name=spec["name"],
                description=spec["description"],
                organisations=[people.organisations[name] for name in spec["organisations"]],
                capacity=12,
                language="fi",
            )
            Forum.objects.filter(pk=forum.pk).update(status=Forum.Status.ACTIVE)
            forum.refresh_from_db()
        for user in people.members[spec["members"]]:
            if not Membership.objects.active().filter(forum=forum, user=user):
                Membership.objects.create(
                    forum=forum, user=user, joined_at=timezone.now() - timedelta(days=400)
                )
            services.agreement_accept(forum=forum, user=user)
        if not forum.invitations.filter(email=spec["pending"]).exists():
            invitation = Invitation(
                forum=forum,
                email=spec["pending"],
                invited_by=coordinator,
                expires_at=default_expiry(),
            )
            invitation.draw_token()
            invitation.save()
        forums.append(forum)
    return forums
