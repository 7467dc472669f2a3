"""Is a member's name that is also an ordinary word meant as the name? Weighing the evidence.

Satu is a fairy tale, Onni luck, Mäki a hill. A capital letter at the start of a sentence
says nothing, so ``member_verdict`` looks at the word's form and its neighbours:

* for a person: a verb of saying or feeling next to it ("Satu kertoi", "Sadulle
  ehdotettiin", "Sadusta tuntui"), a postposition used of people ("Sadun mielestä",
  "Onnin kanssa"), a genitive before something people have ("Lahjan alainen", "Mäen
  tiimissä"), a title or relation before it, an English possessive;
* for a thing or a place: a word of place after it ("Mäen päällä", "Niemellä sijaitseva",
  "Salon kaupunki"), a case people are seldom in ("Lehdossa", "Onneksi"), a plural
  ("Laineet"), a verb form followed by "että" ("Uskon, että"), a form that the first name
  does not take (the name Helmi is "Helmin", the pearl "Helmen"), a nominative followed by
  an ordinary word or by a verb that is not about people ("Tuuli yltyi", "Aino keino").

Strong evidence either way decides. Without it, forms that are usually about people (the
genitive, the allative "Sadulle", a nominative standing alone) give a *possible* name: the
note-taker confirms or dismisses it with one click, which is cheaper than a missed name.
"""

from __future__ import annotations

import re

from sessions_app.notes.anonymiser.cues import (
    BE_FORMS,
    HUMAN_STATES,
    HUMAN_VERB_BASES,
    HUMAN_VERB_FORMS,
    PERSON_HEADS,
    PERSON_POSTPOSITIONS,
    PLACE_PREFIXES,
    PLACE_WORDS,
    THAT_WORDS,
    TITLE_RE,
    TITLE_WORDS,
)
from sessions_app.notes.anonymiser.lexicon import (
    CONJUNCTIONS,
    CUE_PREFIXES,
    CUE_WORDS,
    NAME_CLASSES,
)
from sessions_app.notes.anonymiser.members import Members
from sessions_app.notes.anonymiser.tokens import Word
from sessions_app.notes.anonymiser.voikko import analyse

CERTAIN, POSSIBLE = "certain", "possible"

EXTERNAL_CASES = {"ulkotulento", "ulkoeronto", "ulkoolento"}  # -lle, -lta, -lla
# Cases a person is seldom in: "Lehdossa", "Koskeen", "Onneksi", "Innoitta", "Lahjoin".
THING_CASES = {"sisaolento", "sisatulento", "sisaeronto", "tulento", "olento", "keinonto",
               "vajanto", "seuranto", "plural"}  # fmt: skip
_SUFFIX_CASES = (
    ("lle", "ulkotulento"), ("lta", "ulkoeronto"), ("ltä", "ulkoeronto"),
    ("lla", "ulkoolento"), ("llä", "ulkoolento"), ("ssa", "sisaolento"), ("ssä", "sisaolento"),
    ("sta", "sisaeronto"), ("stä", "sisaeronto"), ("ksi", "tulento"), ("na", "olento"),
    ("nä", "olento"), ("seen", "sisatulento"), ("n", "omanto"), ("a", "osanto"), ("ä", "osanto"),
)  # fmt: skip
_ILLATIVE_RE = re.compile(r"([aeiouyäö])h?\1n$")
_FINITE_FORMS = BE_FORMS | {"jäi", "tuli", "jää", "tulee", "sai", "saa"}
SKIPPABLE = BE_FORMS | {"ole", "myös", "itse", "vielä", "jo", "sitten", "taas", "kuitenkin",
                        "lopulta", "ensin", "puolestaan", "nyt", "heti", "aina", "also",
                        "then", "också"}  # fmt: skip
_MODIFIER_CLASSES = {"nimisana", "laatusana", "nimisana_laatusana", "lukusana", "asemosana"}


def adjacent(text: str, left: Word, right: Word) -> bool:
    gap = text[left.end : right.start]
    return not left.possessive and gap != "" and gap.strip(" \t") == ""


def next_word(text: str, words: list[Word], i: int) -> Word | None:
    """The word right after words[i] with only spaces between, or None."""
    if i + 1 < len(words) and adjacent(text, words[i], words[i + 1]):
        return words[i + 1]
    return None


def after_title(text: str, words: list[Word], i: int) -> bool:
    """Does a title, relation or cue word come right before words[i]? ("vaimoni Leena",
    "toimitusjohtaja Kari", "my manager, Greg")."""
    if i == 0:
        return False
    prev, word = words[i - 1], words[i]
    gap = text[prev.end : word.start]
    if prev.possessive or not gap or gap.strip(" \t,") or gap.count(",") > 1:
        return False
    key = prev.key.rpartition("-")[2]
    if "," in gap and key not in TITLE_WORDS:  # "My manager, Greg Holt" but not "alaiseni, Oulun"
        return False
    return (
        key in CUE_WORDS
        or key in TITLE_WORDS
        or key.startswith(CUE_PREFIXES)
        or bool(TITLE_RE.match(key))
    )


def _finite_verbs(word: Word, use_voikko: bool) -> set[str] | None:
    """Base forms of finite verb readings of ``word`` (None: unknown without Voikko)."""
    if not use_voikko:
        return {word.key} if word.key in HUMAN_VERB_FORMS | _FINITE_FORMS else None
    return {b for b, c, case in analyse(word.word) if c == "teonsana" and not case}


def _human_verb(word: Word, use_voikko: bool) -> bool:
    """A verb of saying, feeling ..., in any form ("kertoi", "ehdotettiin", "kertonut")."""
    if word.key in HUMAN_VERB_FORMS:
        return True
    return use_voikko and any(
        c == "teonsana" and b in HUMAN_VERB_BASES for b, c, _ in analyse(word.word)
    )


def cases_of(word: Word, parts: set[str]) -> set[str]:
    """Voikko's cases of ``word`` as a form of ``parts``, or cases guessed from the ending."""
    hits = [(c, case) for base, c, case in word.readings or () if base in parts and case]
    cases = {case for _, case in hits}
    if "nimento" in cases and word.key not in parts:
        cases = (cases - {"nimento"}) | {"plural"}  # "Laineet", "Helmet"
    if any(c in NAME_CLASSES for c, _ in hits):
        return cases
    # Voikko has no name reading: add the name's own cases ("Pilvin" is Pilvi's, not only
    # the instructive plural of "pilvi").
    return cases | _cases_from_ending(word, parts)


def _cases_from_ending(word: Word, parts: set[str]) -> set[str]:
    key = word.key.split(":")[-1] if ":" in word.key else word.key
    if word.key in parts:
        return {"nimento"}
    if key.endswith("t") and not key.endswith("tt"):
        return {"plural"}
    if _ILLATIVE_RE.search(key):
        return {"sisatulento", "omanto"}
    return {next((c for s, c in _SUFFIX_CASES if key.endswith(s)), "")} - {""}


def speaks_for_person(text: str, words: list[Word], i: int, use_voikko: bool) -> bool:
    """Strong evidence that words[i] is somebody's name (see the module docstring)."""
    word = words[i]
    if word.possessive or after_title(text, words, i):
        return True
    nxt = next_word(text, words, i)
    if nxt is None:
        return False
    # Look past "ei", "myös", "oli" ...: "Satu ei halunnut", "Satu on ollut sairauslomalla".
    j, after = i + 1, nxt
    while after:
        if after.key in PERSON_POSTPOSITIONS or _human_verb(after, use_voikko):
            return True
        if nxt.key in BE_FORMS and after.key in HUMAN_STATES:
            return True
        if after.key not in SKIPPABLE or j >= i + 3:
            break
        after = next_word(text, words, j)
        j += 1
    if word.readings:
        genitive = any(case == "omanto" for _, _, case in word.readings)
    else:
        genitive = word.key.endswith("n")  # also "Smith:n"
    return genitive and nxt.key.startswith(PERSON_HEADS)


def _not_the_names_form(word: Word, parts: set[str], members: Members) -> bool:
    """The name Helmi is "Helmin" in the genitive, the pearl "Helmen": a first name's own
    paradigm tells it from the word where the two differ."""
    first_only = parts & members.first - members.last
    if not first_only or parts - first_only:
        return False
    # First names ending in -i keep it ("Tuulille", "Pilvin"); the word takes -e- ("tuulelle").
    if all(p.endswith("i") and word.key.startswith(p[:-1] + "e") for p in first_only):
        return not any(c == "etunimi" for b, c, _ in word.readings or () if b in parts)
    if word.readings is None:
        return False
    for part in first_only:
        known = any(b == part and c == "etunimi" for b, c, _ in analyse(part.capitalize()))
        named = any(b == part and c == "etunimi" for b, c, _ in word.readings)
        if not known or named:
            return False
    return True


def _place_or_plural(text: str, words: list[Word], i: int, parts: set[str]) -> bool:
    """Counter-evidence even for names no list marks as everyday words: a plural, an inner
    case other than the elative ("Liisasta tuntui" is about Liisa), a word of place after."""
    if _cases_from_ending(words[i], parts) & (THING_CASES - {"sisaeronto"}):
        return True
    nxt = next_word(text, words, i)
    return bool(nxt and (nxt.key in PLACE_WORDS or nxt.key.startswith(PLACE_PREFIXES)))


def speaks_for_thing(
    text: str, words: list[Word], i: int, cases: set[str], use_voikko: bool
) -> bool:
    """Strong evidence that words[i] is an ordinary word or a place (module docstring)."""
    word = words[i]
    if cases and cases <= THING_CASES:
        return True
    nxt = next_word(text, words, i)
    following = words[i + 1] if i + 1 < len(words) else None
    if following and text[word.end : following.start].strip(" ,") == "":
        verb_reading = any(c == "teonsana" for _, c, _ in word.readings or ())
        verb_like = verb_reading or (not use_voikko and word.key.endswith("n"))
        if verb_like and following.key in THAT_WORDS:
            return True  # "Uskon, että", "Toivon ettei"
    if nxt is None:
        return False
    if nxt.key in PLACE_WORDS or nxt.key.startswith(PLACE_PREFIXES):
        return True
    if cases != {"nimento"} or not nxt.word.islower():
        return False
    if nxt.key in CONJUNCTIONS:  # "Into ja innostus": listed with an ordinary word
        other = next_word(text, words, i + 1)
        return bool(other and other.word.islower())
    if not use_voikko:
        return bool(re.search(r"(?:ssa|ssä|sta|stä|lla|llä|lle|ksi)$", nxt.key))
    readings = analyse(nxt.word)
    verbs = _finite_verbs(nxt, True)
    if verbs:  # a verb, but not one of people: "Tuuli yltyi", "Virta katkesi"
        return True
    return any(c in _MODIFIER_CLASSES for _, c, _ in readings)  # "Aino keino", "Armas aika"


def member_verdict(
    text: str, words: list[Word], i: int, parts: set[str], members: Members, ordinary: bool
) -> str | None:
    """CERTAIN, POSSIBLE or None for a capitalised member's name at the start of a sentence.
    ``ordinary``: the name is known to be an everyday word too; without Voikko other names
    may be words nobody listed ("Sorsat uivat"), so place and plural evidence still counts."""
    word = words[i]
    use_voikko = word.readings is not None
    if _not_the_names_form(word, parts, members):
        return None
    if not ordinary:  # without Voikko, any name may be a word nobody listed ("Sorsat uivat")
        return None if _place_or_plural(text, words, i, parts) else CERTAIN
    if speaks_for_person(text, words, i, use_voikko):
        return CERTAIN
    cases = cases_of(word, parts)
    if speaks_for_thing(text, words, i, cases, use_voikko):
        return None
    nxt = next_word(text, words, i)
    finite = bool(nxt and _finite_verbs(nxt, use_voikko))
    if cases & EXTERNAL_CASES:  # "Lahjalla oli", "Rannalla oli": people have, places hold
        if parts & (members.first | members.solo):
            return CERTAIN if finite else POSSIBLE
        return POSSIBLE if finite else None
    if "omanto" in cases:  # "Sadun tilanne" (or "Sadun loppu", the tale's end)
        return POSSIBLE
    if "nimento" not in cases or finite:
        return None
    # "Satu, joka ...", "Satu ja Onni ...", and with Voikko "Satu myöhemmin ..." (an adverb:
    # no verb or noun after the name says otherwise).
    return POSSIBLE if use_voikko or nxt is None or nxt.key in CONJUNCTIONS else None
