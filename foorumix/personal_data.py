"""Personal data: what Foorumix holds about one person, to show, export and erase it.

GDPR gives people the right of access and portability (articles 15 and 20) and of
erasure (article 17). This module is infrastructure and imports no app: each app
registers, in AppConfig.ready(), what it holds about a person.

- `register_section`: one kind of data (memberships, RSVPs, preparations, ...), as a
  function returning the person's own rows as JSON-ready dicts. The export (JSON and the
  readable "my data" page) is every section in order. A section returns only what the
  person wrote or what is about them, never another person's data.
- `register_eraser`: how the app forgets the person when their account is deleted. It
  gets the person and their *pseudonym*: a User row without name, address or password,
  made for the erasure (members/erasure.py). Rows that only count in aggregates (HR's
  attendance figures) are moved to the pseudonym, so the figures stay right while no
  row points to the person; everything the person wrote privately is deleted. An eraser
  returns how many rows it moved to the pseudonym (0 when it only deletes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Section:
    key: str  # stable JSON key
    title: Any  # lazy translated heading for the readable page
    export: Callable[[Any], Rows]
    order: int = 100
    note: Any = ""  # optional lazy text shown with the section (e.g. why it is empty)


@dataclass(frozen=True)
class Eraser:
    name: str
    erase: Callable[[Any, Any], int]  # (person, pseudonym) -> rows moved to the pseudonym
    order: int = 100


_SECTIONS: dict[str, Section] = {}
_ERASERS: dict[str, Eraser] = {}


def register_section(section: Section) -> None:
    _SECTIONS[section.key] = section


def register_eraser(eraser: Eraser) -> None:
    _ERASERS[eraser.name] = eraser


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.key))


def erasers() -> list[Eraser]:
    return sorted(_ERASERS.values(), key=lambda eraser: (eraser.order, eraser.name))


def export(person) -> dict[str, Rows]:
    """Every section's rows for `person`, in order."""
    return {section.key: section.export(person) for section in sections()}
