"""The forum members' names, parsed once per set of members into what the detector needs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sessions_app.notes.anonymiser.stems import stem_regex


@dataclass(frozen=True)
class Members:
    """Lower-cased name parts, and a regex matching their inflected forms (``stems``)."""

    first: frozenset[str]
    last: frozenset[str]
    full: frozenset[tuple[str, str]]
    solo: frozenset[str]  # members known by one name only: any surname may go with it
    regex: re.Pattern[str] | None
    owners: dict[str, set[str]]


@lru_cache(maxsize=64)
def parse_members(names: tuple[str, ...]) -> Members:
    """Split full names ("Liisa Virtanen", "Anna-Maija Korhonen") into first names and
    surnames; every word but the last is a first name, a one-word name is ``solo``."""
    first, last, full, solo = set(), set(), set(), set()
    for name in names:
        parts = [p.casefold() for p in name.split() if len(p.strip(".")) > 1]
        if not parts:
            continue
        given = parts[:-1] if len(parts) > 1 else parts
        first.update(given)
        if len(parts) > 1:
            last.add(parts[-1])
            full.update((g, parts[-1]) for g in given)
        else:
            solo.add(parts[0])
    regex, owners = stem_regex(first | last)
    return Members(*map(frozenset, (first, last, full, solo)), regex, owners)
