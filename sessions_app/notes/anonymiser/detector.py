"""The detector's entry points: find personal data in a note, and redact what was found.

Structured data (hetu, IBAN, e-mail, phone) is found first and masked, so a name inside an
e-mail address is reported once, as the e-mail. Names are then looked for word by word.
"""

from __future__ import annotations

from collections.abc import Iterable

from sessions_app.notes.anonymiser.findings import PLACEHOLDERS, Finding
from sessions_app.notes.anonymiser.members import parse_members
from sessions_app.notes.anonymiser.names import find_names
from sessions_app.notes.anonymiser.structured import find_structured
from sessions_app.notes.anonymiser.voikko import instance


def find_personal_data(text: str, names: Iterable[str]) -> list[Finding]:
    """Find personal data in a session note.

    ``names`` are the forum members' full names. Returns findings sorted by ``start`` and
    non-overlapping, each with ``text == text[start:end]`` and ``kind`` one of the keys of
    ``PLACEHOLDERS``: ``member`` (a member's first name or surname in any inflected form),
    ``person`` (a word of anybody else's name), ``email``, ``phone``, ``hetu`` (valid date
    and checksum) or ``iban`` (valid check digits). Each word of a full name is a finding of
    its own; a name inside an e-mail address is part of the e-mail. Uses Voikko when it is
    available and a stem-based fallback otherwise (see ``names`` and ``stems``).
    """
    members = parse_members(tuple(sorted({n.strip() for n in names if n and n.strip()})))
    findings = find_structured(text)
    masked = list(text)
    for f in findings:  # NUL is neither a letter nor punctuation: no word, no sentence break
        masked[f.start : f.end] = "\0" * (f.end - f.start)
    findings += find_names("".join(masked), members, instance() is not None)
    findings = [Finding(f.start, f.end, f.kind, text[f.start : f.end], f.certain) for f in findings]
    return sorted(findings, key=lambda f: f.start)


def redact(text: str, findings: Iterable[Finding]) -> str:
    """Replace each finding with ``PLACEHOLDERS[kind]``.

    Overlapping findings are merged (the earlier one's kind wins) so that no part of a
    finding is left in the output.
    """
    merged: list[list] = []
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if merged and f.start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], f.end)
        else:
            merged.append([f.start, f.end, f.kind])
    out, pos = [], 0
    for start, end, kind in merged:
        out += [text[pos:start], PLACEHOLDERS[kind]]
        pos = end
    out.append(text[pos:])
    return "".join(out)
