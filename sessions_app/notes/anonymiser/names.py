"""Which words of a note are names: a member's (``member``) or somebody else's (``person``).

With Voikko every capitalised word is analysed: the base form undoes inflection and
consonant gradation (Mikon -> Mikko, Virtaselle -> Virtanen) and the class tells first
names (``etunimi``) and surnames (``sukunimi``) from places (``paikannimi``), brands
(``nimi``) and ordinary words. Without Voikko the stems and built-in name list of ``stems``
stand in for its readings, with the same capitalisation, sentence-start and context rules.

* A word is a *member* when a base form (of any of Voikko's readings) equals a part of a
  member's name. At the start of a sentence a name that is also an everyday word (Satu,
  Mäki, Toivon) is weighed by ``evidence``: a member's name with balanced evidence is a
  *possible* name (``Finding.certain`` False), shown apart in the editor. Lower-case words
  count only when Voikko knows them solely as names ("liisalle" yes, "onni" no); a member's
  surname that is also a town or a thing does not count in an inner case ("Salossa").
* A capitalised word is a *person* when Voikko knows it as a first name or surname and it
  is not used as a place ("Heikkilässä"). At the start of a sentence, names that are also
  everyday words (Onni, Toivo, Satu, Tuuli, Aino, "Toivon" = I hope ...) need context: a
  speech/feeling verb ("Satu kertoi"), a postposition ("Tuulin kanssa") or a cue word.
* Two adjacent capitalised words "First Last" or colloquial "Lastgen First" ("Virtasen
  Liisa") are one person; both words are *member* only when they are the same member's
  names ("Jukka Lehtonen" is somebody else even if a member is called Lehtonen). Each word
  is its own finding, as the kinds are defined per first name / surname.
* Cue words, titles and relations ("alaiseni", "toimitusjohtaja", "vaimoni", "my employee",
  "Mr"; ``cues``) make the next capitalised word a
  name even when no dictionary knows it; so does "said"/"kertoi" after an unknown word
  ("Priya said") and being listed with a name ("Kelly and Ahmed").
* A small built-in list of common first names fills gaps in Voikko's lexicon (it files
  "Mari" and "Kaarina" only as places).
"""

from __future__ import annotations

from sessions_app.notes.anonymiser.evidence import (
    CERTAIN,
    adjacent,
    after_title,
    member_verdict,
    speaks_for_person,
)
from sessions_app.notes.anonymiser.findings import Finding
from sessions_app.notes.anonymiser.lexicon import (
    AMBIGUOUS,
    COMMON_FIRST_NAMES,
    COMMON_SURNAMES,
    CONJUNCTIONS,
    DETERMINERS,
    INTERIOR_CASES,
    LOCATIVE_CASES,
    NAME_CLASSES,
    NOT_NAMES,
    PRONOUNS,
    PROPER_CLASSES,
)
from sessions_app.notes.anonymiser.members import Members
from sessions_app.notes.anonymiser.stems import OBLIQUE_ENDING_RE, listed_names, nen_surname
from sessions_app.notes.anonymiser.tokens import Word, tokenise
from sessions_app.notes.anonymiser.voikko import Reading


def _has_context(text: str, words: list[Word], i: int) -> bool:
    """Does the neighbourhood of words[i] say that it is a person's name?"""
    return speaks_for_person(text, words, i, words[i].readings is not None)


def _member_parts(word: Word, members: Members) -> set[str]:
    """Which members' name parts ``word`` is an inflected form of."""
    all_parts = members.first | members.last
    voikko_parts = {base for base, _, _ in word.readings or () if base in all_parts}
    if word.readings and any(cls in PROPER_CLASSES for _, cls, _ in word.readings):
        return voikko_parts  # Voikko knows this name: trust it ("Anne" is not a member "Anni")
    m = members.regex.match(word.key) if members.regex else None
    return voikko_parts | (members.owners[m[m.lastindex]] if m else set())


def _member_verdict(
    text: str, words: list[Word], i: int, parts: set[str], members: Members
) -> str | None:
    """CERTAIN, POSSIBLE or None: is words[i] the member's name ``parts``?"""
    word = words[i]
    readings = word.readings
    if not parts or (readings and _place_inside(readings, parts)):
        return None
    if not word.word[:1].isupper():
        # Lower case: only words that cannot be anything but a name ("liisalle", not "onni").
        if readings:
            return CERTAIN if all(cls in PROPER_CLASSES for _, cls, _ in readings) else None
        return CERTAIN if len(word.key) >= 5 and not parts & AMBIGUOUS else None
    if not word.sentence_start:
        return CERTAIN
    # At sentence start "Onneksi" is not a member Onni, "Mäen päällä" is on a hill and
    # "Toivon, että" is "I hope": weigh the evidence.
    ordinary = _ordinary_word(word, parts)
    if not ordinary and readings is not None:
        return CERTAIN  # Voikko knows this name as no everyday word: "Liisan", "Virtanen"
    return member_verdict(text, words, i, parts, members, ordinary)


def _ordinary_word(word: Word, parts: set[str]) -> bool:
    """Is ``word`` as a form of ``parts`` also an everyday word (Satu, Mäki, Toivo)?"""
    if parts & AMBIGUOUS:
        return True
    return any(b in parts and c not in PROPER_CLASSES for b, c, _ in word.readings or ())


def _place_inside(readings: tuple[Reading, ...], parts: set[str]) -> bool:
    """A member called Salo is not meant by "Salossa" (in the town), nor Kivi by "Kivessä".

    People are seldom "in" or "into" something; "Kivestä" (about Kivi) is kept.
    """
    hits = [r for r in readings if r[0] in parts]
    return not any(c in NAME_CLASSES for _, c, _ in hits) and any(
        case in INTERIOR_CASES and (c == "paikannimi" or case != "sisaeronto")
        for _, c, case in hits
    )


def _is_person(text: str, words: list[Word], i: int) -> bool:
    word = words[i]
    if not word.capitalised or len(word.word) < 2 or word.key in NOT_NAMES:
        return False
    if after_title(text, words, i):
        return _cue_target(word)
    if word.readings is None:
        return _fallback_person(text, words, i)
    if any(base in NOT_NAMES for base, _, _ in word.readings):
        return False
    names = [r for r in word.readings if r[1] in NAME_CLASSES]
    if not names:
        return _unlisted_person(text, words, i)
    places = [r for r in word.readings if r[1] in ("paikannimi", "nimi")]
    if places:  # Heikkilälle is a person, Heikkilässä a place
        if word.sentence_start or any(case in LOCATIVE_CASES for _, _, case in names):
            return _has_context(text, words, i)
        return True
    if not word.sentence_start:
        return True
    if _english_imperative(text, words, i):
        return False
    # "Sanna", "Jukan", "Päivin" (also "by day"): the name is the likely reading. Names that
    # are everyday words need context, even where Voikko lacks the word ("Aino" = the only).
    if all(base in AMBIGUOUS for base, _, _ in names):
        return _has_context(text, words, i)  # "Satu kertoi" yes, "Tuuli kääntyi" no
    return True


def _unlisted_person(text: str, words: list[Word], i: int) -> bool:
    """A name Voikko does not file as one: a word no dictionary knows with a person's
    context ("Priya said", "Zeynepin mielestä"), or an everyday word that is a common name
    ("Pilvi", "Lumi"), capitalised mid-sentence or with context at the start."""
    word = words[i]
    if not word.readings:
        return word.key not in PRONOUNS and _has_context(text, words, i)
    bases = {base for base, _, _ in word.readings}
    if not listed_names(word.key) & bases & COMMON_FIRST_NAMES:
        return False
    if any(case in LOCATIVE_CASES for _, _, case in word.readings):
        return False
    return not word.sentence_start or _has_context(text, words, i)


def _english_imperative(text: str, words: list[Word], i: int) -> bool:
    """ "Mark the date", "Will this help": a sentence-initial verb, not a name."""
    nxt = words[i + 1] if i + 1 < len(words) else None
    return bool(nxt and adjacent(text, words[i], nxt) and nxt.key in DETERMINERS)


def _cue_target(word: Word) -> bool:
    """After "alaiseni", "my employee" ...: a name unless it is clearly a place or a thing."""
    if word.readings is None and listed_names(word.key):
        return True
    if not word.readings:  # an essive of an unknown word is unlikely: "Olena", "Kwabena"
        return not OBLIQUE_ENDING_RE.search(word.key) or word.key.endswith(("na", "nä"))
    if any(cls in NAME_CLASSES for _, cls, _ in word.readings):
        return True
    return not any(
        cls in ("paikannimi", "nimi") or case in LOCATIVE_CASES for _, cls, case in word.readings
    )


def _fallback_person(text: str, words: list[Word], i: int) -> bool:
    word = words[i]
    listed = listed_names(word.key)
    if not (listed or nen_surname(word.key)):
        return False
    if listed <= COMMON_SURNAMES and word.key.endswith(("ssa", "ssä")):
        return False  # "Heikkilässä": the village, not the person
    if not word.sentence_start:
        return True
    # At sentence start "Toinen", "Jokainen" look like -nen surnames and "Satu" like a name.
    if not listed or _english_imperative(text, words, i):
        return False
    return not listed <= AMBIGUOUS or _has_context(text, words, i)


def _first_name_like(
    text: str, words: list[Word], i: int, members: Members, nominative: bool = True
) -> bool:
    """Could words[i] be the first name of a full name ("Jukka Lehtonen", "Lehtosen Jukka")?"""
    word = words[i]
    if not word.capitalised or word.possessive or word.key in NOT_NAMES:
        return False
    if word.key in members.first or after_title(text, words, i):
        return True
    if word.sentence_start and word.key in AMBIGUOUS:  # "Toivo Paremmasta ..." in a title
        return False
    if word.readings is not None:
        return any(
            c == "etunimi" and (case == "nimento" or not nominative) for _, c, case in word.readings
        )
    listed = listed_names(word.key) & COMMON_FIRST_NAMES
    return bool(listed) and (not nominative or word.key in listed or "-" in word.key)


def _surname_like(word: Word, parts: set[str], members: Members) -> bool:
    """Could ``word`` be the surname after a first name?"""
    if not word.capitalised or word.key in NOT_NAMES:
        return False
    if parts & members.last:
        return True
    readings = word.readings
    if readings is None:
        listed = listed_names(word.key)
        if nen_surname(word.key) or listed & COMMON_SURNAMES:
            return True
        return not listed and not OBLIQUE_ENDING_RE.search(word.key)
    if not readings:
        return not OBLIQUE_ENDING_RE.search(word.key)
    if any(base in NOT_NAMES for base, _, _ in readings):
        return False
    if any(cls == "sukunimi" for _, cls, _ in readings):
        return True
    # "Jukka Kivi": an ordinary noun after a first name is a surname, unless a place-like case.
    return not any(
        cls in ("etunimi", "paikannimi", "nimi") or case in LOCATIVE_CASES
        for _, cls, case in readings
    )


def _genitive_surname(word: Word, parts: set[str], members: Members) -> bool:
    """The colloquial "Virtasen Liisa" starts with a surname in the genitive."""
    if not word.capitalised or not word.key.endswith("n") or word.key in NOT_NAMES:
        return False
    if parts & members.last:
        return True
    if word.readings is None:
        return word.key.endswith("sen") and nen_surname(word.key)
    return any(c == "sukunimi" and case == "omanto" for _, c, case in word.readings)


def _full_name(text: str, words: list[Word], parts: list[set[str]], i: int, m: Members) -> bool:
    """Do words[i] and words[i + 1] form one person's full name, in either order?"""
    if i + 1 >= len(words) or not adjacent(text, words[i], words[i + 1]):
        return False
    if _first_name_like(text, words, i, m) and _surname_like(words[i + 1], parts[i + 1], m):
        return True
    return _genitive_surname(words[i], parts[i], m) and _first_name_like(
        text, words, i + 1, m, nominative=False
    )


def find_names(text: str, members: Members, use_voikko: bool) -> list[Finding]:
    """``member`` and ``person`` findings, one per word, in ``text`` whose structured data
    is already masked; without ``use_voikko`` the stems and name list stand in for Voikko.
    A member's name with balanced evidence is a finding with ``certain=False``."""
    words = tokenise(text, use_voikko, members)
    parts = [_member_parts(w, members) for w in words]
    kinds: list[str | None] = [None] * len(words)
    certain = [True] * len(words)
    i = 0
    while i < len(words):
        if _full_name(text, words, parts, i, members):
            # A member only if both words are the same member's name: "Jukka Lehtonen" is
            # somebody else even when a member is called Lehtonen. One finding per word.
            pairs = {(a, b) for a in parts[i] for b in parts[i + 1]}
            pairs |= {(b, a) for a, b in pairs}  # names may be given surname first
            is_member = pairs & members.full or parts[i] & members.solo
            kinds[i] = kinds[i + 1] = "member" if is_member else "person"
            i += 2
            continue
        verdict = _member_verdict(text, words, i, parts[i], members)
        if verdict:
            kinds[i], certain[i] = "member", verdict == CERTAIN
        elif not (parts[i] and words[i].sentence_start) and _is_person(text, words, i):
            kinds[i] = "person"
        i += 1
    _complete_names(text, words, kinds, certain)
    return [
        Finding(w.start, w.end, kind, text[w.start : w.end], sure)
        for w, kind, sure in zip(words, kinds, certain, strict=True)
        if kind
    ]


def _complete_names(text: str, words: list[Word], kinds: list, certain: list[bool]) -> None:
    """Names listed with a name ("Kelly and Ahmed"), the rest of a long name ("Nguyen Van
    Minh"), and possible names listed with a certain one ("Satu ja Onni kertoivat")."""
    for i in range(len(words)):
        if kinds[i] is None and (
            _listed_with_a_name(text, words, kinds, i) or _continues_a_name(text, words, kinds, i)
        ):
            kinds[i] = "person"
        elif kinds[i] and not certain[i] and _listed_with_a_name(text, words, kinds, i, certain):
            certain[i] = True


def _continues_a_name(text: str, words: list[Word], kinds: list, i: int) -> bool:
    """A capitalised word no dictionary knows right after a name is part of it."""
    word = words[i]
    if i == 0 or kinds[i - 1] != "person" or not adjacent(text, words[i - 1], word):
        return False
    if not word.capitalised or word.key in PRONOUNS | NOT_NAMES:
        return False
    if OBLIQUE_ENDING_RE.search(word.key):
        return False
    readings = word.readings
    return readings is None or not readings or any(c in PROPER_CLASSES for _, c, _ in readings)


def _listed_with_a_name(
    text: str, words: list[Word], kinds: list, i: int, certain: list[bool] | None = None
) -> bool:
    """An unknown capitalised word listed with a name is a name: "Kelly and Ahmed". With
    ``certain``: is words[i] listed with a certain finding?"""
    word = words[i]
    if certain is None and (
        word.readings != () or not word.capitalised or word.key in PRONOUNS | NOT_NAMES
    ):
        return False
    for j in (i - 2, i - 1, i + 1, i + 2):
        if 0 <= j < len(words) and kinds[j] and (certain is None or certain[j]):
            left, right = (words[j], word) if j < i else (word, words[j])
            gap = text[left.end : right.start]
            if gap.strip(" \t,").casefold() in CONJUNCTIONS or gap.strip() == ",":
                return True
    return False
