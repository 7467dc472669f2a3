"""The coordinator's to-do list on the dashboard."""

from __future__ import annotations

from members.models import User


def coordinator_todo(user: User) -> list:
    """TODO(dashboard helper): what needs the coordinator's attention, in a fixed number
    of queries."""
    return []
