"""Splitting a note into words, each with what is known about it: position, capitalisation,
sentence start, English possessive, and (with Voikko) its dictionary readings."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sessions_app.notes.anonymiser.lexicon import COMMON_SURNAMES, NAME_CLASSES, PROPER_CLASSES
from sessions_app.notes.anonymiser.members import Members
from sessions_app.notes.anonymiser.stems import listed_names
from sessions_app.notes.anonymiser.voikko import Reading, analyse

_WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’:][^\W\d_]+)*")
_OPENERS = " \t\"'“”‘’«»([{*•–—-"


@dataclass
class Word:
    start: int
    end: int
    word: str  # what is analysed: the token without an English possessive 's
    sentence_start: bool
    possessive: bool
    readings: tuple[Reading, ...] | None = None  # None: Voikko not in use

    @property
    def key(self) -> str:
        return self.word.casefold()

    @property
    def capitalised(self) -> bool:
        """Capitalised but no acronym ("HR", "HR:stä", "SAMK:n" are not names)."""
        stem = self.word.split(":")[0]
        return stem[:1].isupper() and not (stem.isupper() and len(stem) > 1)


def _is_sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    return i < 0 or text[i] in "\n\r.!?…:;"


def tokenise(text: str, use_voikko: bool, members: Members) -> list[Word]:
    # Lower-case words are analysed only if they could be a member's name ("liisalle"):
    # analysing every word would be slower for nothing.
    prefixes = {p[:2] for p in members.first | members.last}
    words = []
    for m in _WORD_RE.finditer(text):
        token, end, possessive = m.group(), m.end(), False
        head, _, tail = token.replace("’", "'").rpartition("'")
        if head and tail.casefold() == "s":  # English possessive: "Mikko's" -> "Mikko"
            token, end, possessive = token[: len(head)], m.start() + len(head), True
        word = Word(m.start(), end, token, _is_sentence_start(text, m.start()), possessive)
        if use_voikko:
            wanted = word.word[:1].isupper() or word.key[:2] in prefixes
            word.readings = _readings(word.word) if wanted else ()
        words.append(word)
    return words


def _readings(token: str) -> tuple[Reading, ...]:
    readings = _dictionary_readings(token)
    if token[:1].isupper() and not any(c in NAME_CLASSES for _, c, _ in readings):
        # The built-in name list fills gaps in Voikko's lexicon ("Mari", "Kaarina" are only
        # places there, "Ben" is unknown).
        # Not where Voikko knows the word as an ordinary one ("Kivessä" is in a stone).
        common = {b for b, c, _ in readings if c not in PROPER_CLASSES}
        for owner in listed_names(token.casefold()) - common:
            cls = "sukunimi" if owner in COMMON_SURNAMES else "etunimi"
            cases = {c for b, _, c in readings if b == owner}
            if token.casefold() == owner:
                cases.add("nimento")
            readings += tuple((owner, cls, case) for case in cases or {""})
    return readings


def _dictionary_readings(token: str) -> tuple[Reading, ...]:
    readings = analyse(token)
    if not readings and ":" in token:  # "SAMK:n", "Smith:lle"
        readings = analyse(token.split(":")[0])
    if not readings and "-" in token:
        parts = token.split("-")
        if all(p[:1].isupper() for p in parts):  # an unknown double name such as Liisa-Maaria
            readings = tuple(r for p in parts for r in analyse(p))
        else:  # "HR-päällikkö" is a kind of "päällikkö"
            readings = analyse(parts[-1])
    return readings
