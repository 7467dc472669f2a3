"""Find and redact personal data in anonymised session notes before they are stored.

``find_personal_data(text, names)`` returns non-overlapping ``Finding``s of six kinds:

* ``member`` - a forum member's first name or surname, in any inflected form
  ("Liisalle", "Mikon", "Virtasen", "Anna-Maijan", "Liisa's"),
* ``person`` - somebody else's name ("Jukka Lehtonen", "Kirsille", "my employee John Smith"),
* ``email``, ``phone`` (Finnish and international formats, via ``phonenumbers``),
* ``hetu`` - Finnish personal identity code with a valid date and checksum, old (``+ - A``)
  and 2023 (``B-F``, ``U-Y``) century separators,
* ``iban`` - with or without spaces, validated with ``stdnum.iban``.

Structured data (hetu, IBAN, e-mail, phone) is found first and masked, so a name inside an
e-mail address is reported once, as the e-mail. Names are then looked for word by word.

How names are recognised
------------------------
With Voikko (``libvoikko`` + the ``voikko-fi`` dictionary) every capitalised word is
analysed: the BASEFORM undoes inflection and consonant gradation (Mikon -> Mikko,
Virtaselle -> Virtanen) and CLASS tells first names (``etunimi``) and surnames
(``sukunimi``) from places (``paikannimi``), brands (``nimi``) and ordinary words.

* A word is a *member* when a base form equals a part of a member's name. Lower-case words
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
* Cue words ("alaiseni", "kollegani", "my employee", "Mr") make the next capitalised word a
  name even when no dictionary knows it; so does "said"/"kertoi" after an unknown word
  ("Priya said") and being listed with a name ("Kelly and Ahmed").
* A small built-in list of common first names fills gaps in Voikko's lexicon (it files
  "Mari" and "Kaarina" only as places).

Fallback without Voikko
-----------------------
The module imports and works without libvoikko (``voikko_available()`` is then false).
Members are matched by generating stems of each name part - the nominative, the weak grade
(Mikko -> Miko-, Pekka -> Peka-, Satu -> Sadu-), -nen stems (Virtanen -> Virtase-, Virtas-),
e/i stems (Mäki -> Mäe-, Rinne -> Rintee-) and -s stems (Tuomas -> Tuomakse-) - and
accepting a word that is such a stem followed by a case ending, possessive suffix and/or
clitic ("Pekalta", "Virtasellekin"). These stems are also tried alongside Voikko for words
it does not know ("Hedan"). Other people are recognised from the built-in list of common
Finnish and English names (with the same stems) and -nen surname patterns (Virtasen,
Niemiselle), with the same capitalisation, sentence-start and context rules; the built-in
list of ordinary-word names stands in for Voikko's readings. Without Voikko, names outside
the list are found only through cues, lists and full-name pairs, and surnames that are
also words or places cannot be told apart from them.

Voikko instances are not thread-safe: one instance is created lazily and every call to it
holds ``_VOIKKO_LOCK``; analyses are cached per word.
"""

from __future__ import annotations

import datetime
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from stdnum import iban as stdnum_iban

PLACEHOLDERS = {
    "member": "[jäsen]",
    "person": "[henkilö]",
    "phone": "[puhelin]",
    "email": "[sähköposti]",
    "hetu": "[henkilötunnus]",
    "iban": "[tilinumero]",
}


@dataclass(frozen=True)
class Finding:
    start: int
    end: int
    kind: str
    text: str  # == original[start:end]


# --------------------------------------------------------------------------- Voikko access

_VOIKKO_LOCK = threading.Lock()
_voikko_state: dict[str, object] = {}  # "instance" once created, "failed" if it cannot be


def _voikko():
    """Return the shared Voikko instance, or None when libvoikko/dictionary is missing."""
    with _VOIKKO_LOCK:
        if "instance" not in _voikko_state and "failed" not in _voikko_state:
            try:
                from libvoikko import Voikko

                _voikko_state["instance"] = Voikko("fi")
            except Exception:  # ImportError, OSError (no .so), VoikkoException (no dictionary)
                _voikko_state["failed"] = True
        return _voikko_state.get("instance")


def voikko_available() -> bool:
    return _voikko() is not None


@lru_cache(maxsize=50_000)
def _voikko_analyse(word: str) -> tuple[tuple[str, str, str], ...]:
    """(lower-cased base form, class, case) for each Voikko reading of ``word``."""
    voikko = _voikko()
    if voikko is None:
        return ()
    with _VOIKKO_LOCK:
        raw = voikko.analyze(word)
    readings = set()
    for a in raw:
        base, cls = a.get("BASEFORM", "").casefold(), a.get("CLASS", "")
        # Voikko files common surnames such as Nieminen and Ilmarinen as places. Towns ending
        # in -nen inflect in the plural (Ikaalisissa), so a singular -nen "place" is a surname.
        if cls == "paikannimi" and base.endswith("nen") and a.get("NUMBER") == "singular":
            cls = "sukunimi"
        readings.add((base, cls, a.get("SIJAMUOTO") or ""))
    return tuple(sorted(readings))


# --------------------------------------------------------------------------- word lists


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_NAME_CLASSES = {"etunimi", "sukunimi"}
_PROPER_CLASSES = _NAME_CLASSES | {"paikannimi", "nimi"}
# Cases that put a place reading first: "Heikkilässä" is a place, "Heikkilälle" a person.
_INTERIOR_CASES = {"sisaolento", "sisaeronto", "sisatulento"}
_LOCATIVE_CASES = _INTERIOR_CASES | {"ulkoolento", "ulkoeronto"}

# Capitalised words that Voikko or the fallback would take as names but which are not.
_NOT_NAMES = _word_set(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday posti kela nokia kone alko "
    "telia fazer valio ilmarinen varma elo keva"
)

# Verbs that take a human subject: "Satu kertoi" is a person, "Tuuli kääntyi" is weather.
_HUMAN_VERBS = _word_set(
    "kertoi kertoo sanoi sanoo totesi toteaa kysyi kysyy pyysi pyytää vastasi ehdotti "
    "ehdottaa kommentoi huomautti ilmoitti ilmoittaa soitti soittaa kirjoitti lähetti halusi "
    "haluaa toivoi toivoo lupasi lupaa suuttui itki hermostui loukkaantui ahdistui "
    "irtisanoutui valitti valittaa kokee koki tuntee tunsi ajattelee ajatteli muistutti "
    "painotti kieltäytyi myönsi pahoitteli kiitti kehui moitti uhkasi puhui keskusteli "
    "pelkää pelkäsi sairastui osallistui palasi aloitti lopetti "
    "said says told tells asked asks wrote mentioned felt feels thinks thought wants wanted "
    "complained explained replied agreed refused admitted suggested reported resigned cried "
    "shouted"
)
_POSTPOSITIONS = _word_set("kanssa kanssani kanssamme mielestä mukaan luona luokse luota puolesta")
_CONTEXT_WORDS = _HUMAN_VERBS | _POSTPOSITIONS
_PRONOUNS = _word_set("she he they we you it everyone everybody someone somebody nobody")
_DETERMINERS = _word_set("the a an your this that these those my our all")  # "Mark the date"
_CONJUNCTIONS = _word_set("ja sekä tai eli and or &")

# A capitalised word after one of these is somebody's name even if no dictionary knows it.
_CUE_PREFIXES = (
    "alai", "kollega", "kollegoi", "työkaveri", "työtoveri", "työntekijä", "esihenkilö",
    "esimie", "johtaja", "päällikkö", "tiiminvetäjä", "asiakas", "asiakkaa", "puoliso",
    "vaimo", "aviomie", "herra", "rouva", "tohtori", "employee", "colleague", "coworker",
    "co-worker", "manager", "boss", "supervisor", "subordinate", "director",
)  # fmt: skip
_CUE_WORDS = {"mr", "mrs", "ms", "dr", "named"}

# Fallback name lists (used without Voikko). Ordinary-word names are in _AMBIGUOUS.
_FALLBACK_FIRST_NAMES = _word_set(
    "aada aapo aarne aatu aino aleksi anja anna anne anneli anni anniina antero antti ari "
    "arja arto asko eemeli eero eetu eeva eija eila eino elias elina eliisa elisa ella elli "
    "emilia emma esa esko hanna hannele hannu harri heidi heikki heli helena helmi henna "
    "henrik hilkka hilla iida iiris ilkka ilmari ilona inkeri irma irja jaakko jaana janne "
    "jari jarmo jenna jenni jere jesse joel johanna joni jonna joonas jorma jouni juha juhani "
    "juho jukka julia jussi jyrki kaarina kai kaija kaisa kalle kari karoliina katja kati "
    "kerttu kimmo kirsi kirsti kristiina kyösti laura lauri leena leila liisa lotta maarit maija "
    "marika marja marjatta marjo marko markku markus martti matias matti mervi mika mikael "
    "mikko milla minna mira mirja mirva niina niko nina noora oliver olli onni oona ossi "
    "outi paavo pasi pauliina pekka pentti petri petteri pia pirjo pirkko päivi raija raimo "
    "reijo reino riikka riitta risto ritva sakari sami sanna sanni sara sari satu seppo "
    "siiri sini sirpa sofia susanna suvi taina taneli tapani tapio tarja teemu terhi teuvo "
    "tiina timo tommi toni topi toivo tuija tuomas tuomo tuula tuuli tuulikki ulla ulla-maija "
    "unto urho usko valtteri veera veikko veli venla vesa ville vilma virpi väinö aila "
    "john james robert michael william david richard joseph thomas charles daniel matthew "
    "anthony mark paul steven andrew kevin brian george edward peter chris alex tom jack "
    "harry oliver mary patricia jennifer linda elizabeth barbara susan jessica sarah karen "
    "nancy lisa emily laura rachel olivia sophie lucy kate helen anna maria priya ben sam joe dan "
    "tim mari anu petra tero teija tiia tanja merja jani lassi rami tomi henri essi emmi mia "
    "ronja iina jonne sauli tuukka eveliina"
)
_FALLBACK_SURNAMES = _word_set(
    "mäkelä heikkilä koskela hakala jokela peltola rantala laine mäki kivi aalto virta kallio "
    "harju lampi nurmi laakso honka koivu rinne "
    "smith jones brown johnson williams taylor wilson davies evans miller clark"
)
# Names that are also everyday words ("Aina", "Päivä", "Toivon" = I hope): capitalised at the
# start of a sentence they need context to count as names. Mostly from Voikko's own readings.
_AMBIGUOUS = _word_set(
    "aina aamu ilta päivä ilma kai pia anna toivo satu tuuli helmi onni into aino usko armas "
    "lempi valo veli kari meri ilona sini rauha lumi tyyne sulo oiva lahja vilja hilla urho "
    "voitto taisto tarmo marja aura tähti kukka ruusu taimi jalo kaino kielo orvokki terttu "
    "vappu vieno lilja iiris suvi tapani elo sisko ukko sirkka ahti lauha säde hely "
    "mäki koski niemi kivi lahti ranta saari vuori laine aalto virta kallio harju lampi nurmi "
    "laakso honka koivu rinne salo kangas lehto järvi pelto"
)

# --------------------------------------------------------------------------- inflection stems

_VOWELS = "aeiouyäö"
# Case endings, possessive suffixes and clitics that may follow a stem (lower case).
_ENDINGS = (
    r"(?:|n|a|ä|ta|tä|tta|ttä|na|nä|ksi|ssa|ssä|sta|stä|lla|llä|lta|ltä|lle|seen"
    r"|[aeiouyäö]n|h[aeiouyäö]n|t|ten|tten|den|jen|ien|in|ina|inä|iksi|issa|issä|ista|istä"
    r"|illa|illä|ilta|iltä|ille|ia|iä|ja|jä|ine)"
    r"(?:ni|si|nsa|nsä|mme|nne|an|än|en)?(?:kin|kaan|kään|han|hän|pa|pä|ko|kö|s)?"
)
_CLITICS = r"(?:kin|kaan|kään|han|hän|pa|pä|ko|kö|s)?"
_WEAKEN = [("kk", "k"), ("pp", "p"), ("tt", "t"), ("nk", "ng"), ("mp", "mm"), ("lt", "ll"),
           ("nt", "nn"), ("rt", "rr"), ("ht", "hd")]  # fmt: skip
_WEAKEN_SINGLE = {"k": "", "p": "v", "t": "d"}  # only between vowels: Satu -> Sadun
_STRENGTHEN = [("nn", "nt"), ("ll", "lt"), ("rr", "rt"), ("mm", "mp"), ("ng", "nk"),
               ("hd", "ht"), ("d", "t"), ("v", "p")]  # fmt: skip
_LAST_SYLLABLE = re.compile(rf"^(.*?[{_VOWELS}])([^{_VOWELS}\-]+)([{_VOWELS}]+)$")


def _grade(stem: str, rules: list[tuple[str, str]], single: dict[str, str]) -> str:
    """Apply the first matching gradation rule to the consonants before the final vowels."""
    m = _LAST_SYLLABLE.match(stem)
    if not m:
        return stem
    head, cluster, tail = m.groups()
    for strong, weak in rules:
        if cluster.endswith(strong):
            return head + cluster[: -len(strong)] + weak + tail
    if cluster in single:
        return head + single[cluster] + tail
    return stem


def _stems(name: str) -> set[str]:
    """Lower-case stems to which Finnish endings attach, for one name part."""
    word = name.casefold()
    head, _, last = word.rpartition("-")  # Anna-Maija inflects only its last part
    head = head + "-" if head else ""
    stems = {last, _grade(last, _WEAKEN, _WEAKEN_SINGLE)}
    if last.endswith("nen"):  # Virtanen: Virtase-n, Virtas-ta, Virtasi-lle (plural)
        base = last[:-3]
        stems |= {base + "se", base + "s", base + "si"}
    elif last[-1] == "i":  # Mäki: Mäe-n, Mäke-ä; Lahti: Lahde-n (first names keep -i)
        e_stem = last[:-1] + "e"
        stems |= {e_stem, _grade(e_stem, _WEAKEN, _WEAKEN_SINGLE)}
    elif last[-1] == "e":  # Laine: Lainee-n; Rinne: Rintee-n
        stems |= {last + "e", _grade(last, _STRENGTHEN, {"k": "kk", "p": "pp", "t": "tt"}) + "e"}
    elif last[-1] == "s" and len(last) > 2 and last[-2] in _VOWELS:  # Tuomas: Tuomakse-n
        stems.add(last[:-1] + "kse")
    elif last[-1] not in _VOWELS:  # John: Johni-lle, Smith: Smithi-n
        stems.add(last + "i")
    return {head + s for s in stems}


def _stem_regex(
    parts: frozenset[str] | set[str],
) -> tuple[re.Pattern[str] | None, dict[str, set[str]]]:
    """A regex matching inflected forms of ``parts``, and which parts each stem belongs to."""
    owners: dict[str, set[str]] = {}
    for part in parts:
        for stem in _stems(part):
            owners.setdefault(stem, set()).add(part)
    if not owners:
        return None, owners
    # The bare form is only the name itself (a weak stem "Peka" alone is no word); any stem
    # may take a non-empty ending. Group 1 or 2 (``m[m.lastindex]``) is the stem matched.
    bare = "|".join(re.escape(p.casefold()) for p in sorted(set(parts), key=len, reverse=True))
    stems = "|".join(re.escape(s) for s in sorted(owners, key=len, reverse=True))
    return re.compile(rf"^(?:({bare}){_CLITICS}|({stems})(?=.){_ENDINGS})$"), owners


_FALLBACK_NAME_RE, _FALLBACK_NAME_OWNERS = _stem_regex(_FALLBACK_FIRST_NAMES | _FALLBACK_SURNAMES)
# Capitalised -nen surnames in any case but the partitive (which looks like "Turusta"); at
# most 16 letters, as longer ones are compounds ("Työsuojeluviranomaiselta").
_NEN_SURNAME_RE = re.compile(
    r"^(?=.{4,16}$)[^\W\d_]{2,}(?:nen|se(?:n|lle|lla|llä|lta|ltä|ssa|ssä|sta|stä|en|na|nä|ksi|t)|sten)"
    r"(?:kin|kaan|kään)?$"
)
_NOT_NAME_STEMS = tuple(n[:-3] + "s" for n in _NOT_NAMES if n.endswith("nen"))  # Ilmaris-


def _nen_surname(key: str) -> bool:
    """Fallback: does a capitalised word look like a -nen surname (Virtasen, Niemiselle)?"""
    return bool(_NEN_SURNAME_RE.match(key)) and not key.startswith(_NOT_NAME_STEMS)


def _listed_names(key: str) -> set[str]:
    """Names of the built-in list that ``key`` is a form of; "Minna-Marian" is Minna + Maria."""
    m = _FALLBACK_NAME_RE.match(key)
    if m:
        return _FALLBACK_NAME_OWNERS[m[m.lastindex]]
    *heads, last = key.split("-")
    if heads and all(h in _FALLBACK_FIRST_NAMES for h in heads):
        m = _FALLBACK_NAME_RE.match(last)
        return _FALLBACK_NAME_OWNERS[m[m.lastindex]] & _FALLBACK_FIRST_NAMES if m else set()
    return set()


_OBLIQUE_ENDING_RE = re.compile(r"(?:ssa|ssä|sta|stä|lla|llä|lta|ltä|lle|ksi|na|nä)$")

# --------------------------------------------------------------------------- structured data

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


def _structured(text: str) -> list[Finding]:
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


# --------------------------------------------------------------------------- names

_WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’:][^\W\d_]+)*")
_OPENERS = " \t\"'“”‘’«»([{*•–—-"


@dataclass
class _Word:
    start: int
    end: int
    word: str  # what is analysed: the token without an English possessive 's
    sentence_start: bool
    possessive: bool
    readings: tuple[tuple[str, str, str], ...] | None = None  # None: Voikko not in use

    @property
    def key(self) -> str:
        return self.word.casefold()

    @property
    def capitalised(self) -> bool:
        """Capitalised but no acronym ("HR", "HR:stä", "SAMK:n" are not names)."""
        stem = self.word.split(":")[0]
        return stem[:1].isupper() and not (stem.isupper() and len(stem) > 1)


@dataclass(frozen=True)
class _Members:
    first: frozenset[str]
    last: frozenset[str]
    full: frozenset[tuple[str, str]]
    solo: frozenset[str]  # members known by one name only: any surname may go with it
    regex: re.Pattern[str] | None
    owners: dict[str, set[str]]


@lru_cache(maxsize=64)
def _members(names: tuple[str, ...]) -> _Members:
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
    regex, owners = _stem_regex(first | last)
    return _Members(*map(frozenset, (first, last, full, solo)), regex, owners)


def _is_sentence_start(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in _OPENERS:
        i -= 1
    return i < 0 or text[i] in "\n\r.!?…:;"


def _tokenise(text: str, use_voikko: bool, members: _Members) -> list[_Word]:
    # Lower-case words are analysed only if they could be a member's name ("liisalle"):
    # analysing every word would be slower for nothing.
    prefixes = {p[:2] for p in members.first | members.last}
    words = []
    for m in _WORD_RE.finditer(text):
        token, end, possessive = m.group(), m.end(), False
        head, _, tail = token.replace("’", "'").rpartition("'")
        if head and tail.casefold() == "s":  # English possessive: "Mikko's" -> "Mikko"
            token, end, possessive = token[: len(head)], m.start() + len(head), True
        word = _Word(m.start(), end, token, _is_sentence_start(text, m.start()), possessive)
        if use_voikko:
            wanted = word.word[:1].isupper() or word.key[:2] in prefixes
            word.readings = _readings(word.word) if wanted else ()
        words.append(word)
    return words


def _readings(token: str) -> tuple[tuple[str, str, str], ...]:
    readings = _dictionary_readings(token)
    if token[:1].isupper() and not any(c in _NAME_CLASSES for _, c, _ in readings):
        # The built-in name list fills gaps in Voikko's lexicon ("Mari", "Kaarina" are only
        # places there, "Ben" is unknown).
        # Not where Voikko knows the word as an ordinary one ("Kivessä" is in a stone).
        common = {b for b, c, _ in readings if c not in _PROPER_CLASSES}
        for owner in _listed_names(token.casefold()) - common:
            cls = "sukunimi" if owner in _FALLBACK_SURNAMES else "etunimi"
            cases = {c for b, _, c in readings if b == owner}
            if token.casefold() == owner:
                cases.add("nimento")
            readings += tuple((owner, cls, case) for case in cases or {""})
    return readings


def _dictionary_readings(token: str) -> tuple[tuple[str, str, str], ...]:
    readings = _voikko_analyse(token)
    if not readings and ":" in token:  # "SAMK:n", "Smith:lle"
        readings = _voikko_analyse(token.split(":")[0])
    if not readings and "-" in token:
        parts = token.split("-")
        if all(p[:1].isupper() for p in parts):  # an unknown double name such as Liisa-Maaria
            readings = tuple(r for p in parts for r in _voikko_analyse(p))
        else:  # "HR-päällikkö" is a kind of "päällikkö"
            readings = _voikko_analyse(parts[-1])
    return readings


def _adjacent(text: str, left: _Word, right: _Word) -> bool:
    gap = text[left.end : right.start]
    return not left.possessive and gap != "" and gap.strip(" \t") == ""


def _has_context(text: str, words: list[_Word], i: int) -> bool:
    """Does the neighbourhood of words[i] say that it is a person's name?"""
    word = words[i]
    if word.possessive:
        return True
    nxt = words[i + 1] if i + 1 < len(words) else None
    if nxt and _adjacent(text, word, nxt) and nxt.key in _CONTEXT_WORDS:
        return True
    return _after_cue(text, words, i)


def _after_cue(text: str, words: list[_Word], i: int) -> bool:
    if i == 0 or not _adjacent(text, words[i - 1], words[i]):
        return False
    prev = words[i - 1].key.rpartition("-")[2]
    return prev in _CUE_WORDS or prev.startswith(_CUE_PREFIXES)


def _member_parts(word: _Word, members: _Members) -> set[str]:
    """Which members' name parts ``word`` is an inflected form of."""
    all_parts = members.first | members.last
    voikko_parts = {base for base, _, _ in word.readings or () if base in all_parts}
    if word.readings and any(cls in _PROPER_CLASSES for _, cls, _ in word.readings):
        return voikko_parts  # Voikko knows this name: trust it ("Anne" is not a member "Anni")
    m = members.regex.match(word.key) if members.regex else None
    return voikko_parts | (members.owners[m[m.lastindex]] if m else set())


def _is_member(text: str, words: list[_Word], i: int, parts: set[str], members: _Members) -> bool:
    word = words[i]
    readings = word.readings
    if not parts or (readings and _place_inside(readings, parts)):
        return False
    if not word.word[:1].isupper():
        # Lower case: only words that cannot be anything but a name ("liisalle", not "onni").
        if readings:
            return all(cls in _PROPER_CLASSES for _, cls, _ in readings)
        return len(word.key) >= 5 and not parts & _AMBIGUOUS
    if not word.sentence_start:
        return True
    # At sentence start "Onneksi" is not a member Onni and "Toivon" may be "I hope". A member's
    # surname is taken as the name even so: "Aallon tiimissä" is rarely about a wave.
    if not parts <= _AMBIGUOUS or parts & members.last or readings == ():
        return True
    if readings and all(c in _PROPER_CLASSES for _, c, _ in readings):
        return any(b in parts for b, _, _ in readings)  # "Aino" with no other reading
    return _has_context(text, words, i)


def _place_inside(readings: tuple[tuple[str, str, str], ...], parts: set[str]) -> bool:
    """A member called Salo is not meant by "Salossa" (in the town), nor Kivi by "Kivessä".

    People are seldom "in" or "into" something; "Kivestä" (about Kivi) is kept.
    """
    hits = [r for r in readings if r[0] in parts]
    return not any(c in _NAME_CLASSES for _, c, _ in hits) and any(
        case in _INTERIOR_CASES and (c == "paikannimi" or case != "sisaeronto")
        for _, c, case in hits
    )


def _is_person(text: str, words: list[_Word], i: int) -> bool:
    word = words[i]
    if not word.capitalised or len(word.word) < 2 or word.key in _NOT_NAMES:
        return False
    if _after_cue(text, words, i):
        return _cue_target(word)
    if word.readings is None:
        return _fallback_person(text, words, i)
    if any(base in _NOT_NAMES for base, _, _ in word.readings):
        return False
    names = [r for r in word.readings if r[1] in _NAME_CLASSES]
    if not names:
        # A word no dictionary knows, followed by "said"/"kertoi": "Priya said".
        return (
            not word.readings
            and word.key not in _PRONOUNS
            and i + 1 < len(words)
            and _adjacent(text, word, words[i + 1])
            and words[i + 1].key in _HUMAN_VERBS
        )
    places = [r for r in word.readings if r[1] in ("paikannimi", "nimi")]
    if places:  # Heikkilälle is a person, Heikkilässä a place
        if word.sentence_start or any(case in _LOCATIVE_CASES for _, _, case in names):
            return _has_context(text, words, i)
        return True
    if not word.sentence_start:
        return True
    if _english_imperative(text, words, i):
        return False
    # "Sanna", "Jukan", "Päivin" (also "by day"): the name is the likely reading. Names that
    # are everyday words need context, even where Voikko lacks the word ("Aino" = the only).
    if all(base in _AMBIGUOUS for base, _, _ in names):
        return _has_context(text, words, i)  # "Satu kertoi" yes, "Tuuli kääntyi" no
    return True


def _english_imperative(text: str, words: list[_Word], i: int) -> bool:
    """ "Mark the date", "Will this help": a sentence-initial verb, not a name."""
    nxt = words[i + 1] if i + 1 < len(words) else None
    return bool(nxt and _adjacent(text, words[i], nxt) and nxt.key in _DETERMINERS)


def _cue_target(word: _Word) -> bool:
    """After "alaiseni", "my employee" ...: a name unless it is clearly a place or a thing."""
    if word.readings is None and _listed_names(word.key):
        return True
    if not word.readings:
        return not _OBLIQUE_ENDING_RE.search(word.key)
    if any(cls in _NAME_CLASSES for _, cls, _ in word.readings):
        return True
    return not any(
        cls in ("paikannimi", "nimi") or case in _LOCATIVE_CASES for _, cls, case in word.readings
    )


def _fallback_person(text: str, words: list[_Word], i: int) -> bool:
    word = words[i]
    listed = _listed_names(word.key)
    if not (listed or _nen_surname(word.key)):
        return False
    if listed <= _FALLBACK_SURNAMES and word.key.endswith(("ssa", "ssä")):
        return False  # "Heikkilässä": the village, not the person
    if not word.sentence_start:
        return True
    # At sentence start "Toinen", "Jokainen" look like -nen surnames and "Satu" like a name.
    if not listed or _english_imperative(text, words, i):
        return False
    return not listed <= _AMBIGUOUS or _has_context(text, words, i)


def _first_name_like(
    text: str, words: list[_Word], i: int, members: _Members, nominative: bool = True
) -> bool:
    """Could words[i] be the first name of a full name ("Jukka Lehtonen", "Lehtosen Jukka")?"""
    word = words[i]
    if not word.capitalised or word.possessive or word.key in _NOT_NAMES:
        return False
    if word.key in members.first or _after_cue(text, words, i):
        return True
    if word.sentence_start and word.key in _AMBIGUOUS:  # "Toivo Paremmasta ..." in a title
        return False
    if word.readings is not None:
        return any(
            c == "etunimi" and (case == "nimento" or not nominative) for _, c, case in word.readings
        )
    listed = _listed_names(word.key) & _FALLBACK_FIRST_NAMES
    return bool(listed) and (not nominative or word.key in listed or "-" in word.key)


def _surname_like(word: _Word, parts: set[str], members: _Members) -> bool:
    """Could ``word`` be the surname after a first name?"""
    if not word.capitalised or word.key in _NOT_NAMES:
        return False
    if parts & members.last:
        return True
    readings = word.readings
    if readings is None:
        listed = _listed_names(word.key)
        if _nen_surname(word.key) or listed & _FALLBACK_SURNAMES:
            return True
        return not listed and not _OBLIQUE_ENDING_RE.search(word.key)
    if not readings:
        return not _OBLIQUE_ENDING_RE.search(word.key)
    if any(base in _NOT_NAMES for base, _, _ in readings):
        return False
    if any(cls == "sukunimi" for _, cls, _ in readings):
        return True
    # "Jukka Kivi": an ordinary noun after a first name is a surname, unless a place-like case.
    return not any(
        cls in ("etunimi", "paikannimi", "nimi") or case in _LOCATIVE_CASES
        for _, cls, case in readings
    )


def _genitive_surname(word: _Word, parts: set[str], members: _Members) -> bool:
    """The colloquial "Virtasen Liisa" starts with a surname in the genitive."""
    if not word.capitalised or not word.key.endswith("n") or word.key in _NOT_NAMES:
        return False
    if parts & members.last:
        return True
    if word.readings is None:
        return word.key.endswith("sen") and _nen_surname(word.key)
    return any(c == "sukunimi" and case == "omanto" for _, c, case in word.readings)


def _full_name(text: str, words: list[_Word], parts: list[set[str]], i: int, m: _Members) -> bool:
    """Do words[i] and words[i + 1] form one person's full name, in either order?"""
    if i + 1 >= len(words) or not _adjacent(text, words[i], words[i + 1]):
        return False
    if _first_name_like(text, words, i, m) and _surname_like(words[i + 1], parts[i + 1], m):
        return True
    return _genitive_surname(words[i], parts[i], m) and _first_name_like(
        text, words, i + 1, m, nominative=False
    )


def _find_names(text: str, members: _Members, use_voikko: bool) -> list[Finding]:
    words = _tokenise(text, use_voikko, members)
    parts = [_member_parts(w, members) for w in words]
    kinds: list[str | None] = [None] * len(words)
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
        if _is_member(text, words, i, parts[i], members):
            kinds[i] = "member"
        elif _is_person(text, words, i):
            kinds[i] = "person"
        i += 1
    for i in range(len(words)):
        if kinds[i] is None and _listed_with_a_name(text, words, kinds, i):
            kinds[i] = "person"
    return [
        Finding(w.start, w.end, kind, text[w.start : w.end])
        for w, kind in zip(words, kinds, strict=True)
        if kind
    ]


def _listed_with_a_name(text: str, words: list[_Word], kinds: list, i: int) -> bool:
    """An unknown capitalised word listed with a name is a name: "Kelly and Ahmed"."""
    word = words[i]
    if word.readings != () or not word.capitalised or word.key in _PRONOUNS | _NOT_NAMES:
        return False
    for j in (i - 2, i - 1, i + 1, i + 2):
        if 0 <= j < len(words) and kinds[j]:
            left, right = (words[j], word) if j < i else (word, words[j])
            gap = text[left.end : right.start]
            if gap.strip(" \t,").casefold() in _CONJUNCTIONS or gap.strip() == ",":
                return True
    return False


# --------------------------------------------------------------------------- public API


def find_personal_data(text: str, names: Iterable[str]) -> list[Finding]:
    """Find personal data in a session note.

    ``names`` are the forum members' full names. Returns findings sorted by ``start`` and
    non-overlapping, each with ``text == text[start:end]`` and ``kind`` one of the keys of
    ``PLACEHOLDERS``: ``member`` (a member's first name or surname in any inflected form),
    ``person`` (a word of anybody else's name), ``email``, ``phone``, ``hetu`` (valid date
    and checksum) or ``iban`` (valid check digits). Each word of a full name is a finding of
    its own; a name inside an e-mail address is part of the e-mail. Uses Voikko when it is
    available and a stem-based fallback otherwise (see the module docstring).
    """
    members = _members(tuple(sorted({n.strip() for n in names if n and n.strip()})))
    findings = _structured(text)
    masked = list(text)
    for f in findings:  # NUL is neither a letter nor punctuation: no word, no sentence break
        masked[f.start : f.end] = "\0" * (f.end - f.start)
    findings += _find_names("".join(masked), members, _voikko() is not None)
    findings = [Finding(f.start, f.end, f.kind, text[f.start : f.end]) for f in findings]
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
