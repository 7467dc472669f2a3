"""Structured personal data: Finnish identity codes (hetu), IBANs, e-mail addresses, phones.

* ``hetu`` - with a valid date and checksum, old (``+ - A``) and 2023 (``B-F``, ``U-Y``)
  century separators,
* ``iban`` - with or without spaces, validated with ``stdnum.iban``,
* ``email``, ``phone`` (Finnish and international formats, via ``phonenumbers``).
"""

from __future__ import annotations

import datetime
import re

import phonenumbers
from stdnum import iban as stdnum_iban

from sessions_app.notes.anonymiser.findings import Finding

_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])")
# Day, month, year, century separator, individual number, control character.
_HETU_RE = re.compile(r"(?<![\w+-])(\d\d)(\d\d)(\d\d)([-+A-FU-Y])(\d\d\d)([0-9A-Y])(?![\w-])", re.I)
_HETU_CENTURY = {"+": 1800, "-": 1900, "A": 2000}
_HETU_CENTURY.update(dict.fromkeys("YXWVU", 1900))  # 2023 separators
_HETU_CENTURY.update(dict.fromkeys("BCDEF", 2000))
_HETU_CONTROL = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_IBAN_RE = re.compile(r"(?<![\w])[A-Z]{2}\d\d(?: ?[A-Z0-9]){11,32}", re.I)


def _valid_hetu(m: re.Match[str]) -> bool:
    """Date and checksum check of our own: older python-stdnum rejects the 2023 separators."""
    day, month, year, sep, individual, control = m.groups()
    try:
        datetime.date(_HETU_CENTURY[sep.upper()] + int(year), int(month), int(day))
    except ValueError:
        return False
    # 002-899 are ordinary, 900-999 temporary codes: both identify a person.
    return (
        int(individual) >= 2
        and control.upper() == _HETU_CONTROL[int(day + month + year + individual) % 31]
    )


def _find_ibans(text: str) -> list[tuple[int, int]]:
    """IBANs; the regex may run into following words, so keep the longest valid prefix."""
    spans, pos = [], 0
    while m := _IBAN_RE.search(text, pos):
        candidate, found = m.group(), None
        for end in range(len(candidate), 14, -1):
            following = candidate[end : end + 1] or text[m.end() : m.end() + 1]
            boundary = candidate[end - 1] != " " and not following.isalnum()
            if boundary and stdnum_iban.is_valid(candidate[:end].upper()):
                found = end
                break
        if found:
            spans.append((m.start(), m.start() + found))
            pos = m.start() + found
        else:
            pos = m.start() + 1
    return spans


def find_structured(text: str) -> list[Finding]:
    """Hetu, IBAN, e-mail and phone findings; earlier kinds win where they overlap."""
    found: list[Finding] = []
    taken = [False] * len(text)

    def add(start: int, end: int, kind: str) -> None:
        if not any(taken[start:end]):
            found.append(Finding(start, end, kind, text[start:end]))
            taken[start:end] = [True] * (end - start)

    for m in _HETU_RE.finditer(text):
        if _valid_hetu(m):
            add(m.start(), m.end(), "hetu")
    for start, end in _find_ibans(text):
        add(start, end, "iban")
    for m in _EMAIL_RE.finditer(text):
        add(m.start(), m.end(), "email")
    # Mask what is already found so that digits of an IBAN or hetu are not read as a phone.
    masked = "".join(" " if t else c for c, t in zip(text, taken, strict=True))
    for m in phonenumbers.PhoneNumberMatcher(masked, "FI"):
        add(m.start, m.end, "phone")
    return found
