"""Role predicates. Views, selectors and templates ask these, never the raw fields."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from members.models import User


def is_admin(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def is_coordinator(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_coordinator)


def is_hr_viewer(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.hr_organisation_id)


def hr_organisation_id(user: User) -> int | None:
    """The one organisation whose aggregates this HR viewer may see, or None."""
    return user.hr_organisation_id if is_hr_viewer(user) else None
