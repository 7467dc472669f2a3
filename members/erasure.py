"""Deleting an account (GDPR article 17): at once for access, then erased by the worker.

`request_deletion` ends access in the request itself: the account is deactivated (Django's
backends refuse inactive users, so every session of the person is signed out on its next
request) and its password made unusable; the caller then queues
`members.tasks.erase_account`.

`erase` then forgets the person. A *pseudonym* is made first: a User row with no name,
no usable address (a random one under the reserved .invalid domain), no password and no
roles, keeping only the organisation and unit that HR's aggregates count by. Every app's
eraser (foorumix/personal_data.py) moves to it the rows that only count in aggregates or
audit trails (attendance, memberships, audit entries) and deletes what the person wrote
or chose (preparations, absence notes, feeds, votes, answers, addresses, authenticators).
Then the person's row is deleted, and with it whatever still pointed at it. A pseudonym
that nothing needed is deleted too. The figures HR sees stay the same, and no row is
left that names the person or carries their address.
"""

from __future__ import annotations

import logging
import secrets

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from foorumix.personal_data import erasers
from members.models import User

logger = logging.getLogger(__name__)

PSEUDONYM_DOMAIN = "erased.invalid"  # RFC 2606: can never receive mail


def request_deletion(user: User) -> None:
    """End the person's access now; the erasure follows (members.tasks.erase_account)."""
    user.is_active = False
    user.deletion_requested_at = timezone.now()
    user.set_unusable_password()
    user.save(update_fields=["is_active", "deletion_requested_at", "password"])


@transaction.atomic
def erase(user: User) -> User | None:
    """Forget `user` (see the module docstring). Returns the pseudonym that stands for
    them in aggregates and audit entries, or None when nothing needed one."""
    if user.erased_at:
        raise ValueError("A pseudonym is not a person and cannot be erased.")
    pseudonym = User.objects.create(
        email=f"{secrets.token_hex(12)}@{PSEUDONYM_DOMAIN}",
        organisation_id=user.organisation_id,
        unit_id=user.unit_id,
        is_active=False,
        erased_at=timezone.now(),
        language=settings.LANGUAGE_CODE[:2],
    )
    pseudonym.set_unusable_password()
    pseudonym.save(update_fields=["password"])
    moved = sum(eraser.erase(user, pseudonym) for eraser in erasers())
    moved += _admin_history(user, pseudonym)
    user_id = user.pk
    user.delete()
    logger.info("Erased account %s (pseudonym %s, %d rows kept for aggregates)",
                user_id, pseudonym.pk, moved)  # fmt: skip
    if moved == 0:
        pseudonym.delete()
        return None
    return pseudonym


def _admin_history(user: User, pseudonym: User) -> int:
    """The Django admin's history: what the person did moves to the pseudonym; entries
    about their account, or showing their name or address, lose what they showed."""
    moved = LogEntry.objects.filter(user=user).update(user=pseudonym)
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_id=str(pseudonym.pk), object_repr=pseudonym.get_full_name(), change_message="")
    for shown in {user.email, user.get_full_name()} - {""}:
        LogEntry.objects.filter(object_repr__icontains=shown).update(object_repr="–")
    return moved
